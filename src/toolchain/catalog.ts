/**
 * The toolchain catalog (`toolchains/gcc.json`, `toolchains/llvm_releases.json`): which
 * compiler releases kcross knows, and how a `COMPILER=` word maps to one.
 *
 * @module
 */
import gccData from "../../toolchains/gcc.json" with { type: "json" };
import llvmData from "../../toolchains/llvm_releases.json" with {
  type: "json",
};
import { UserError } from "../errors.ts";

/** A compiler family. */
export type Family = "gcc" | "clang";

/** A parsed `COMPILER=` word. */
export interface CompilerSpec {
  family: Family;
  /** Version prefix as written (`""`, `"11"`, `"11.2"`, `"11.2.0"`). */
  partial: string;
  /** The word verbatim. */
  requested: string;
}

/**
 * Parses `gcc`, `gcc-11`, `gcc-11.2.0`, `clang`, `clang-15`, `llvm-15.0.7`.
 *
 * @throws {UserError} for anything else
 * @example
 * ```ts
 * import { parseCompiler } from "./catalog.ts";
 * const s = parseCompiler("llvm-15");
 * if (s.family !== "clang" || s.partial !== "15") throw new Error();
 * ```
 */
export function parseCompiler(word: string): CompilerSpec {
  const m = /^(gcc|clang|llvm)(?:-([0-9]+(?:\.[0-9]+){0,2}))?$/.exec(word);
  if (!m) {
    throw new UserError(`Unknown compiler "${word}"`, {
      hint:
        "use gcc, gcc-<major>, gcc-<x.y.z>, clang, clang-<major> or llvm-<x.y.z>",
    });
  }
  return {
    family: m[1] === "gcc" ? "gcc" : "clang",
    partial: m[2] ?? "",
    requested: word,
  };
}

/**
 * Compares dotted versions numerically (`10.1.0` > `9.5.0`).
 *
 * @example
 * ```ts
 * import { compareVersions } from "./catalog.ts";
 * if (compareVersions("10.1.0", "9.5.0") <= 0) throw new Error();
 * ```
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Whether `version` matches a prefix: `11` matches `11.2.0`, `11.2` matches
 * `11.2.0`, `""` matches everything; `1` does not match `11.2.0`.
 *
 * @example
 * ```ts
 * import { matchesPartial } from "./catalog.ts";
 * if (!matchesPartial("11.2.0", "11") || matchesPartial("11.2.0", "1")) throw new Error();
 * ```
 */
export function matchesPartial(version: string, partial: string): boolean {
  if (partial === "") return true;
  return version === partial || version.startsWith(`${partial}.`);
}

/** Known versions of a family, newest first, and where each is published. */
export function knownVersions(family: Family): string[] {
  const all = family === "gcc"
    ? [...gccData["kernel.org"], ...gccData["cross-package"]]
    : [...llvmData["kernel.org"]];
  return [...new Set(all)].sort((a, b) => compareVersions(b, a));
}

/** Mirror layouts known to publish `version` of `family`. */
export function publishedBy(family: Family, version: string): string[] {
  if (family === "clang") {
    return llvmData["kernel.org"].includes(version) ? ["llvm"] : [];
  }
  const out: string[] = [];
  if (gccData["kernel.org"].includes(version)) out.push("crosstool");
  if (gccData["cross-package"].includes(version)) out.push("cross-package");
  return out;
}

/**
 * The `n` versions closest to `wanted` among `versions` (same major first).
 *
 * @example
 * ```ts
 * import { nearestVersions } from "./catalog.ts";
 * const n = nearestVersions("11.2.1", ["12.1.0", "11.2.0", "11.3.0", "4.9.4"], 2);
 * if (n.join() !== "11.2.0,11.3.0") throw new Error(n.join());
 * ```
 */
export function nearestVersions(
  wanted: string,
  versions: string[],
  n = 3,
): string[] {
  const score = (v: string): number[] => {
    const a = wanted.split(".").map(Number);
    const b = v.split(".").map(Number);
    return [0, 1, 2].map((i) => Math.abs((a[i] ?? 0) - (b[i] ?? 0)));
  };
  return [...versions].sort((x, y) => {
    const sx = score(x);
    const sy = score(y);
    for (let i = 0; i < 3; i++) {
      const d = sx[i]! - sy[i]!;
      if (d !== 0) return d;
    }
    return compareVersions(x, y);
  }).slice(0, n);
}

/** A catalog answer: the exact version a request resolves to. */
export interface VersionChoice {
  version: string;
  /** True when the request named the full version. */
  explicit: boolean;
}

/**
 * Resolves a request to the newest known matching version (deterministic).
 * An exact version not in the catalog is returned as is when `extra` (for
 * example versions found installed) contains it.
 *
 * @throws {UserError} when nothing known matches, listing the nearest versions
 * @example
 * ```ts
 * import { parseCompiler, resolveVersion } from "./catalog.ts";
 * if (resolveVersion(parseCompiler("gcc-11")).version !== "11.5.0") throw new Error();
 * ```
 */
export function resolveVersion(
  spec: CompilerSpec,
  extra: string[] = [],
): VersionChoice {
  const known = [...new Set([...knownVersions(spec.family), ...extra])]
    .sort((a, b) => compareVersions(b, a));
  const explicit = spec.partial.split(".").length === 3;
  if (explicit && known.includes(spec.partial)) {
    return { version: spec.partial, explicit };
  }
  const match = explicit
    ? undefined
    : known.find((v) => matchesPartial(v, spec.partial));
  if (match) return { version: match, explicit };
  const name = spec.family === "gcc" ? "gcc" : "llvm";
  const nearest = nearestVersions(spec.partial || "0", known)
    .map((v) => `${spec.family}-${v}`);
  throw new UserError(
    `Unknown ${spec.family} version "${spec.requested}": no such release is known`,
    {
      hint: `nearest known: ${
        nearest.join(", ")
      } (releases are listed in toolchains/${
        spec.family === "gcc" ? "gcc.json" : "llvm_releases.json"
      }; "kcross toolchain list" shows them; ${name} versions are x.y.z)`,
    },
  );
}
