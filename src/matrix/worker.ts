/**
 * `kcross matrix worker`: takes cells from the BullMQ queue, builds each in
 * its own clone + worktree of the cell's tree at the cell's commit, and
 * returns the cell record (the full log stays here; its path is recorded).
 *
 * @module
 */
import { hostname } from "node:os";
import { type Job, Worker } from "bullmq";
import type { Output } from "../util/output.ts";
import { cacheDir, stateDir } from "../paths.ts";
import { type GitVia, urlWorktree, viaOf } from "../git/mod.ts";
import { cellBuildDir, keyedSerializer } from "./local.ts";
import {
  type CellJobData,
  type CellJobProgress,
  type CellJobResult,
  parseRedisUrl,
  redisClient,
  stallSettings,
} from "./queue.ts";
import { type CellRunner, executeCell, infraOutcome } from "./runner.ts";
import { resultLine } from "./progress.ts";

/** Options for `runWorker`. */
export interface WorkerOptions extends GitVia {
  queueUrl: string;
  queueName: string;
  concurrency: number;
  /** make -j per cell (default: the submitter's value in the job). */
  makeJobs?: number | undefined;
  runner: CellRunner;
  out: Output;
  signal: AbortSignal;
  /** Worker state root (clones, worktrees, build dirs). */
  root?: string;
  /** Stop after this many cells (tests, benches); default: run until signalled. */
  maxCells?: number;
}

/** This worker's name in results: `host:pid`. */
export function workerId(): string {
  return `${hostname()}:${Deno.pid}`;
}

/**
 * Runs a worker until `signal` aborts. Resolves to the number of cells run.
 */
export async function runWorker(options: WorkerOptions): Promise<number> {
  const target = parseRedisUrl(options.queueUrl);
  const root = options.root ?? `${stateDir()}/matrix-worker`;
  const me = workerId();
  const serialize = keyedSerializer();
  const stall = stallSettings();
  let count = 0;
  // Cells building here, by digest. After Redis loses its data the submitter
  // enqueues a job again while this worker may still be building the lost
  // one; with --concurrency > 1 it can take the new job too. Both would build
  // in the same cell build dir at once, so the new job joins the running
  // build and returns its record.
  const building = new Map<string, Promise<CellJobResult>>();
  const processor = (
    job: Job<CellJobData, CellJobResult>,
  ): Promise<CellJobResult> => {
    const digest = job.data.cell.digest;
    const running = building.get(digest);
    if (running) {
      options.out.err(
        `join ${job.data.cell.key} (${job.id}): the same cell is building here already`,
      );
      return running;
    }
    const build = buildCell(job).finally(() => building.delete(digest));
    building.set(digest, build);
    return build;
  };
  const buildCell = async (
    job: Job<CellJobData, CellJobResult>,
  ): Promise<CellJobResult> => {
    const { cell, tree } = job.data;
    options.out.err(
      `start ${cell.key} (${job.id}, attempt ${job.attemptsMade + 1})`,
    );
    const publish = (text: string) => {
      const p: CellJobProgress = { worker: me, text };
      job.updateProgress(p as unknown as object).catch(() => {});
    };
    publish("preparing source");
    let srcTree: string;
    try {
      srcTree = await urlWorktree(root, tree.url, tree.commit, viaOf(options));
    } catch (error) {
      const msg = error instanceof Error ? error.message : String(error);
      const rec = await executeCell(cell, {
        runner: { run: () => Promise.resolve(infraOutcome(msg)) },
        ctx: baseCtx(""),
        ranOn: me,
        attempts: 1,
      });
      return rec;
    }
    publish("building");
    let last = 0;
    const record = await executeCell(cell, {
      runner: options.runner,
      ctx: {
        ...baseCtx(srcTree),
        status: (text) => {
          const now = performance.now();
          if (now - last > 1000) {
            last = now;
            publish(text);
          }
        },
      },
      ranOn: me,
    });
    count++;
    options.out.err(resultLine(record));
    return record;

    function baseCtx(src: string) {
      return {
        srcTree: src,
        buildDir: cellBuildDir(`${root}/builds`, cell.key),
        makeJobs: options.makeJobs ?? (job.data.makeJobs ||
          Math.max(
            1,
            Math.floor(navigator.hardwareConcurrency / options.concurrency),
          )),
        ccache: job.data.ccache,
        ccacheDir: `${cacheDir()}/ccache`,
        commit: tree.commit,
        signal: options.signal,
        serialize,
      };
    }
  };
  const connection = redisClient(target);
  const worker = new Worker<CellJobData, CellJobResult>(
    options.queueName,
    processor,
    {
      connection,
      concurrency: options.concurrency,
      lockDuration: stall.lockDuration,
      stalledInterval: stall.stalledInterval,
      maxStalledCount: stall.maxStalledCount,
      autorun: true,
    },
  );
  let lastError = "";
  worker.on("error", (error) => {
    const msg = error instanceof Error ? error.message : String(error);
    if (msg !== lastError) options.out.err(`queue: ${msg}`);
    lastError = msg;
  });
  worker.on("ready", () => {
    if (lastError) options.out.err("queue: connected");
    lastError = "";
  });
  await worker.waitUntilReady();
  options.out.err(
    `worker ${me} on ${options.queueUrl} queue "${options.queueName}", concurrency ${options.concurrency}`,
  );
  await new Promise<void>((resolve) => {
    if (options.signal.aborted) return resolve();
    options.signal.addEventListener("abort", () => resolve(), { once: true });
    if (options.maxCells !== undefined) {
      const max = options.maxCells;
      worker.on("completed", () => {
        if (count >= max) resolve();
      });
    }
  });
  await worker.close(options.signal.aborted);
  connection.disconnect();
  return count;
}
