/**
 * Running a plan's phases (named targets): one make call per phase, in
 * order, each with its own status and duration; a phase whose dependency
 * did not pass is skipped; after a failure the rest are skipped unless
 * `plan.keepGoing`; each passing phase's artifacts are collected.
 *
 * @module
 */
import { shellLine } from "../util/shell_quote.ts";
import type { Output } from "../util/output.ts";
import { InterruptedError } from "../errors.ts";
import {
  type ProcessRunner,
  realProcessRunner,
} from "../proc/process_runner.ts";
import type { ArtifactRecord, PhaseRecord } from "../record/types.ts";
import { ArtifactError, collectArtifacts } from "./_run_artifacts.ts";
import { emptyTargetReason } from "./_run_empty.ts";
import type { ConfigLookup } from "./_run_finish.ts";
import type { LogSink } from "./_run_log.ts";
import type { PreparedMake } from "./_run_prepare.ts";
import { KBUILD_PHASE } from "./targets.ts";
import type { BuildPlan, PlannedPhase } from "./types.ts";

/** What running the phases needs. */
export interface PhasesInput {
  plan: BuildPlan;
  made: PreparedMake;
  /** make's argv without the plan's goals. */
  baseArgv: string[];
  recordDir: string;
  sink: LogSink;
  out: Output;
  signal: AbortSignal;
  finalConfig: ConfigLookup;
  /** How make starts (default `realProcessRunner`). */
  proc?: ProcessRunner;
}

/** How the phases went. */
export interface PhasesOutcome {
  phases: PhaseRecord[];
  artifacts: ArtifactRecord[];
  result: "pass" | "fail" | "empty" | "infra-error" | "interrupted";
  reason: string | null;
  /** The exit code of the first failed make call (0: none failed). */
  exitCode: number;
  signal: string | null;
  /** Total wall time of the phases' make calls and of artifact collection. */
  buildMs: number;
  artifactsMs: number;
}

/** The phase records before anything ran (all `skipped`, "not run"). */
export function pendingPhases(phases: readonly PlannedPhase[]): PhaseRecord[] {
  return phases.map((p) => ({
    name: p.name,
    goals: p.goals,
    implied: p.implied,
    status: "skipped",
    reason: "not run",
    exitCode: null,
    durationMs: 0,
    artifactsMs: 0,
    artifacts: [],
  }));
}

/**
 * Runs `input.plan.phases` after a config step that passed. Never throws for
 * a failed make; an interrupt is a result.
 */
export async function runPhases(input: PhasesInput): Promise<PhasesOutcome> {
  const { plan, made, sink, out, signal } = input;
  const planned = plan.phases ?? [];
  const records = pendingPhases(planned);
  const status = new Map<string, PhaseRecord>();
  const artifacts: ArtifactRecord[] = [];
  const seen = new Set<string>();
  let stopped: string | null = null;
  let exitCode = 0;
  let exitSignal: string | null = null;
  let interrupted = false;
  let buildMs = 0;
  let artifactsMs = 0;

  const make = async (words: string[]) => {
    const argv = [...input.baseArgv, ...words];
    out.err(`kcross: ${shellLine(argv)}`);
    const r = await (input.proc ?? realProcessRunner).run(argv, {
      cwd: plan.cwd,
      env: made.env,
      signal,
      onChunk: (c) => sink.chunk(c),
      onLine: (l) => sink.line(l),
    });
    if (r.interrupted) interrupted = true;
    return r;
  };

  for (const [i, phase] of planned.entries()) {
    const rec = records[i]!;
    status.set(phase.name, rec);
    if (interrupted || signal.aborted) {
      rec.reason = "interrupted";
      continue;
    }
    const unmet = phase.requires.find((r) => status.get(r)?.status !== "pass");
    if (unmet !== undefined) {
      rec.reason = `needs "${unmet}", which did not pass`;
      continue;
    }
    if (stopped !== null) {
      rec.reason =
        `not run: "${stopped}" failed (--keep-going runs the targets that do not depend on it)`;
      continue;
    }
    if (phase.needs && !isOn(await input.finalConfig.get(phase.needs))) {
      rec.reason = `${phase.needs} is not set`;
      continue;
    }
    if (phase.name !== "config") {
      out.err(`kcross: target ${phase.name}`);
      const t0 = performance.now();
      const r = await make(phase.goals);
      rec.durationMs = performance.now() - t0;
      buildMs += rec.durationMs;
      rec.exitCode = r.code;
      if (r.interrupted) {
        rec.status = "interrupted";
        rec.reason = "interrupted by signal";
        exitSignal = r.signal;
        continue;
      }
      const failed = r.code !== 0
        ? (sink.infra ?? `make exited with ${r.code}`)
        : phase.name === KBUILD_PHASE && !plan.allowEmpty
        ? await emptyReason(plan, phase.goals, input.finalConfig)
        : null;
      if (failed !== null) {
        rec.status = r.code !== 0 && sink.infra ? "infra-error" : "fail";
        rec.reason = failed;
        if (exitCode === 0) exitCode = r.code || 1;
        if (!plan.keepGoing) stopped = phase.name;
        continue;
      }
    }
    const t1 = performance.now();
    try {
      const got = await collectArtifacts(phase.artifacts, {
        objDir: plan.outDir ?? plan.srcTree,
        recordDir: input.recordDir,
        phase: phase.name,
        startedAt: Date.now() - rec.durationMs,
        path: made.env.PATH ?? "",
        signal,
        make: async (words) => (await make(words)).code,
      }, seen);
      artifacts.push(...got);
      rec.artifacts = got.map((a) => a.name);
      rec.status = "pass";
      rec.reason = null;
    } catch (error) {
      if (error instanceof InterruptedError || signal.aborted) {
        interrupted = true;
        rec.status = "interrupted";
        rec.reason = "interrupted by signal";
      } else if (error instanceof ArtifactError) {
        rec.status = "fail";
        rec.reason = `artifacts: ${error.message}`;
        if (exitCode === 0) exitCode = 1;
        if (!plan.keepGoing) stopped = phase.name;
      } else throw error;
    } finally {
      rec.artifactsMs = performance.now() - t1;
      artifactsMs += rec.artifactsMs;
    }
  }
  return {
    phases: records,
    artifacts,
    ...overall(records, interrupted),
    exitCode,
    signal: exitSignal,
    buildMs,
    artifactsMs,
  };
}

function isOn(v: string | null | undefined): boolean {
  return v !== undefined && v !== null && v !== "n";
}

async function emptyReason(
  plan: BuildPlan,
  goals: string[],
  finalConfig: ConfigLookup,
): Promise<string | null> {
  for (const goal of goals) {
    const why = await emptyTargetReason(plan.srcTree, goal, finalConfig);
    if (why) return why;
  }
  return null;
}

/**
 * The build's result from its phases: interrupted, else infra-error, else
 * fail (or `empty` when only the Kbuild paths built nothing), else pass.
 *
 * @example
 * ```ts
 * import { overall, pendingPhases } from "./_run_phases.ts";
 * const [k, d] = pendingPhases([
 *   { name: "kernel", goals: ["vmlinux"], requires: [], implied: false, artifacts: [] },
 *   { name: "dtbs", goals: ["dtbs"], requires: [], implied: false, artifacts: [] },
 * ]);
 * k!.status = "pass";
 * d!.status = "fail";
 * d!.reason = "make exited with 2";
 * const o = overall([k!, d!], false);
 * if (o.result !== "fail" || o.reason !== "target dtbs failed: make exited with 2") throw new Error(o.reason ?? "");
 * ```
 */
export function overall(
  records: readonly PhaseRecord[],
  interrupted: boolean,
): { result: PhasesOutcome["result"]; reason: string | null } {
  if (interrupted || records.some((r) => r.status === "interrupted")) {
    return { result: "interrupted", reason: "interrupted by signal" };
  }
  const infra = records.find((r) => r.status === "infra-error");
  if (infra) return { result: "infra-error", reason: infra.reason };
  const failed = records.filter((r) => r.status === "fail");
  if (failed.length === 0) return { result: "pass", reason: null };
  const onlyEmpty = failed.length === 1 && failed[0]!.name === KBUILD_PHASE &&
    failed[0]!.exitCode === 0;
  const reason = failed.length === 1
    ? `target ${failed[0]!.name} failed: ${failed[0]!.reason}`
    : `targets ${failed.map((f) => f.name).join(", ")} failed`;
  return {
    result: onlyEmpty ? "empty" : "fail",
    reason: onlyEmpty ? failed[0]!.reason : reason,
  };
}
