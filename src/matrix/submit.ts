/**
 * The submitter of a distributed run: enqueues the cells (job id = cell
 * digest, so re-submitting is idempotent), follows them live, records each
 * result once, and survives Redis restarts (jobs lost with Redis are
 * re-enqueued) and its own interruption (`--resume` reattaches).
 *
 * @module
 */
import { type Job, Queue, QueueEvents } from "bullmq";
import type { ProgressSink } from "./progress.ts";
import {
  type CellJobData,
  type CellJobProgress,
  type CellJobResult,
  parseRedisUrl,
  redisClient,
} from "./queue.ts";
import { infraOutcome } from "./runner.ts";
import type { Cell, CellRecord } from "./types.ts";

/** Options for `submitAndWait`. */
export interface SubmitOptions {
  queueUrl: string;
  queueName: string;
  runId: string;
  tree: { url: string; commit: string };
  makeJobs: number;
  ccache: boolean;
  signal: AbortSignal;
  progress: ProgressSink;
  /** Persists a finished cell; called once per cell. */
  onRecord(record: CellRecord): Promise<void>;
  /** How often to reconcile with Redis besides events (ms, default 1000). */
  pollMs?: number;
  /** Job attempts for worker crashes/throws (default 3). */
  attempts?: number;
}

/**
 * Enqueues `cells` and waits until each has a result (or `signal` aborts).
 * Resolves to the records received, in finishing order.
 */
export async function submitAndWait(
  cells: Cell[],
  options: SubmitOptions,
): Promise<CellRecord[]> {
  const target = parseRedisUrl(options.queueUrl);
  const connection = redisClient(target);
  const queue = new Queue<CellJobData, CellJobResult>(options.queueName, {
    connection,
  });
  const eventsConnection = redisClient(target);
  const events = new QueueEvents(options.queueName, {
    connection: eventsConnection,
  });
  // A cell stays pending until its record is persisted: the run is over
  // only when every record is on disk (summaries read them from there).
  const pending = new Map(cells.map((c) => [c.digest, c]));
  // The one record write per cell, started by whichever source saw the
  // result first (an event or the reconcile poll).
  const writes = new Map<string, Promise<void>>();
  const started = new Set<string>();
  const records: CellRecord[] = [];
  const attempts = options.attempts ?? 3;
  let fatal = null as { error: unknown } | null;
  let wake: () => void = () => {};
  let lastError = "";
  const onError = (error: unknown) => {
    const msg = error instanceof Error ? error.message : String(error);
    if (msg !== lastError) {
      options.progress.note(`queue: ${msg} (reconnecting)`);
    }
    lastError = msg;
  };
  queue.on("error", onError);
  events.on("error", onError);

  const jobFor = (cell: Cell) => ({
    name: "cell",
    data: {
      v: 1 as const,
      runId: options.runId,
      cell,
      tree: options.tree,
      makeJobs: options.makeJobs,
      ccache: options.ccache,
    },
    opts: {
      jobId: cell.digest,
      attempts,
      backoff: { type: "fixed", delay: 500 },
      removeOnComplete: { age: 14 * 24 * 3600 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  });

  const record = (result: CellRecord): Promise<void> => {
    const cell = pending.get(result.digest);
    if (!cell) return Promise.resolve();
    const inFlight = writes.get(cell.digest);
    if (inFlight) return inFlight;
    // A job reused from another submission keeps its result; the naming is ours.
    const rec = {
      ...result,
      key: cell.key,
      index: cell.index,
      axes: cell.axes,
    };
    const write = (async () => {
      try {
        await options.onRecord(rec);
      } catch (error) {
        // The result stays in Redis; `--resume` collects it once the run
        // directory is writable again.
        fatal ??= { error };
        return;
      } finally {
        wake();
      }
      pending.delete(cell.digest);
      records.push(rec);
      options.progress.finished(rec);
    })();
    writes.set(cell.digest, write);
    return write;
  };

  const finalFailure = (cell: Cell, reason: string) =>
    record({
      key: cell.key,
      digest: cell.digest,
      index: cell.index,
      axes: cell.axes,
      inputs: cell.inputs,
      commit: options.tree.commit,
      result: "infra",
      message: `job failed on every attempt: ${reason}`,
      errors: 0,
      warnings: 0,
      durationMs: 0,
      attempts,
      ranOn: "queue",
      reusedFrom: null,
      outcome: infraOutcome(reason),
      finishedAt: new Date().toISOString(),
    });

  // Failed jobs of earlier submissions given another go by this one.
  const retried = new Set<string>();
  const fromJob = async (
    job: Job<CellJobData, CellJobResult> | undefined,
    cell: Cell,
  ): Promise<"done" | "missing" | "waiting"> => {
    if (!job) return "missing";
    const state = await job.getState();
    if (state === "unknown" || !job.data?.cell) {
      // A husk left after Redis lost its data (e.g. a worker's progress
      // update recreated the hash): clear it so the job can be added again.
      await job.remove().catch(() => {});
      return "missing";
    }
    if (state === "completed") {
      // getJob read the hash before getState: a job that completed in
      // between has no return value in `job` yet. Read it again.
      const done = job.returnvalue?.digest === cell.digest
        ? job
        : await queue.getJob(cell.digest);
      if (done?.returnvalue?.digest !== cell.digest) return "waiting";
      await record(done.returnvalue);
      return "done";
    }
    if (state === "failed") {
      // "failed" is final: BullMQ retries through "delayed"/"waiting", and a
      // job can fail before its attempts are used up (stalled too often:
      // an unrecoverable failure).
      if (job.data.runId !== options.runId && !retried.has(cell.digest)) {
        // A failed job from an earlier submission: give it another go once.
        retried.add(cell.digest);
        await job.retry("failed").catch(() => {});
        return "waiting";
      }
      // As above: `job` may have been read before it failed.
      const reason = job.failedReason ??
        (await queue.getJob(cell.digest))?.failedReason;
      await finalFailure(cell, reason ?? "unknown");
      return "done";
    }
    return "waiting";
  };
  events.on("progress", ({ jobId, data }) => {
    const cell = pending.get(jobId);
    if (!cell) return;
    const p = data as unknown as CellJobProgress;
    if (!started.has(jobId)) {
      started.add(jobId);
      options.progress.started(cell.key, p.worker);
    }
    options.progress.status(cell.key, p.text);
  });
  events.on("completed", ({ jobId, returnvalue }) => {
    const cell = pending.get(jobId);
    if (!cell) return;
    const rec = (typeof returnvalue === "string"
      ? JSON.parse(returnvalue)
      : returnvalue) as CellJobResult | null;
    // Not a record (another producer's job?): the poll judges the job.
    if (rec?.digest !== jobId) {
      return;
    }
    // record() never rejects; a failed write ends the run through `fatal`.
    void record(rec);
  });
  events.on("failed", ({ jobId }) => {
    // Final (retries are "delayed"/"waiting" events): reconcile now, which
    // records it from the job's state.
    if (pending.has(jobId)) wake();
  });
  events.on("stalled", ({ jobId }) => {
    const cell = pending.get(jobId);
    if (cell) {
      options.progress.note(
        `${cell.key}: its worker stopped answering; the cell goes back to the queue`,
      );
    }
  });

  try {
    await events.waitUntilReady();
    let enqueued = false;
    const reconcile = async () => {
      if (!enqueued) {
        // Enqueue: an existing job with the same id (same inputs) is reused.
        await queue.addBulk(cells.map(jobFor));
        enqueued = true;
      }
      const missing: Cell[] = [];
      for (const cell of [...pending.values()]) {
        if (fatal) return;
        const write = writes.get(cell.digest);
        if (write) {
          await write;
          continue;
        }
        const job = await queue.getJob(cell.digest);
        if ((await fromJob(job, cell)) === "missing") missing.push(cell);
      }
      if (missing.length) {
        options.progress.note(
          `queue: ${missing.length} job(s) missing (Redis restarted?), enqueueing them again`,
        );
        await queue.addBulk(missing.map(jobFor));
      }
    };
    const pollMs = options.pollMs ?? 1000;
    const done = () => fatal !== null || pending.size === 0;
    while (!done() && !options.signal.aborted) {
      try {
        await reconcile();
        if (lastError) {
          options.progress.note("queue: connected");
          lastError = "";
        }
      } catch (error) {
        onError(error);
      }
      if (done() || options.signal.aborted) break;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pollMs);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
        options.signal.addEventListener("abort", wake, { once: true });
      });
      wake = () => {};
    }
  } finally {
    await events.close().catch(() => {});
    // No record lands after we return: the caller writes the summaries next.
    await Promise.all(writes.values());
    await queue.close().catch(() => {});
    // BullMQ leaves connections it was given open.
    connection.disconnect();
    eventsConnection.disconnect();
  }
  if (fatal) throw fatal.error;
  return records;
}
