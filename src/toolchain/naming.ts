/**
 * Per-version file naming of the toolchain mirrors, from
 * `toolchains/crosstool.json`: which file a version/triple/host is published
 * as, and what a file name says. Pure: the mirror listing decides what
 * exists; this predicts and explains.
 *
 * @module
 */
import data from "../../toolchains/crosstool.json" with { type: "json" };
import { compareVersions } from "./catalog.ts";

/** A host as the mirrors name it. */
export interface HostNames {
  /** `bin/<dir>/` and the file prefix of crosstool builds (`x86_64`, `arm64`). */
  crosstool: string;
  /** The LLVM file suffix (`x86_64`, `aarch64`). */
  llvm: string;
}

interface Range {
  from?: string;
  to?: string;
}

const hosts = data.hosts as Record<string, HostNames>;
const availability = data.availability as Record<string, Range[]>;
const aliases = data.aliases as Record<string, string[]>;

/**
 * The mirror names of the machine kcross runs on (`uname -m`), or of `arch`.
 *
 * @example
 * ```ts
 * import { hostNames } from "./naming.ts";
 * if (hostNames("aarch64").crosstool !== "arm64" || hostNames("aarch64").llvm !== "aarch64") throw new Error();
 * ```
 */
export function hostNames(arch: string = Deno.build.arch): HostNames {
  return hosts[arch] ?? hosts.x86_64!;
}

/** A crosstool archive name, taken apart. */
export interface CrosstoolFile {
  host: string;
  version: string;
  /** `-` or `_` between `nolibc` and the triple. */
  separator: string;
  triple: string;
  /** `.tar.xz` or `.tar.gz`. */
  ext: string;
}

/**
 * Parses `x86_64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz` (or the `_`
 * spelling, `.tar.gz`, an `arm64-` host); null for anything else.
 *
 * @example
 * ```ts
 * import { parseCrosstoolFile } from "./naming.ts";
 * const f = parseCrosstoolFile("x86_64-gcc-4.9.0-nolibc_arm-unknown-linux-gnueabi.tar.gz");
 * if (f?.version !== "4.9.0" || f.separator !== "_" || f.triple !== "arm-unknown-linux-gnueabi" || f.ext !== ".tar.gz") throw new Error();
 * ```
 */
export function parseCrosstoolFile(name: string): CrosstoolFile | null {
  const m =
    /^([a-z0-9_]+)-gcc-([0-9]+\.[0-9]+\.[0-9]+)-nolibc([-_])([A-Za-z0-9_.-]+?)(\.tar\.(?:xz|gz))$/
      .exec(name);
  if (!m) return null;
  return {
    host: m[1]!,
    version: m[2]!,
    separator: m[3]!,
    triple: m[4]!,
    ext: m[5]!,
  };
}

/** Spellings of `triple` in file names, the canonical one first. */
export function tripleSpellings(triple: string): string[] {
  return [triple, ...(aliases[triple] ?? [])];
}

/** The separator a layout uses for `version`. */
export function separatorFor(
  layout: "kernel.org" | "cross-package",
  version: string,
): string {
  const s = data.separators[layout] as {
    default: string;
    underscore: string[];
  };
  return s.underscore.includes(version) ? "_" : s.default;
}

/**
 * The archive names `version`/`triple` may be published as, best first
 * (the predicted spelling and `.tar.xz` first).
 *
 * @example
 * ```ts
 * import { crosstoolNames } from "./naming.ts";
 * const n = crosstoolNames("7.3.0", "powerpc-linux", { host: "x86_64" });
 * if (n[0] !== "x86_64-gcc-7.3.0-nolibc_powerpc-linux.tar.xz") throw new Error(n[0]);
 * ```
 */
export function crosstoolNames(
  version: string,
  triple: string,
  options: { host: string; layout?: "kernel.org" | "cross-package" },
): string[] {
  const predicted = separatorFor(options.layout ?? "kernel.org", version);
  const seps = [predicted, predicted === "-" ? "_" : "-"];
  const out: string[] = [];
  for (const t of tripleSpellings(triple)) {
    for (const ext of data.extensions) {
      for (const s of seps) {
        out.push(`${options.host}-gcc-${version}-nolibc${s}${t}${ext}`);
      }
    }
  }
  // Predicted separator and xz first; aliases and gz after.
  return out.sort((a, b) => rank(a) - rank(b));

  function rank(n: string): number {
    const f = parseCrosstoolFile(n)!;
    return (f.triple === triple ? 0 : 4) + (f.ext === ".tar.xz" ? 0 : 2) +
      (f.separator === predicted ? 0 : 1);
  }
}

/**
 * Whether kernel.org builds `triple` for `version`, as far as the data knows
 * (`toolchains/crosstool.json` availability); the listing has the last word.
 *
 * @example
 * ```ts
 * import { tripleBuilt } from "./naming.ts";
 * if (tripleBuilt("9.3.0", "arc-linux") || !tripleBuilt("12.1.0", "loongarch64-linux")) throw new Error();
 * if (tripleBuilt("15.1.0", "powerpc64le-linux") || !tripleBuilt("15.1.0", "powerpc64-linux")) throw new Error();
 * ```
 */
export function tripleBuilt(version: string, triple: string): boolean {
  const ranges = availability[triple];
  if (!ranges) return true;
  return ranges.some((r) =>
    (!r.from || compareVersions(version, r.from) >= 0) &&
    (!r.to || compareVersions(version, r.to) <= 0)
  );
}

/** Human text of the versions `triple` is built for (for hints). */
export function tripleRanges(triple: string): string | null {
  const ranges = availability[triple];
  if (!ranges) return null;
  return ranges.map((r) =>
    r.from && r.to && r.from === r.to
      ? r.from
      : r.from && r.to
      ? `${r.from} to ${r.to}`
      : r.from
      ? `${r.from} and later`
      : `up to ${r.to}`
  ).join(", ");
}

/** A kernel.org LLVM archive name, taken apart. */
export interface LlvmFile {
  version: string;
  host: string;
  ext: string;
}

/**
 * Parses `llvm-21.1.8-x86_64.tar.xz`, `llvm-23.1.0-rc1-aarch64.tar.gz`.
 *
 * @example
 * ```ts
 * import { parseLlvmFile } from "./naming.ts";
 * const f = parseLlvmFile("llvm-23.1.0-rc1-x86_64.tar.xz");
 * if (f?.version !== "23.1.0-rc1" || f.host !== "x86_64") throw new Error();
 * ```
 */
export function parseLlvmFile(name: string): LlvmFile | null {
  const m =
    /^llvm-([0-9]+\.[0-9]+\.[0-9]+(?:-rc[0-9]+)?)-(x86_64|aarch64)(\.tar\.(?:xz|gz))$/
      .exec(name);
  return m ? { version: m[1]!, host: m[2]!, ext: m[3]! } : null;
}

/** The kernel.org LLVM archive names of `version`, best first. */
export function llvmNames(version: string, host: string): string[] {
  return data.extensions.map((ext) => `llvm-${version}-${host}${ext}`);
}

/** An 01.org cross-package clang layout, filled in for a major. */
export interface CrossPackageClang {
  dir: string;
  archive: string;
  top: string;
}

/** The 01.org clang layouts for `major`, newest layout first. */
export function crossPackageClangLayouts(major: string): CrossPackageClang[] {
  return data.crossPackageClang.layouts.map((l) => ({
    dir: l.dir.replace("{major}", major),
    archive: l.archive.replace("{major}", major),
    top: l.top.replace("{major}", major),
  }));
}
