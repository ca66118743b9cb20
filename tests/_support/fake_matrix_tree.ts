/**
 * A fake kernel tree for matrix tests that the real builder builds: a git
 * repository whose top Makefile has a kernel version, config targets and
 * directory goals, and a cross gcc shim (the make.cross
 * COMPILER_INSTALL_PATH layout, `tests/_support/shims.ts`) that prints
 * gcc-style diagnostics for `// kcross-fake:` markers in the sources. Cells
 * run through the real cell runner, planner, make and record writer; only
 * the toolchain comes from here: in-process tests resolve it with
 * `markerContext()` (a stand-in resolver that "fetches" the shim, and can
 * fail as a mirror would), worker subprocesses find it in the
 * COMPILER_INSTALL_PATH `installMarkerGcc()` fills.
 *
 * Marker syntax in a `.c` file (ARCH / config may be `*`):
 *   // kcross-fake: error <arch> <config> <message>
 *   // kcross-fake: warning <arch> <config> <message>   (only with W set)
 *   // kcross-fake: sleep <arch> <config> <seconds>
 *   // kcross-fake: wait <arch> <config> <file>          (until the file exists)
 *
 * `<config>` is the config target the cell's config step ran (the fake
 * config targets record it in the `.config` as `CONFIG_FAKE_NAME`).
 *
 * @module
 */
import { type BuildContext, buildContext } from "../../src/build/mod.ts";
import { InfraError } from "../../src/errors.ts";
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";
import { installGccShim } from "./shims.ts";

const MAKEFILE =
  `# fake kbuild for kcross matrix tests (real make, the real builder)
VERSION = 6
PATCHLEVEL = 1
SUBLEVEL = 0
EXTRAVERSION =
NAME = kcross fake

objtree := $(if $(O),$(O),.)
KCONFIG := $(shell sed -n 's/^CONFIG_FAKE_NAME="\\(.*\\)"$$/\\1/p' $(objtree)/.config 2>/dev/null)
export ARCH KCONFIG W

all: drivers/

kernelversion:
\t@echo $(VERSION).$(PATCHLEVEL).$(SUBLEVEL)$(EXTRAVERSION)

olddefconfig oldconfig syncconfig: FORCE
\t@test -f $(objtree)/.config

%config: FORCE
\t@mkdir -p $(objtree)
\t@printf '%s\\n' '# fake $@ ARCH=$(ARCH)' 'CONFIG_FAKE_NAME="$@"' CONFIG_64BIT=y CONFIG_PPC64=y > $(objtree)/.config

%/: FORCE
\t@mkdir -p $(objtree)/$@
\t@rc=0; for f in $@*.c; do [ -f "$$f" ] || continue; echo "  CC      $\${f%.c}.o"; $(CROSS_COMPILE)gcc -c $$f || rc=1; touch $(objtree)/$\${f%.c}.o; done; exit $$rc

FORCE:
.PHONY: FORCE all kernelversion
`;

const shimGcc = (triple: string, version: string) =>
  `#!/bin/bash
# fake cross gcc (kcross matrix tests): answers the version probes; for each
# .c it compiles, prints diagnostics for the kcross-fake markers matching
# ARCH and KCONFIG (exported by the fake Makefile)
TRIPLE='${triple}'
VER='${version}'
prog=\${0##*/}
for a in "$@"; do
  case $a in
  --version) printf '%s (GCC) %s\\n' "$prog" "$VER"; exit 0 ;;
  -dumpversion|-dumpfullversion) echo "$VER"; exit 0 ;;
  -dumpmachine) echo "$TRIPLE"; exit 0 ;;
  esac
done
rc=0
for f in "$@"; do
  case $f in *.c) ;; *) continue ;; esac
  [[ -f $f ]] || continue
  n=0
  while IFS= read -r line || [[ -n $line ]]; do
    n=$((n+1))
    case "$line" in
    *"kcross-fake: "*)
      read -r kind arch cfg rest <<< "\${line#*kcross-fake: }"
      if [[ ($arch == '*' || $arch == "$ARCH") && ($cfg == '*' || $cfg == "$KCONFIG") ]]; then
        case $kind in
        error) echo "$f:$n:5: error: $rest" >&2; rc=1 ;;
        warning) if [[ -n $W ]]; then echo "$f:$n:5: warning: $rest" >&2; fi ;;
        sleep) sleep "$rest" ;;
        wait) while [[ ! -e $rest ]]; do sleep 0.05; done ;;
        esac
      fi ;;
    esac
  done < "$f"
done
exit $rc
`;

/** The triples the matrix tests' cells build for. */
export const MARKER_TRIPLES = [
  "powerpc64-linux",
  "powerpc-linux",
  "aarch64-linux",
  "x86_64-linux",
];

/** The version a compiler name ends in (`gcc-12.2.0` → `12.2.0`; else 12.2.0). */
function versionOf(compiler: string): string {
  return /(\d+\.\d+(?:\.\d+)*)$/.exec(compiler)?.[1] ?? "12.2.0";
}

/** The toolchain of a marker gcc under `cip`, as a resolver returns it. */
function markerToolchain(
  cip: string,
  compiler: string,
  triple: string,
): ResolvedToolchain {
  const version = versionOf(compiler);
  const binDir = `${cip}/gcc-${version}-nolibc/${triple}/bin`;
  return {
    id: `gcc-${version}-nolibc/${triple}`,
    family: "gcc",
    requested: compiler,
    version,
    provider: "crosstool",
    exact: true,
    triple,
    binDir,
    crossCompile: `${binDir}/${triple}-`,
  };
}

/**
 * Installs the marker gcc for `compiler` (default `gcc-12.2.0`) and each of
 * `triples` in a make.cross COMPILER_INSTALL_PATH (`<cip>/gcc-<ver>-nolibc/
 * <triple>/bin/<triple>-gcc`, binutils shims beside it).
 */
export async function installMarkerGcc(
  cip: string,
  compiler = "gcc-12.2.0",
  triples: readonly string[] = MARKER_TRIPLES,
): Promise<void> {
  const version = versionOf(compiler);
  for (const triple of triples) {
    const gcc = await installGccShim(cip, version, triple);
    await Deno.writeTextFile(gcc, shimGcc(triple, version), { mode: 0o755 });
  }
}

/**
 * A context for in-process matrix tests: the real process runner, builder
 * and record writer, with a toolchain resolver that "fetches" the marker gcc
 * into `<root>/fake-toolchains/<compiler>` the first time a compiler and triple are
 * asked for (after a short wait, so that two unserialized requests would
 * both fetch) and logs it to `<root>/fake-toolchains/fetch.log`. Compilers
 * `broken-*` cannot be fetched (an infra error); `flaky-*` fail once for
 * each triple, then work.
 */
export function markerContext(root: string): BuildContext {
  const top = `${root}/fake-toolchains`;
  const failedOnce = new Set<string>();
  return buildContext({
    async resolveToolchain(req) {
      const compiler = req.compiler;
      if (compiler.startsWith("broken-")) {
        throw new InfraError(`Toolchain "${compiler}" cannot be fetched`);
      }
      const key = `${compiler} ${req.triple}`;
      if (compiler.startsWith("flaky-") && !failedOnce.has(key)) {
        failedOnce.add(key);
        throw new InfraError(`Cannot fetch "${compiler}": mirror timed out`);
      }
      const cip = `${top}/${compiler}`;
      const tc = markerToolchain(cip, compiler, req.triple);
      try {
        await Deno.stat(`${tc.crossCompile}gcc`);
      } catch {
        await new Promise((r) => setTimeout(r, 50));
        await installMarkerGcc(cip, compiler, [req.triple]);
        await Deno.writeTextFile(`${top}/fetch.log`, `${key}\n`, {
          append: true,
        });
      }
      return tc;
    },
  });
}

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

async function writeSources(dir: string, sources: Record<string, string>) {
  for (const [path, text] of Object.entries(sources)) {
    await Deno.mkdir(`${dir}/${path.slice(0, path.lastIndexOf("/"))}`, {
      recursive: true,
    });
    await Deno.writeTextFile(`${dir}/${path}`, text);
  }
}

/**
 * Creates a fake kernel git repository at `dir` with `sources` (path → text)
 * committed; returns the commit sha.
 */
export async function createFakeMatrixTree(
  dir: string,
  sources: Record<string, string> = FAKE_SOURCES,
): Promise<string> {
  await Deno.writeTextFile(`${dir}/Makefile`, MAKEFILE);
  await writeSources(dir, sources);
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
  await writeSources(dir, sources);
  await git(dir, ["add", "-A"]);
  await git(dir, ["commit", "-q", "-m", msg]);
  return await git(dir, ["rev-parse", "HEAD"]);
}
