/**
 * "What a repro would do", as lines for `kcross report parse`: the same
 * planner `repro` runs, shown before anything is fetched or built.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { describeConfig } from "./plan_config.ts";
import {
  planBuildSetup,
  planReproduction,
  planSource,
  type ReproFacts,
} from "./plan_repro.ts";
import type { ReportFields } from "./types.ts";

/**
 * The plan of a report as `key: value` lines (and why `repro` would stop,
 * when it would).
 *
 * @example
 * ```ts
 * import { describePlan } from "./describe_plan.ts";
 * const lines = describePlan({ tree_url: "https://x/linux.git", branch: "b", commit: "abc123",
 *   config_name: "powerpc-allmodconfig", config_url: null, arch: "powerpc",
 *   compiler: { name: "gcc", version: "11.2.0", raw: "powerpc-linux-gcc (GCC) 11.2.0" },
 *   make_args: null, targets: null, w: 1, c: null, diagnostics: [] });
 * if (!lines.some((l) => l.includes("make allmodconfig, CONFIG_WERROR off"))) throw new Error(lines.join("\n"));
 * if (!lines.some((l) => l.includes("gcc-11.2.0 for powerpc-linux"))) throw new Error(lines.join("\n"));
 * ```
 */
export function describePlan(
  report: ReportFields,
  facts: ReproFacts = {},
): string[] {
  const setup = planBuildSetup(report, facts);
  const out: string[] = [];
  const row = (k: string, v: string) =>
    out.push(`  ${(k + ":").padEnd(10)} ${v}`);
  let problem: UserError | null = null;
  let commit = "?";
  try {
    const plan = planReproduction(report, facts);
    commit = `${plan.source.commit} (${plan.source.commitFrom})`;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problem = error;
    try {
      const source = planSource(report, facts);
      commit = `${source.commit} (${source.commitFrom})`;
    } catch { /* the problem above, or this one: said once below */ }
  }
  row("commit", commit);
  row("arch", setup.arch ?? "?");
  row(
    "config",
    setup.config.kind === "missing"
      ? `none at hand${setup.config.name ? ` for ${setup.config.name}` : ""}`
      : describeConfig(setup.config),
  );
  if (setup.config.kind !== "missing") {
    const fallback = setup.config.kind === "url" ? setup.config.fallback : null;
    row("werror", setup.config.werror.why);
    if (fallback) {
      row("if 404", `${describeConfig(fallback)} (a setup difference)`);
    }
  }
  const c = setup.compiler;
  row(
    "compiler",
    c === null
      ? "the default gcc"
      : `${c.request}${c.triple ? ` for ${c.triple}` : ""}${
        c.distro ? ` (${c.distro}, system compiler)` : ""
      }`,
  );
  row(
    "make",
    [...setup.makeVars, ...setup.targets].join(" ") +
      (setup.targetsFrom === "report" || setup.targetsFrom === "none"
        ? ""
        : `  (targets from ${setup.targetsFrom})`),
  );
  for (const d of setup.differences) row("differs", d);
  for (const n of setup.notes) row("note", n);
  if (problem) {
    row("stops", problem.message);
    if (problem.hint) row("hint", problem.hint);
  }
  return out;
}
