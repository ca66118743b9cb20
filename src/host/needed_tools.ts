/**
 * Which host tools one build needs: the requirement table
 * (`toolchains/doctor.json`) judged against a `.config`, the make words and
 * the targets. Pure: no file or process is touched.
 *
 * @module
 */
import data from "../../toolchains/doctor.json" with { type: "json" };

/** When a build needs a tool (any condition that holds makes it needed). */
export interface Needed {
  /** Config symbols (`CONFIG_X`) of which any set to `y` or `m`. */
  config?: string[];
  /** make words (`W=1`, `C=1`, `LLVM=1`) or kcross flags (`--ccache`). */
  make?: string[];
  /** make targets (`headers_install`, `dtbs_check`). */
  targets?: string[];
}

/** One host requirement. */
export interface Requirement {
  name: string;
  commands?: string[];
  files?: string[];
  debian: string;
  fedora: string;
  why: string;
  optional?: boolean;
  /** When a build needs it; absent means every build (or, if optional, none). */
  needed?: Needed;
  /** How to ask its version: the arguments after the command. */
  version?: { args: string[] };
  /**
   * Whether its version goes into a build record's `host.tools`: always
   * (`true`) or when the build's `.config` sets this symbol to `y`.
   */
  record?: boolean | string;
}

/** The requirement table. */
export function requirements(): Requirement[] {
  return data.requirements as Requirement[];
}

/** What one build is: its config symbols, make words and targets. */
export interface BuildShape {
  /** `CONFIG_X` → value (`y`, `m`, a string); unset symbols are absent. */
  config?: ReadonlyMap<string, string>;
  makeWords?: readonly string[];
  targets?: readonly string[];
}

/** A requirement and why this build needs it. */
export interface NeededRequirement {
  requirement: Requirement;
  /** What made it needed: `always`, `CONFIG_RUST=y`, `C=1`, `target dtbs_check`. */
  because: string;
}

/**
 * The requirements a build of this shape needs, each with its reason.
 *
 * @example
 * ```ts
 * import { neededRequirements } from "./needed_tools.ts";
 * const reqs = [
 *   { name: "make", debian: "make", fedora: "make", why: "" },
 *   { name: "sparse", debian: "sparse", fedora: "sparse", why: "", optional: true, needed: { make: ["C=1"] } },
 *   { name: "pahole", debian: "dwarves", fedora: "dwarves", why: "", needed: { config: ["CONFIG_DEBUG_INFO_BTF"] } },
 * ];
 * const got = neededRequirements(reqs, { makeWords: ["C=1"], config: new Map([["CONFIG_DEBUG_INFO_BTF", "n"]]) });
 * if (got.map((n) => `${n.requirement.name}:${n.because}`).join() !== "make:always,sparse:C=1") throw new Error();
 * ```
 */
export function neededRequirements(
  reqs: readonly Requirement[],
  shape: BuildShape,
): NeededRequirement[] {
  const words = new Set(shape.makeWords ?? []);
  const targets = new Set((shape.targets ?? []).map(baseTarget));
  const out: NeededRequirement[] = [];
  for (const requirement of reqs) {
    const n = requirement.needed;
    if (!n) {
      if (!requirement.optional) out.push({ requirement, because: "always" });
      continue;
    }
    const sym = (n.config ?? []).find((s) => {
      const v = shape.config?.get(s);
      return v === "y" || v === "m";
    });
    if (sym) {
      out.push({ requirement, because: `${sym}=${shape.config?.get(sym)}` });
      continue;
    }
    const word = (n.make ?? []).find((w) => words.has(w));
    if (word) {
      out.push({ requirement, because: word });
      continue;
    }
    const target = (n.targets ?? []).find((t) => targets.has(t));
    if (target) out.push({ requirement, because: `target ${target}` });
  }
  return out;
}

/** `arch/arm64/boot/dts/` → itself; `headers_install` → itself; strips a trailing `/`. */
function baseTarget(t: string): string {
  return t.endsWith("/") ? t.slice(0, -1) : t;
}

/**
 * Reads a `.config` text into symbol → value (`# CONFIG_X is not set` is
 * absent, quotes kept off strings).
 *
 * @example
 * ```ts
 * import { parseDotConfig } from "./needed_tools.ts";
 * const m = parseDotConfig('CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C="x y"\n');
 * if (m.get("CONFIG_A") !== "y" || m.has("CONFIG_B") || m.get("CONFIG_C") !== "x y") throw new Error();
 * ```
 */
export function parseDotConfig(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    let v = m[2]!;
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) {
      v = v.slice(1, -1);
    }
    out.set(m[1]!, v);
  }
  return out;
}
