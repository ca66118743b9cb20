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
}

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
  for (const step of info.steps) {
    const env = Object.entries(step.env ?? {}).map(([k, v]) =>
      `${k}=${shellQuote(v)}`
    );
    const args = step.args.map((a) =>
      a.startsWith(RECORD_DIR_TOKEN)
        ? `"$here${a.slice(RECORD_DIR_TOKEN.length)}"`
        : shellQuote(a)
    );
    lines.push([...env, "kcross", step.command, ...args].join(" "));
  }
  lines.push("", "# The same with lkp-tests make.cross:");
  for (const l of info.makeCross) lines.push(`#   ${l}`);
  return `${lines.join("\n")}\n`;
}
