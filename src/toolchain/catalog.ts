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
import { compareVersions, nearestVersions } from "../util/versions.ts";
export { compareVersions, nearestVersions } from "../util/versions.ts";

/** A compiler family. */
export type Family = "gcc" | "clang";

/** A parsed `COMPILER=` word. */
export interface CompilerSpec {
  family: Family;
  /**
   * Version prefix as written (`""`, `"11"`, `"11.2"`, `"11.2.0"`,
   * `"23.1.0-rc1"`); for a `…git` snapshot, the version without `git`.
   */
  partial: string;
  /** The word verbatim. */
  requested: string;
  /**
   * A development snapshot (`clang version 22.0.0git`): nobody can download
   * it, so it resolves to the newest release of its major (or the next
   * major) as a named substitute.
   */
  snapshot?: boolean;
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
  const m = /^(gcc|clang|llvm)(?:-([0-9]+(?:\.[0-9]+){0,2})(-rc[0-9]+|git)?)?$/
    .exec(
      word,
    );
  const suffix = m?.[3];
  if (!m || (suffix && m[2]!.split(".").length !== 3)) {
    throw new UserError(`Unknown compiler "${word}"`, {
      hint:
        "use gcc, gcc-<major>, gcc-<x.y.z>, clang, clang-<major>, llvm-<x.y.z> or llvm-<x.y.z>-rc<N>",
    });
  }
  const family = m[1] === "gcc" ? "gcc" : "clang";
  if (suffix === "git") {
    return { family, partial: m[2]!, requested: word, snapshot: true };
  }
  return { family, partial: `${m[2] ?? ""}${suffix ?? ""}`, requested: word };
}

/**
 * Whether `version` is a release candidate (`23.1.0-rc1`).
 *
 * @example
 * ```ts
 * import { isPrerelease } from "./catalog.ts";
 * if (!isPrerelease("23.1.0-rc1") || isPrerelease("21.1.8")) throw new Error();
 * ```
 */
export function isPrerelease(version: string): boolean {
  return /-rc[0-9]+$/.test(version);
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

/**
 * The newest of `versions` a partial request picks, as make.cross's
 * `sort -V | tail -1` intends: the newest matching release, else (only
 * release candidates exist, or one was asked for) the newest candidate.
 *
 * @example
 * ```ts
 * import { newestMatching } from "./catalog.ts";
 * const v = ["21.1.0", "21.1.8", "21.1.0-rc3", "23.1.0-rc1"];
 * if (newestMatching(v, "21") !== "21.1.8" || newestMatching(v, "23") !== "23.1.0-rc1") throw new Error();
 * ```
 */
export function newestMatching(
  versions: string[],
  partial: string,
): string | undefined {
  const sorted = [...versions].filter((v) => matchesPartial(v, partial))
    .sort((a, b) => compareVersions(b, a));
  return sorted.find((v) => !isPrerelease(v)) ?? sorted[0];
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
  const explicit = spec.partial.split(".").length === 3 && !spec.snapshot;
  if (explicit && known.includes(spec.partial)) {
    return { version: spec.partial, explicit };
  }
  const match = explicit ? undefined : newestMatching(known, spec.partial);
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
