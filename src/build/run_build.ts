/**
 * Carries out a `BuildPlan`: config steps, make, record.
 *
 * The record directory gets `metadata.json` (written at the start and again
 * at the end, atomically), `build.log` (make's raw output, stdout and stderr
 * interleaved in order), `build.timed.log` (the same lines, each prefixed
 * with seconds since make started), `config.log` (output of the config
 * steps), `config` (the final `.config`), `diagnostics.json` and
 * `reproducer.sh`.
 *
 * @module
 */
import { BuildRun } from "./_run_state.ts";
import type { BuildOutcome, RunBuildOptions } from "./outcome.ts";
import type { BuildPlan } from "./types.ts";

export {
  type BuildOutcome,
  type BuildResult,
  exitCodeForResult,
  type RunBuildOptions,
} from "./outcome.ts";

/**
 * Runs `plan` as it is (the config step, make) and records it. A build
 * that compiles and fails, an empty target, an infra failure and an
 * interrupt are all results recorded in the record, not exceptions. A
 * native plan whose triple is provisional is run by `runNativeBuild()`,
 * which settles it after the config step.
 *
 * @throws {UserError} bad config inputs (missing fragment or file, bad
 *   override); the record directory is removed then
 */
export async function runBuild(
  plan: BuildPlan,
  options: RunBuildOptions,
): Promise<BuildOutcome> {
  const run = await BuildRun.start(plan, options);
  await run.guard(async () => {
    await run.configure();
    await run.make();
  });
  return await run.finish();
}
