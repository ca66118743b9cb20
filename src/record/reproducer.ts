/**
 * The reproducer of a build record, rendered as `reproducer.sh` from its
 * steps (which `build/reproducer_steps.ts` derives from the plan).
 *
 * @module
 */
import { shellQuote } from "../util/shell_quote.ts";
import type { KcrossInvocation } from "./types.ts";

/** Stands for the record directory in reproducer arguments. */
export const RECORD_DIR_TOKEN = "${KCROSS_RECORD_DIR}";

/** What `renderReproducer` needs. */
export interface ReproducerInfo {
  id: string;
  commit: string | null;
  dirty: boolean | null;
  kernelVersion: string | null;
  steps: KcrossInvocation[];
  makeCross: string[];
  /** Host tools whose version the build recorded: checked, with a warning on a difference. */
  tools?: ReproducerTool[];
}

/** One host tool the reproducer checks. */
export interface ReproducerTool {
  /** The name in the record (`make`, `perl`). */
  name: string;
  /** How to ask its version: the command (looked up on PATH) and arguments. */
  argv: string[];
  /** The version the build used. */
  version: string;
}

/**
 * The shell function the reproducer checks tool versions with: the first
 * `x.y[.z]` of the tool's output, as kcross reads it; a difference or a
 * missing tool is a warning on stderr, never a failure.
 */
const CHECK_TOOL = [
  "kcross_check_tool() {",
  "  want=$1; name=$2; shift 2",
  '  if ! command -v "$1" >/dev/null 2>&1; then',
  '    echo "reproducer.sh: warning: $name is not on PATH (the build used $want)" >&2',
  "    return 0",
  "  fi",
  "  got=$(\"$@\" 2>&1 </dev/null | head -n 5 | grep -o -E '[0-9]+\\.[0-9]+(\\.[0-9]+)*' | head -n 1) || true",
  '  if [ "$got" != "$want" ]; then',
  '    echo "reproducer.sh: warning: $name ${got:-(no version)} here, the build used $want" >&2',
  "  fi",
  "}",
];

/**
 * Renders `reproducer.sh`: run it from the top of a kernel checkout at the
 * recorded commit.
 */
export function renderReproducer(info: ReproducerInfo): string {
  const lines = [
    "#!/bin/sh",
    `# kcross build record ${info.id}: rebuilds the same thing with kcross.`,
    "# Run from the top of a Linux source tree" +
    (info.commit ? ` at commit ${info.commit}` : "") +
    (info.kernelVersion ? ` (kernel ${info.kernelVersion})` : "") + ".",
  ];
  if (info.dirty) {
    lines.push("# Note: the recorded tree had uncommitted changes.");
  }
  lines.push(
    "set -e",
    'here=$(cd "$(dirname "$0")" && pwd)',
    "",
  );
  if (info.tools?.length) {
    lines.push(
      "# The host tools the build used, by version (a difference only warns).",
      ...CHECK_TOOL,
    );
    for (const t of info.tools) {
      lines.push(
        ["kcross_check_tool", t.version, t.name, ...t.argv].map(shellQuote)
          .join(" "),
      );
    }
    lines.push("");
  }
  for (const step of info.steps) {
    lines.push(
      stepLine(
        step,
        (a) =>
          a.startsWith(RECORD_DIR_TOKEN)
            ? `"$here${a.slice(RECORD_DIR_TOKEN.length)}"`
            : shellQuote(a),
      ),
    );
  }
  lines.push("", "# The same with lkp-tests make.cross:");
  for (const l of info.makeCross) lines.push(`#   ${l}`);
  return `${lines.join("\n")}\n`;
}

/** One step as a shell line: its environment, `kcross`, the command, `arg(a)` each. */
function stepLine(step: KcrossInvocation, arg: (a: string) => string): string {
  const env = Object.entries(step.env ?? {}).map(([k, v]) =>
    `${k}=${shellQuote(v)}`
  );
  return [...env, "kcross", step.command, ...step.args.map(arg)].join(" ");
}

/**
 * The reproducer as one pasteable command line (a matrix cell's): the
 * steps joined by `&&`, the record dir spelled out.
 *
 * @example
 * ```ts
 * import { reproducerCommand } from "./reproducer.ts";
 * const line = reproducerCommand([
 *   { command: "build", args: ["--config", "${KCROSS_RECORD_DIR}/config"] },
 * ], "/r/1");
 * if (line !== "kcross build --config /r/1/config") throw new Error(line);
 * ```
 */
export function reproducerCommand(
  steps: readonly KcrossInvocation[],
  recordDir: string,
): string {
  return steps.map((s) =>
    stepLine(s, (a) => shellQuote(a.replaceAll(RECORD_DIR_TOKEN, recordDir)))
  ).join(" && ");
}
