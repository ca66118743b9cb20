/**
 * The builder every front end uses for a native build (`build`, matrix
 * cells, series and bisect commits, repro): facts gathered, a pure plan,
 * then the steps of the run. With a provisional triple the config step
 * runs first; its final `.config` settles the triple (`settleTriple()`,
 * pure), the facts are gathered again only when the triple changed, and
 * `planNativeBuild()` plans make with the settled facts. No step plans, and
 * the planner does no I/O.
 *
 * @module
 */
import { BuildRun } from "./_run_state.ts";
import { settleTriple } from "./native_triple.ts";
import type { BuildOutcome, RunBuildOptions } from "./outcome.ts";
import {
  gatherNativeFacts,
  type NativeFacts,
  type NativeInput,
  planNativeBuild,
} from "./plan_native.ts";
import type { BuildPlan } from "./types.ts";

/** A native build, planned: its input, the facts and the plan. */
export interface NativeBuild {
  input: NativeInput;
  facts: NativeFacts;
  /** The plan the config step runs with (make's too unless provisional). */
  plan: BuildPlan;
}

/** The one adapter between the orchestrators and the build. */
export interface Builder {
  /**
   * Gathers the facts and plans (toolchain resolved, fetched when needed).
   *
   * @throws {UserError} bad input, no toolchain; {InfraError} fetches
   */
  prepare(input: NativeInput): Promise<NativeBuild>;
  /** Runs it and writes the record (`runNativeBuild`). */
  run(build: NativeBuild, options: RunBuildOptions): Promise<BuildOutcome>;
}

/**
 * `gatherNativeFacts()` then the pure `planNativeBuild()`.
 *
 * @throws {UserError} bad config value, missing .config, not a kernel tree;
 *   {InfraError} toolchain fetches
 */
export async function prepareNativeBuild(
  input: NativeInput,
): Promise<NativeBuild> {
  const facts = await gatherNativeFacts(input);
  return { input, facts, plan: planNativeBuild(input, facts) };
}

/**
 * Runs a native build: the config step, the triple settled against the
 * final `.config` (the toolchain resolved again and the config step run
 * again when it changed), make, the record.
 *
 * @throws {UserError} bad config inputs or no toolchain for the settled
 *   triple; the record directory is removed then
 */
export async function runNativeBuild(
  build: NativeBuild,
  options: RunBuildOptions,
): Promise<BuildOutcome> {
  const run = await BuildRun.start(build.plan, options);
  await run.guard(async () => {
    const first = await run.configure();
    if (build.plan.tripleProvisional && !first.failed) {
      const plan = planNativeBuild(
        build.input,
        await settledFacts(build, await run.configText(), options),
      );
      const changed = plan.toolchain?.id !== run.plan.toolchain?.id ||
        plan.triple !== run.plan.triple;
      run.replan(plan);
      if (changed) {
        options.out.err(
          `kcross: toolchain is now ${plan.toolchain?.id}; reconfiguring`,
        );
        await run.configure();
      }
    }
    await run.make();
  });
  return await run.finish();
}

/** The facts for the triple the final `.config` decides. */
async function settledFacts(
  build: NativeBuild,
  configText: string,
  options: RunBuildOptions,
): Promise<NativeFacts> {
  const { plan, facts } = build;
  const where = `${plan.outDir ?? plan.srcTree}/.config`;
  const triple = settleTriple(facts.triple, plan.arch, configText, where);
  if (triple.triple === facts.triple.triple) return { ...facts, triple };
  return await gatherNativeFacts(
    { ...build.input, out: options.out, signal: options.signal },
    triple,
  );
}

/** The real builder. */
export const nativeBuilder: Builder = {
  prepare: prepareNativeBuild,
  run: runNativeBuild,
};
