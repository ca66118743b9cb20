/**
 * Pieces both planners share: the triple choice with its reason and the dts
 * overrides.
 *
 * @module
 */
import { chooseTriple, supportedArches } from "../toolchain/arch.ts";
import { KcrossError } from "../errors.ts";

/** The triple and why. */
export interface TripleDecision {
  triple: string;
  reason: string;
}

/**
 * make.cross's triple for `arch` given a `.config` (null: none), with a
 * reason; an arch outside the table gets `<arch>-linux`, as make.cross does.
 *
 * @example
 * ```ts
 * import { decideTriple } from "./_common.ts";
 * const d = decideTriple("powerpc", "CONFIG_PPC64=y\n", "build_dir/.config");
 * if (d.triple !== "powerpc64-linux" || !d.reason.includes("CONFIG_PPC64")) throw new Error();
 * if (decideTriple("powerpc", null, "build_dir/.config").triple !== "powerpc-linux") throw new Error();
 * ```
 */
export function decideTriple(
  arch: string,
  config: string | null,
  configPath: string,
  options: { aliases?: boolean } = {},
): TripleDecision {
  const fallback = {
    triple: `${arch}-linux`,
    reason:
      `"${arch}" is not in make.cross's arch list; its fallback <arch>-linux`,
  };
  // make.cross knows no aliases (ARCH=x86 looks for x86-linux): drop-in mode
  // passes aliases: false.
  if (options.aliases === false && !isSupportedArch(arch)) return fallback;
  let choice;
  try {
    choice = chooseTriple(arch, config);
  } catch (e) {
    if (!(e instanceof KcrossError)) throw e;
    return fallback;
  }
  if (choice.decidedBy) {
    return {
      triple: choice.triple,
      reason: `${choice.decidedBy} is enabled in ${configPath}`,
    };
  }
  return {
    triple: choice.triple,
    reason: config === null
      ? `default for ${arch}: no ${configPath} yet (make.cross reads .config before make runs)`
      : `default for ${arch}: ${configPath} enables no 32/64-bit rule symbol`,
  };
}

/** Whether `arch` is in make.cross's KBUILD_SUPPORTED_ARCHS. */
export function isSupportedArch(arch: string): boolean {
  return supportedArches().includes(arch);
}

const SRC_ARCH: Record<string, string> = {
  i386: "x86",
  x86_64: "x86",
  sparc32: "sparc",
  sparc64: "sparc",
  parisc: "parisc",
  parisc64: "parisc",
  sh64: "sh",
  tilepro: "tile",
  tilegx: "tile",
  powerpc64: "powerpc",
};

/**
 * kbuild.sh `src_arch`: the `arch/` directory of an ARCH.
 *
 * @example
 * ```ts
 * import { srcArch } from "./_common.ts";
 * if (srcArch("i386") !== "x86" || srcArch("arm64") !== "arm64") throw new Error();
 * ```
 */
export function srcArch(arch: string): string {
  return SRC_ARCH[arch] ?? arch;
}

/** `CONFIG_OF_ALL_DTBS=y CONFIG_DTC=y` when `dir/arch/<srcarch>/boot/dts/Makefile` exists. */
export async function dtsVars(dir: string, arch: string): Promise<string[]> {
  try {
    const st = await Deno.stat(
      `${dir}/arch/${srcArch(arch)}/boot/dts/Makefile`,
    );
    return st.isFile ? ["CONFIG_OF_ALL_DTBS=y", "CONFIG_DTC=y"] : [];
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    if (e instanceof Deno.errors.NotADirectory) return [];
    throw e;
  }
}
