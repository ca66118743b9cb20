/**
 * Carries out a reproduction: prepare (parse, plan, config) → commit →
 * toolchain → build in a worktree → comparison → `verdict.json` in the
 * build record.
 *
 * @module
 */
import { ensureCommit } from "../git/mod.ts";
import { buildReproAt, type ReproResult } from "./build_repro.ts";
import { formatVerdict } from "./format_verdict.ts";
import { freshObjectPaths } from "./fresh_objects.ts";
import {
  prepareRepro,
  resolveReproToolchain,
  type RunReproOptions,
} from "./prepare_repro.ts";

export type { ReproResult, RunReproOptions };

/**
 * Reproduces `reportText` and records the verdict.
 *
 * @param reportText the report as given (mail, archive copy, reproduce file)
 * @param options the context, checkout, overrides
 * @returns the verdict (also written as `verdict.json` in the build record)
 * @throws {UserError} bad report, missing commit/config, no exact compiler
 * @throws {InfraError} fetch, toolchain or build infrastructure failures
 */
export async function runRepro(
  reportText: string,
  options: RunReproOptions,
): Promise<ReproResult> {
  const step = (line: string) => options.out.err(`==> ${line}`);
  const prepared = await prepareRepro(reportText, options);
  const sha = await ensureCommit(prepared.repo, prepared.plan.source, {
    proc: options.context.proc,
    progress: step,
    signal: options.signal,
    ...(options.offline ? { offline: true } : {}),
  });
  step(`commit ${sha}`);
  const ready = await resolveReproToolchain(prepared, options);
  // A kept build dir prints nothing for objects make finds up to date.
  const fresh = freshObjectPaths(
    prepared.plan.targets,
    prepared.plan.reported.map((d) => d.file),
  );
  return await buildReproAt(ready, sha, {
    ...options,
    recompile: fresh.files,
    recompileDirs: fresh.dirs,
  });
}

export { formatVerdict };
