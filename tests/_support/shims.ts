/**
 * Compiler shims for tests: stand-in cross gcc and LLVM toolchains laid out
 * the way make.cross's COMPILER_INSTALL_PATH holds them (kernel.org crosstool
 * `gcc-<ver>-nolibc/<triple>/bin/<triple>-gcc`, kernel.org LLVM
 * `llvm-<ver>-x86_64/bin/clang`, 0day `clang-<N>/bin/clang`).
 *
 * The compilers answer `--version`, `-dumpversion`, `-dumpmachine` like the
 * real ones, accept every other flag (make.cross's KCFLAGS probe runs
 * `<cc> <flag> -xc /dev/null`) unless it is in `reject`, when they print
 * gcc's or clang's real "unknown option" message.
 *
 * @module
 */

/** Options for the shims. */
export interface ShimOptions {
  /** Flags this compiler rejects. */
  reject?: string[];
}

async function write(path: string, text: string, mode = 0o755) {
  await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
  await Deno.writeTextFile(path, text, { mode });
  await Deno.chmod(path, mode);
}

function q(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

const GCC = `
prog=\${0##*/}
rc=0
for a in "$@"; do
  case $a in
  --version) printf '%s (GCC) %s\\n' "$prog" "$VER"; exit 0 ;;
  -dumpversion|-dumpfullversion) echo "$VER"; exit 0 ;;
  -dumpmachine) echo "$TRIPLE"; exit 0 ;;
  esac
  case "$REJECT" in *" $a "*) echo "$prog: error: unrecognized command-line option '$a'" >&2; rc=1 ;; esac
done
exit $rc
`;

const CLANG = `
prog=\${0##*/}
rc=0
for a in "$@"; do
  case $a in
  --version) printf 'ClangBuiltLinux clang version %s\\n' "$VER"; exit 0 ;;
  -dumpversion) echo "$VER"; exit 0 ;;
  esac
  case "$REJECT" in
  *" $a "*)
    case $a in
    -W*) echo "warning: unknown warning option '$a' [-Wunknown-warning-option]" >&2 ;;
    *) echo "$prog: error: unknown argument: '$a'" >&2; rc=1 ;;
    esac ;;
  esac
done
exit $rc
`;

const TOOL =
  `case "\${1-}" in --version|-v|-V) echo "\${0##*/} (shim) $VER" ;; esac\nexit 0\n`;

/**
 * Installs a kernel.org crosstool gcc shim:
 * `<cip>/gcc-<ver>-nolibc/<triple>/{bin,libexec/gcc/<triple>/<ver>}`.
 *
 * @returns the gcc path
 */
export async function installGccShim(
  cip: string,
  version: string,
  triple: string,
  options: ShimOptions = {},
): Promise<string> {
  const top = `${cip}/gcc-${version}-nolibc/${triple}`;
  const head = `#!/bin/sh\nTRIPLE=${q(triple)}\nVER=${q(version)}\nREJECT=${
    q(` ${(options.reject ?? []).join(" ")} `)
  }\n`;
  const gcc = `${top}/bin/${triple}-gcc`;
  await write(gcc, head + GCC);
  for (const t of ["as", "ld", "ar", "nm", "objcopy", "objdump", "strip"]) {
    await write(`${top}/bin/${triple}-${t}`, `#!/bin/sh\nVER=2.40\n${TOOL}`);
  }
  await write(
    `${top}/libexec/gcc/${triple}/${version}/cc1`,
    `#!/bin/sh\nVER=${q(version)}\n${TOOL}`,
  );
  return gcc;
}

/**
 * Installs an LLVM shim: kernel.org layout `<cip>/llvm-<ver>-x86_64/bin/`
 * by default, or `<cip>/<dir>/bin/` (0day layout) when `dir` is given.
 *
 * @returns the clang path
 */
export async function installLlvmShim(
  cip: string,
  version: string,
  options: ShimOptions & { dir?: string } = {},
): Promise<string> {
  const bin = `${cip}/${options.dir ?? `llvm-${version}-x86_64`}/bin`;
  const head = `#!/bin/sh\nVER=${q(version)}\nREJECT=${
    q(` ${(options.reject ?? []).join(" ")} `)
  }\n`;
  await write(`${bin}/clang`, head + CLANG);
  for (
    const t of ["ld.lld", "llvm-ar", "llvm-nm", "llvm-objcopy", "llvm-strip"]
  ) {
    await write(`${bin}/${t}`, `#!/bin/sh\nVER=${q(version)}\n${TOOL}`);
  }
  return `${bin}/clang`;
}
