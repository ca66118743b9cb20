/**
 * The architecture table (`toolchains/arches.json`): which crosstool triple
 * make.cross picks for an `ARCH`, given the `.config`.
 *
 * @module
 */
import table from "../../toolchains/arches.json" with { type: "json" };
import crosstool from "../../toolchains/crosstool.json" with { type: "json" };
import { UserError } from "../errors.ts";

/** A `.config`-dependent choice of triple. */
export interface ArchRule {
  /** Symbol that must be enabled (value not `n`). */
  if: string;
  triple: string;
  debian?: string;
  alsoNeeds?: string[];
}

/** One architecture as make.cross knows it. */
export interface ArchInfo {
  /** The `ARCH` value (canonical name). */
  name: string;
  /** `arch/<srcarch>/` in the kernel tree. */
  srcarch: string;
  /** Default crosstool triple (no matching rule, or no `.config`). */
  triple: string;
  debian?: string;
  clangTriple?: string;
  /** Toolchain bin dirs go on PATH instead of CROSS_COMPILE (parisc). */
  pathMode?: boolean;
  alsoNeeds?: string[];
  rules?: ArchRule[];
}

/** The triple chosen for a build, and why. */
export interface TripleChoice {
  triple: string;
  /** Debian cross gcc triple for the system provider, when Debian has one. */
  debian: string | undefined;
  /** Other triples whose toolchains must also be installed (parisc64). */
  alsoNeeds: string[];
  /** The rule symbol that decided, or null for the default. */
  decidedBy: string | null;
}

interface RawTable {
  arches: Record<string, Omit<ArchInfo, "name">>;
  aliases: Record<string, string>;
}

const raw = table as unknown as RawTable;

/** Every supported `ARCH`, sorted (the 25 of make.cross's KBUILD_SUPPORTED_ARCHS). */
export function supportedArches(): string[] {
  return Object.keys(raw.arches).sort();
}

/**
 * Looks up an arch by name or alias.
 *
 * @throws {UserError} for an unknown arch, listing the supported ones
 * @example
 * ```ts
 * import { archInfo } from "./arch.ts";
 * if (archInfo("aarch64").name !== "arm64") throw new Error();
 * if (archInfo("powerpc").srcarch !== "powerpc") throw new Error();
 * ```
 */
export function archInfo(name: string): ArchInfo {
  const canonical = raw.arches[name] ? name : raw.aliases[name];
  const info = canonical ? raw.arches[canonical] : undefined;
  if (!canonical || !info) {
    throw new UserError(`Unknown arch "${name}"`, {
      hint: `supported: ${supportedArches().join(" ")}`,
    });
  }
  return { name: canonical, ...info };
}

/**
 * Whether `symbol` is enabled in `.config` text the way kbuild.sh's
 * `is_config_enabled` tests it: a line `SYMBOL=<value not starting with n>`.
 *
 * @example
 * ```ts
 * import { configEnabled } from "./arch.ts";
 * if (!configEnabled("CONFIG_PPC64=y\n", "CONFIG_PPC64")) throw new Error();
 * if (configEnabled("# CONFIG_PPC64 is not set\n", "CONFIG_PPC64")) throw new Error();
 * ```
 */
export function configEnabled(config: string, symbol: string): boolean {
  // The first line that starts with `symbol=`, found without splitting the
  // 15 000 lines of an allmodconfig (~10 ms cold on every make.cross).
  const prefix = `${symbol}=`;
  let at = config.startsWith(prefix) ? 0 : config.indexOf(`\n${prefix}`) + 1;
  if (at === 0 && !config.startsWith(prefix)) return false;
  at += prefix.length;
  const first = config[at];
  return first !== undefined && first !== "\n" && first !== "n";
}

/**
 * The crosstool triple for `arch` given the `.config` text (or null when
 * there is no `.config`, which make.cross treats as "nothing enabled").
 *
 * @example
 * ```ts
 * import { chooseTriple } from "./arch.ts";
 * if (chooseTriple("powerpc", null).triple !== "powerpc-linux") throw new Error();
 * if (chooseTriple("powerpc", "CONFIG_PPC64=y").triple !== "powerpc64-linux") throw new Error();
 * ```
 */
export function chooseTriple(
  arch: string,
  config: string | null,
): TripleChoice {
  const info = archInfo(arch);
  for (const rule of info.rules ?? []) {
    if (config !== null && configEnabled(config, rule.if)) {
      return {
        triple: rule.triple,
        debian: rule.debian,
        alsoNeeds: rule.alsoNeeds ?? [],
        decidedBy: rule.if,
      };
    }
  }
  return {
    triple: info.triple,
    debian: info.debian,
    alsoNeeds: info.alsoNeeds ?? [],
    decidedBy: null,
  };
}

/**
 * Every target triple kcross knows: each arch's default, its rules' and
 * `alsoNeeds` triples (`toolchains/arches.json`), and the other triples and
 * spellings kernel.org publishes (`toolchains/crosstool.json`). Sorted.
 */
export function knownTriples(): string[] {
  const out = new Set<string>();
  for (const info of Object.values(raw.arches)) {
    out.add(info.triple);
    for (const t of info.alsoNeeds ?? []) out.add(t);
    for (const r of info.rules ?? []) {
      out.add(r.triple);
      for (const t of r.alsoNeeds ?? []) out.add(t);
    }
  }
  const names = crosstool as unknown as {
    aliases: Record<string, string[]>;
    availability: Record<string, unknown>;
  };
  for (const [t, spellings] of Object.entries(names.aliases)) {
    out.add(t);
    for (const s of spellings) out.add(s);
  }
  for (const t of Object.keys(names.availability)) out.add(t);
  return [...out].sort();
}

/**
 * Refuses a target triple the arch table does not know, before anything
 * touches the disk (a triple becomes a directory under the install path).
 *
 * @throws {UserError} naming the triple and the known ones
 * @example
 * ```ts
 * import { assertKnownTriple } from "./arch.ts";
 * assertKnownTriple("powerpc64-linux");
 * let refused = false;
 * try { assertKnownTriple("../../x"); } catch { refused = true; }
 * if (!refused) throw new Error();
 * ```
 */
export function assertKnownTriple(triple: string): void {
  if (knownTriples().includes(triple)) return;
  throw new UserError(`Unknown target triple "${triple.slice(0, 100)}"`, {
    hint: `known: ${knownTriples().join(" ")}`,
  });
}
