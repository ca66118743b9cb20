/**
 * A fake kernel tree for matrix tests (git repo, Makefile honouring ARCH, O=,
 * W= and directory goals, a compiler shim printing gcc-style diagnostics
 * driven by `// kcross-fake:` markers in the sources) and a cell runner that
 * builds it. `tests/_support/kcross_fake_cells.ts` injects this runner in
 * worker subprocesses.
 *
 * Marker syntax in a `.c` file (ARCH / config may be `*`):
 *   // kcross-fake: error <arch> <config> <message>
 *   // kcross-fake: warning <arch> <config> <message>   (only with W set)
 *   // kcross-fake: sleep <arch> <config> <seconds>
 *
 * @module
 */
import type { CellRunner } from "../../src/matrix/runner.ts";
import type { CellOutcome } from "../../src/matrix/types.ts";
import type { Diagnostic } from "../../src/diagnostics/types.ts";

const MAKEFILE = `# fake kbuild for kcross matrix tests
BUILD := $(if $(O),$(O),.)
export ARCH KCONFIG W
%/: FORCE
\t@mkdir -p $(BUILD)/$@
\t@rc=0; for f in $@*.c; do echo "  CC      $\${f%.c}.o"; $(CC) $$f || rc=1; touch $(BUILD)/$\${f%.c}.o; done; exit $$rc
all: drivers/
FORCE:
.PHONY: FORCE all
`;

const SHIM = `#!/bin/bash
# fake cross gcc: prints diagnostics for kcross-fake markers matching ARCH/KCONFIG
set -f
f="$1"; n=0; rc=0
while IFS= read -r line; do
  n=$((n+1))
  case "$line" in
  *"kcross-fake: "*)
    set -- \${line#*kcross-fake: }
    kind=$1 arch=$2 cfg=$3; shift 3
    if [[ ($arch == '*' || $arch == "$ARCH") && ($cfg == '*' || $cfg == "$KCONFIG") ]]; then
      case $kind in
      error) echo "$f:$n:5: error: $*" >&2; rc=1 ;;
      warning) [[ -n "$W" ]] && echo "$f:$n:5: warning: $*" >&2 ;;
      sleep) sleep "$1" ;;
      esac
    fi ;;
  esac
done < "$f"
exit $rc
`;

const GIT_ENV = {
  GIT_AUTHOR_NAME: "kcross test",
  GIT_AUTHOR_EMAIL: "test@kcross.invalid",
  GIT_COMMITTER_NAME: "kcross test",
  GIT_COMMITTER_EMAIL: "test@kcross.invalid",
};

async function git(dir: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("git", {
    args,
    cwd: dir,
    env: GIT_ENV,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  if (!out.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
  return new TextDecoder().decode(out.stdout).trim();
}

/** Default sources: vfio fails on arm64 allmodconfig, warns everywhere with W=1. */
export const FAKE_SOURCES: Record<string, string> = {
  "drivers/vfio/vfio_main.c": [
    "int vfio_main(void) { return 0; }",
    "// kcross-fake: error arm64 allmodconfig variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
    "// kcross-fake: warning * * unused variable 'x' [-Wunused-variable]",
    "",
  ].join("\n"),
  "drivers/net/net.c": "int net(void) { return 0; }\n",
  "drivers/slow/slow.c": "// kcross-fake: sleep * * 2\n",
};

/**
 * Creates a fake kernel git repository at `dir` with `sources` (path → text)
 * committed; returns the commit sha.
 */
export async function createFakeMatrixTree(
  dir: string,
  sources: Record<string, string> = FAKE_SOURCES,
): Promise<string> {
  await Deno.mkdir(`${dir}/scripts`, { recursive: true });
  await Deno.writeTextFile(`${dir}/Makefile`, MAKEFILE);
  await Deno.writeTextFile(`${dir}/scripts/fakecc`, SHIM, { mode: 0o755 });
  for (const [path, text] of Object.entries(sources)) {
    await Deno.mkdir(`${dir}/${path.slice(0, path.lastIndexOf("/"))}`, {
      recursive: true,
    });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  await git(dir, ["init", "-q", "-b", "master"]);
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", "fake linux"]);
  return await git(dir, ["rev-parse", "HEAD"]);
}

/** Commits `sources` changes on top; returns the new sha. */
export async function commitFakeChange(
  dir: string,
  sources: Record<string, string>,
  msg = "change",
): Promise<string> {
  for (const [path, text] of Object.entries(sources)) {
    await Deno.mkdir(`${dir}/${path.slice(0, path.lastIndexOf("/"))}`, {
      recursive: true,
    });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", msg]);
  return await git(dir, ["rev-parse", "HEAD"]);
}

const DIAG = /^([^:\s]+):(\d+):(\d+): (error|warning): (.*)$/;

function parseDiagnostics(log: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of log.split("\n")) {
    const m = line.match(DIAG);
    if (!m) continue;
    const flag = m[5]!.match(/\[(-W[^\]]+)\]$/)?.[1] ?? null;
    out.push({
      tool: "compiler",
      file: m[1]!,
      line: Number(m[2]),
      column: Number(m[3]),
      severity: m[4]!,
      message: m[5]!,
      flag,
      count: 1,
      objects: [],
    });
  }
  return out;
}

function outcome(
  partial: Partial<CellOutcome> & Pick<CellOutcome, "result">,
): CellOutcome {
  return {
    diagnostics: [],
    recordDir: null,
    recordId: null,
    logPath: null,
    reproducer: "",
    toolchain: null,
    configDigest: null,
    exitCode: null,
    timings: {},
    ...partial,
  };
}

/**
 * The fake cell runner. Compilers: `instant` (no build at all, for overhead
 * benches), `broken-*` (always an infra error), `flaky-*` (infra error on
 * the first attempt of each cell), anything else builds the fake tree.
 * A "toolchain fetch" per compiler happens under `ctx.serialize` and is
 * logged to `<ccacheDir>/../fake-toolchains/fetch.log`.
 */
export function createCellRunner(): CellRunner {
  return {
    async run(cell, ctx) {
      const compiler = cell.inputs.compiler;
      if (compiler === "instant") {
        return outcome({ result: "pass", reproducer: `fake ${cell.key}` });
      }
      if (compiler.startsWith("broken-")) {
        return outcome({
          result: "infra",
          message: `toolchain "${compiler}" cannot be fetched`,
        });
      }
      await Deno.mkdir(ctx.buildDir, { recursive: true });
      if (compiler.startsWith("flaky-")) {
        const marker = `${ctx.buildDir}/.flaky-${cell.digest}`;
        try {
          await Deno.stat(marker);
        } catch {
          await Deno.writeTextFile(marker, "");
          return outcome({ result: "infra", message: "mirror timed out" });
        }
      }
      const tcRoot = `${ctx.ccacheDir}/../fake-toolchains`;
      await ctx.serialize(`toolchain:${compiler}`, async () => {
        await Deno.mkdir(tcRoot, { recursive: true });
        try {
          await Deno.stat(`${tcRoot}/${compiler}`);
        } catch {
          await new Promise((r) => setTimeout(r, 50));
          await Deno.mkdir(`${tcRoot}/${compiler}`);
          await Deno.writeTextFile(`${tcRoot}/fetch.log`, `${compiler}\n`, {
            append: true,
          });
        }
      });
      ctx.status?.("make");
      const args = [
        "-C",
        ctx.srcTree,
        `O=${ctx.buildDir}`,
        `ARCH=${cell.inputs.arch}`,
        `KCONFIG=${cell.inputs.config}`,
        `CC=${ctx.srcTree}/scripts/fakecc`,
        `-j${ctx.makeJobs}`,
        ...Object.entries(cell.inputs.make).map(([k, v]) => `${k}=${v}`),
        ...(cell.inputs.targets.length ? cell.inputs.targets : ["all"]),
      ];
      const t0 = performance.now();
      const out = await new Deno.Command("make", {
        args,
        stdout: "piped",
        stderr: "piped",
        signal: ctx.signal,
      })
        .output();
      const log = new TextDecoder().decode(out.stdout) +
        new TextDecoder().decode(out.stderr);
      await Deno.writeTextFile(`${ctx.buildDir}/build.log`, log);
      const diagnostics = parseDiagnostics(log);
      return outcome({
        result: out.success ? "pass" : "fail",
        diagnostics,
        recordDir: ctx.buildDir,
        recordId: cell.digest,
        logPath: `${ctx.buildDir}/build.log`,
        reproducer: `make ${args.slice(2).join(" ")}`,
        toolchain: { id: `fake/${compiler}`, version: "0", exact: true },
        exitCode: out.code,
        timings: { make: Math.round(performance.now() - t0) },
      });
    },
  };
}
