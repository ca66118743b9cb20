/**
 * The triple of a native build: given, read from the `.config` it starts
 * from (fragments and `--set` lines merged over it), or the expected result
 * of a named config target. A guess made before the config step is
 * provisional; `settleTriple()` decides it against the final `.config`.
 *
 * @module
 */
import guess from "../../toolchains/config-guess.json" with { type: "json" };
import { UserError } from "../errors.ts";
import { fragmentCacheDir, resolveFragment } from "../config/mod.ts";
import { decideTriple } from "./_common.ts";
import { readConfig } from "./_host.ts";
import { overlayConfig } from "./config_source.ts";
import type { ConfigPlan } from "./types.ts";

/** The triple a native plan is made for. */
export interface TripleFact {
  triple: string;
  reason: string;
  /** A guess before the config step: the final `.config` decides it. */
  provisional: boolean;
  /** The provisional triple this one replaced after the config step. */
  from?: string;
}

/** What the triple depends on in a native build's input. */
export interface TripleInput {
  arch: string;
  srcTree: string;
  outDir: string;
  /** Forced (repro: the report's compiler line names it). */
  triple?: string;
  tripleReason?: string;
}

const guessTable = guess as unknown as {
  targets: Record<string, Record<string, string>>;
};

/**
 * The fragment and `--set` lines over the base config, for the triple
 * guess. Read from disk only: a URL not downloaded yet is left out (the
 * triple is provisional then, and checked against the final `.config`).
 */
async function overrideLines(input: TripleInput, cfg: ConfigPlan) {
  const lines: string[] = [];
  for (const word of cfg.fragments) {
    const f = await resolveFragment(word, {
      cwd: input.srcTree,
      srcTree: input.srcTree,
      arch: input.arch,
      cacheDir: fragmentCacheDir(),
      offline: true,
    });
    // No spread: a fragment of 10^5 lines would overflow the call stack.
    for (const l of f?.text.split("\n") ?? []) lines.push(l);
  }
  for (const l of cfg.sets) lines.push(l);
  return lines;
}

/**
 * The triple before the config step (reads the `.config` files and
 * fragments it starts from; `cfg` null: no config step runs).
 *
 * @throws {UserError} no `.config` to start from
 */
export async function initialTriple(
  input: TripleInput,
  cfg: ConfigPlan | null,
): Promise<TripleFact> {
  if (input.triple) {
    return {
      triple: input.triple,
      reason: input.tripleReason ?? "given explicitly",
      provisional: false,
    };
  }
  if (cfg === null) {
    // Targets that need no .config (headers, perf): the one there, if any.
    const where = `${input.outDir}/.config`;
    const d = decideTriple(input.arch, await readConfig(where), where);
    return { triple: d.triple, reason: d.reason, provisional: false };
  }
  const lines = await overrideLines(input, cfg);
  const steps = cfg.source.kind !== "existing" || lines.length > 0;
  const src = cfg.source;
  let base: string | null = null;
  let where: string;
  if (src.kind === "existing" || src.kind === "file") {
    where = src.kind === "file" ? src.path : `${input.outDir}/.config`;
    base = await readConfig(where);
    if (base === null && src.kind === "existing") {
      throw new UserError(`No .config in "${input.outDir}"`, {
        hint: "pass --config allmodconfig (or a file or URL) to create one",
      });
    }
  } else if (src.kind === "target") {
    const sym = guessTable.targets[src.target]?.[input.arch];
    base = sym ? `${sym}=y\n` : "";
    where = `${src.target} (expected)`;
  } else {
    where = `${src.url} (not fetched yet)`;
    base = "";
  }
  const text = overlayConfig(base ?? "", lines);
  const d = decideTriple(input.arch, text, where);
  return {
    triple: d.triple,
    reason: steps
      ? `${d.reason}; checked again against the final .config`
      : d.reason,
    provisional: steps,
  };
}

/**
 * The triple after the config step: `guessed` decided against the final
 * `.config` text (pure). Not provisional any more; `from` is set when it
 * differs from the guess.
 *
 * @example
 * ```ts
 * import { settleTriple } from "./native_triple.ts";
 * const guessed = { triple: "powerpc-linux", reason: "guess", provisional: true };
 * const t = settleTriple(guessed, "powerpc", "CONFIG_PPC64=y\n", "/o/.config");
 * if (t.triple !== "powerpc64-linux" || t.from !== "powerpc-linux" || t.provisional) throw new Error();
 * ```
 */
export function settleTriple(
  guessed: TripleFact,
  arch: string,
  configText: string,
  where: string,
): TripleFact {
  if (!guessed.provisional) return guessed;
  const d = decideTriple(arch, configText, where);
  return {
    triple: d.triple,
    reason: d.reason,
    provisional: false,
    ...(d.triple !== guessed.triple ? { from: guessed.triple } : {}),
  };
}
