/**
 * Named targets of `kcross build` (`kernel`, `modules`, `dtbs`, `headers`…)
 * beside Kbuild paths: the table (`toolchains/targets.json`), resolving a
 * command line's words into phases in dependency order, and what an arch
 * supports.
 *
 * @module
 */
import table from "../../toolchains/targets.json" with { type: "json" };
import { UserError } from "../errors.ts";
import { srcArch } from "./_common.ts";
import type { ArtifactLevel, ArtifactRule, PlannedPhase } from "./types.ts";

/** One target of the table. */
export interface TargetSpec {
  name: string;
  summary: string;
  /** make goals (`{image}` filled in per arch). */
  goals: string[];
  /** Whether it builds on the config step's `.config`. */
  config: boolean;
  requires: string[];
  /** Skipped when this symbol is off in the final `.config`. */
  needs?: string;
  /** Only these ARCHs (absent: every one). */
  arches?: string[];
  /** Requirements of `toolchains/doctor.json` it cannot build without. */
  hostTools?: string[];
  artifacts: { default: ArtifactRule[]; all: ArtifactRule[] };
}

interface RawTarget {
  summary: string;
  goals: string[];
  config: boolean;
  requires: string[];
  needs?: string;
  arches?: string | string[];
  hostTools?: string[];
  artifacts: { default: ArtifactRule[]; all: ArtifactRule[] };
}

const raw = table as unknown as {
  targets: Record<string, RawTarget>;
  dtsArches: string[];
  images: Record<string, { image: string; path: string }>;
};

/** Every named target, in table (= run) order. */
export const TARGETS: readonly TargetSpec[] = Object.entries(raw.targets).map(
  ([name, t]) => ({
    name,
    summary: t.summary,
    goals: t.goals,
    config: t.config,
    requires: t.requires,
    ...(t.needs ? { needs: t.needs } : {}),
    ...(t.arches
      ? { arches: t.arches === "dts" ? raw.dtsArches : [...t.arches] }
      : {}),
    ...(t.hostTools ? { hostTools: [...t.hostTools] } : {}),
    artifacts: t.artifacts,
  }),
);

const BY_NAME = new Map(TARGETS.map((t) => [t.name, t]));

/** The phase name of the Kbuild paths given beside named targets. */
export const KBUILD_PHASE = "kbuild";

/**
 * The default image of `arch`: its make goal and its path in the output dir.
 *
 * @example
 * ```ts
 * import { kernelImage } from "./targets.ts";
 * if (kernelImage("arm64").path !== "arch/arm64/boot/Image.gz") throw new Error();
 * if (kernelImage("powerpc").image !== "vmlinux") throw new Error();
 * ```
 */
export function kernelImage(arch: string): { image: string; path: string } {
  return raw.images[arch] ?? raw.images.default!;
}

/** The named target `name` (undefined: not one). */
export function targetSpec(name: string): TargetSpec | undefined {
  return BY_NAME.get(name);
}

/** Whether `word` names a target of the table. */
export function isNamedTarget(word: string): boolean {
  return BY_NAME.has(word);
}

/** Whether `target` can be built for `arch`. */
export function supportsArch(target: TargetSpec, arch: string): boolean {
  return target.arches === undefined || target.arches.includes(arch);
}

function fill(text: string, arch: string): string {
  const img = kernelImage(arch);
  return text.replaceAll("{imagePath}", img.path)
    .replaceAll("{image}", img.image)
    .replaceAll("{srcarch}", srcArch(arch));
}

function fillRule(rule: ArtifactRule, arch: string): ArtifactRule {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(rule)) {
    out[k] = Array.isArray(v)
      ? v.map((x) => fill(String(x), arch))
      : fill(String(v), arch);
  }
  return out as unknown as ArtifactRule;
}

/** The artifacts `target` collects at `level`, filled in for `arch`. */
export function artifactRules(
  target: TargetSpec,
  arch: string,
  level: ArtifactLevel,
): ArtifactRule[] {
  if (level === "none") return [];
  const rules = level === "all"
    ? [...target.artifacts.default, ...target.artifacts.all]
    : target.artifacts.default;
  const names = new Set<string>();
  return rules.map((r) => fillRule(r, arch)).filter((r) => {
    const key = r.kind === "glob" ? `${r.dir}/${r.pattern}` : r.name;
    if (names.has(key)) return false;
    names.add(key);
    return true;
  });
}

/**
 * The named targets among `words` that `arch` does not support, in order
 * (empty: every one can be built). Pure.
 *
 * @example
 * ```ts
 * import { unsupportedTargets } from "./targets.ts";
 * if (unsupportedTargets(["kernel", "dtbs", "fs/"], "x86_64").join() !== "dtbs") throw new Error();
 * if (unsupportedTargets(["dtbs"], "arm64").length !== 0) throw new Error();
 * ```
 */
export function unsupportedTargets(
  words: readonly string[],
  arch: string,
): string[] {
  return [...new Set(words)].filter((w) => {
    const t = BY_NAME.get(w);
    return t !== undefined && !supportsArch(t, arch);
  });
}

/** What `resolveTargets` makes of a command line's goals. */
export interface ResolvedTargets {
  /** Phases in run order: named targets (dependencies added), Kbuild paths as one phase. */
  phases: PlannedPhase[];
  /** The goals that are not named targets (Kbuild paths, other make goals). */
  kbuild: string[];
}

/**
 * Splits goals into named targets and Kbuild paths and orders the named
 * ones after their dependencies (added when not asked for: `modules` brings
 * `kernel`, everything on a `.config` brings `config`). Phases run in table
 * order; the Kbuild paths, if any, are one phase right after `config`.
 * Pure.
 *
 * @param words the goals as given (`["modules", "drivers/vfio/"]`)
 * @param options the ARCH and the artifact level
 * @returns the phases, or none when no word is a named target (a plain
 *   Kbuild build keeps its single make call)
 * @throws {UserError} a named target the arch does not support
 *
 * @example
 * ```ts
 * import { resolveTargets } from "./targets.ts";
 * const r = resolveTargets(["modules"], { arch: "powerpc", artifacts: "none" });
 * const names = r.phases.map((p) => p.name).join();
 * if (names !== "config,kernel,modules") throw new Error(names);
 * if (r.phases[1]!.goals.join() !== "vmlinux") throw new Error();
 * if (resolveTargets(["drivers/vfio/"], { arch: "x86_64", artifacts: "default" }).phases.length !== 0) throw new Error();
 * ```
 */
export function resolveTargets(
  words: readonly string[],
  options: { arch: string; artifacts: ArtifactLevel },
): ResolvedTargets {
  const { arch } = options;
  const kbuild = words.filter((w) => !isNamedTarget(w));
  const asked = new Set(words.filter(isNamedTarget));
  if (asked.size === 0) return { phases: [], kbuild };
  const unsupported = unsupportedTargets(words, arch)[0];
  if (unsupported !== undefined) {
    throw new UserError(
      `Target "${unsupported}" is not supported for ARCH "${arch}"`,
      { hint: `kcross build --list-targets --arch ${arch}` },
    );
  }
  const wanted = new Set<string>();
  const add = (name: string) => {
    if (wanted.has(name)) return;
    wanted.add(name);
    const t = BY_NAME.get(name)!;
    for (const r of t.requires) add(r);
    if (t.config) add("config");
  };
  for (const name of asked) add(name);
  if (kbuild.length) add("config");
  const phases: PlannedPhase[] = [];
  for (const t of TARGETS) {
    if (!wanted.has(t.name)) continue;
    phases.push({
      name: t.name,
      goals: t.goals.map((g) => fill(g, arch)),
      requires: t.config && t.name !== "config"
        ? [...new Set(["config", ...t.requires])]
        : [...t.requires],
      ...(t.needs ? { needs: t.needs } : {}),
      implied: !asked.has(t.name),
      artifacts: artifactRules(t, arch, options.artifacts),
    });
    if (t.name === "config" && kbuild.length) {
      phases.push({
        name: KBUILD_PHASE,
        goals: [...kbuild],
        requires: ["config"],
        implied: false,
        artifacts: [],
      });
    }
  }
  return { phases, kbuild };
}

/** A target's one-line summary, its image filled in for `arch`. */
export function targetSummary(target: TargetSpec, arch?: string): string {
  return arch
    ? fill(target.summary, arch)
    : target.summary.replace("{image}", "vmlinux, Image.gz, bzImage…");
}

/**
 * The targets an arch supports, for `kcross build --list-targets`, or every
 * target with the arches it is limited to when `arch` is absent.
 *
 * @example
 * ```ts
 * import { listTargets } from "./targets.ts";
 * const x86 = listTargets("x86_64");
 * if (x86.some((l) => l.startsWith("dtbs "))) throw new Error("x86 has no dts");
 * if (!x86.some((l) => l.startsWith("kernel ") && l.includes("bzImage"))) throw new Error();
 * ```
 */
export function listTargets(arch?: string): string[] {
  const rows = TARGETS.filter((t) => !arch || supportsArch(t, arch));
  const width = Math.max(...rows.map((t) => t.name.length));
  return rows.map((t) => {
    const needs = [
      ...(t.requires.length ? [`after ${t.requires.join(", ")}`] : []),
      ...(t.needs ? [`when ${t.needs}=y`] : []),
      ...(!arch && t.arches ? [`ARCH ${t.arches.join(" ")}`] : []),
    ];
    const summary = targetSummary(t, arch);
    return `${t.name.padEnd(width)}  ${summary}${
      needs.length ? ` (${needs.join("; ")})` : ""
    }`;
  });
}
