/**
 * The distributed matrix's submitter and worker against a real redis-server,
 * with BullMQ workers in this process: the orderings the subprocess tests
 * (distributed_test.ts, redis_restart_test.ts) only hit by chance.
 */
import { Queue, QueueEvents, UnrecoverableError, Worker } from "bullmq";
import { assert, assertEquals } from "../_support/assert.ts";
import {
  createFakeMatrixTree,
  markerContext,
} from "../_support/fake_matrix_tree.ts";
import { scopedEnv } from "../_support/env.ts";
import { startRedis } from "../_support/redis.ts";
import { submitAndWait } from "../../src/matrix/submit.ts";
import { runWorker } from "../../src/matrix/worker.ts";
import {
  type CellJobData,
  type CellJobResult,
  parseRedisUrl,
  redisClient,
} from "../../src/matrix/queue.ts";
import type { ProgressSink } from "../../src/matrix/progress.ts";
import { createCellRunner } from "../../src/matrix/run_cell.ts";
import type { Cell, CellRecord } from "../../src/matrix/types.ts";
import { watchedOutput } from "./_helpers.ts";

let seq = 0;
function cell(i: number): Cell {
  return {
    key: `arch${i}/defconfig/gcc-12.2.0`,
    index: i,
    axes: { arch: `arch${i}` },
    inputs: {
      arch: `arch${i}`,
      config: "defconfig",
      compiler: "gcc-12.2.0",
      targets: [],
      make: {},
      fragments: [],
      fragmentDigests: [],
      sets: [],
      werror: "keep",
      allowFailure: false,
    },
    digest: `cell-${Deno.pid}-${++seq}-${i}`,
  };
}

function passed(c: Cell): CellRecord {
  return {
    key: c.key,
    digest: c.digest,
    index: c.index,
    axes: c.axes,
    inputs: c.inputs,
    commit: "0".repeat(40),
    result: "pass",
    message: null,
    errors: 0,
    warnings: 0,
    durationMs: 1,
    attempts: 1,
    ranOn: "test",
    reusedFrom: null,
    outcome: {
      result: "pass",
      diagnostics: [],
      recordDir: null,
      recordId: null,
      logPath: null,
      reproducer: "",
      toolchain: null,
      configDigest: null,
      exitCode: 0,
      timings: {},
    },
    finishedAt: new Date().toISOString(),
  };
}

function sink(notes: string[] = []): ProgressSink {
  return {
    started() {},
    status() {},
    finished() {},
    note: (line) => void notes.push(line),
    close() {},
  };
}

/** A BullMQ worker in this process running `fn` for each job. */
function inProcessWorker(
  url: string,
  queueName: string,
  fn: (job: { data: CellJobData }) => Promise<CellJobResult>,
) {
  const connection = redisClient(parseRedisUrl(url));
  const worker = new Worker<CellJobData, CellJobResult>(queueName, fn, {
    connection,
    concurrency: 4,
  });
  worker.on("error", () => {});
  return {
    async [Symbol.asyncDispose]() {
      await worker.close(true);
      connection.disconnect();
    },
  };
}

const base = (url: string, queueName: string) => ({
  queueUrl: url,
  queueName,
  runId: "run-1",
  tree: { url: "/nonexistent", commit: "0".repeat(40) },
  makeJobs: 1,
  ccache: false,
  signal: new AbortController().signal,
  progress: sink(),
});

Deno.test({
  name:
    "submitter: the run ends only after every record is written (an event-recorded last cell too)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using redis = await startRedis();
    const queueName = `submit-order-${Deno.pid}`;
    await using _w = inProcessWorker(
      redis.url,
      queueName,
      (job) => Promise.resolve(passed(job.data.cell)),
    );
    const cells = [cell(0), cell(1), cell(2)];
    const written = new Set<string>();
    let inFlight = 0;
    await submitAndWait(cells, {
      ...base(redis.url, queueName),
      // Reconcile polls often while each record write takes long: the old
      // submitter returned between "removed from pending" and "written".
      pollMs: 10,
      async onRecord(rec) {
        inFlight++;
        // Injected latency (a slow disk), not synchronisation.
        await new Promise((r) => setTimeout(r, 200));
        written.add(rec.digest);
        inFlight--;
      },
    });
    assertEquals(inFlight, 0, "no record write outlives the run");
    assertEquals(written.size, 3);
  },
});

Deno.test({
  name:
    "submitter: a job failed before its attempts ran out (unrecoverable) is recorded as infra, not waited for",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using redis = await startRedis();
    const queueName = `submit-unrec-${Deno.pid}`;
    await using _w = inProcessWorker(redis.url, queueName, () => {
      // What a job stalled more than maxStalledCount times gets.
      throw new UnrecoverableError("job stalled more than allowable limit");
    });
    const c = cell(0);
    const records: CellRecord[] = [];
    // Only a guard against the old hang (the job sat in "failed" with
    // attemptsMade 1 < 3 and the submitter waited for retries that never
    // come): the run must end by itself long before it.
    const guard = new AbortController();
    const t = setTimeout(() => guard.abort(), 120_000);
    try {
      await submitAndWait([c], {
        ...base(redis.url, queueName),
        signal: guard.signal,
        pollMs: 50,
        onRecord: (rec) => {
          records.push(rec);
          return Promise.resolve();
        },
      });
    } finally {
      clearTimeout(t);
    }
    assertEquals(records.map((r) => r.result), ["infra"]);
    assert(
      records[0]!.message!.includes("stalled more than allowable limit"),
      records[0]!.message!,
    );
  },
});

Deno.test({
  name:
    "submitter: a record that cannot be written ends the run with that error",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using redis = await startRedis();
    const queueName = `submit-fatal-${Deno.pid}`;
    await using _w = inProcessWorker(
      redis.url,
      queueName,
      (job) => Promise.resolve(passed(job.data.cell)),
    );
    const cells = [cell(0), cell(1)];
    let error: unknown = null;
    try {
      await submitAndWait(cells, {
        ...base(redis.url, queueName),
        pollMs: 50,
        onRecord: (rec) =>
          rec.digest === cells[1]!.digest
            ? Promise.reject(new Error("No space left on device"))
            : Promise.resolve(),
      });
    } catch (e) {
      error = e;
    }
    assert(error instanceof Error, "rejected");
    assertEquals(error.message, "No space left on device");
  },
});

Deno.test({
  name:
    "worker: a job enqueued again while the lost one still builds here joins that build (one build dir, one build)",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using redis = await startRedis();
    const root = await Deno.makeTempDir({ prefix: "kcross-worker-join-" });
    await using _env = await scopedEnv({
      KCROSS_STATE_DIR: `${root}/records`,
      KCROSS_CACHE_DIR: `${root}/cache`,
      COMPILER_INSTALL_PATH: undefined,
    });
    const queueName = `worker-join-${Deno.pid}`;
    const tree = `${root}/linux`;
    await Deno.mkdir(tree);
    // The cell's compiler waits for the gate file: the build is held
    // while Redis loses the job and the job comes again.
    const gate = `${root}/gate`;
    const commit = await createFakeMatrixTree(tree, {
      "drivers/gate/gate.c": `// kcross-fake: wait * * ${gate}\n`,
    });
    const c: Cell = {
      ...cell(0),
      key: "x86_64/defconfig/gcc-12.2.0",
      axes: { arch: "x86_64" },
      inputs: { ...cell(0).inputs, arch: "x86_64", targets: ["drivers/gate/"] },
    };
    const release = () => Deno.writeTextFile(gate, "");
    const runner = createCellRunner(markerContext(root).builder);
    const out = watchedOutput();
    const stop = new AbortController();
    const connection = redisClient(parseRedisUrl(redis.url));
    const queue = new Queue<CellJobData, CellJobResult>(queueName, {
      connection,
    });
    const eventsConnection = redisClient(parseRedisUrl(redis.url));
    const events = new QueueEvents(queueName, {
      connection: eventsConnection,
    });
    const job = {
      v: 1 as const,
      runId: "run-1",
      cell: c,
      tree: { url: tree, commit },
      makeJobs: 1,
      ccache: false,
    };
    const worker = runWorker({
      queueUrl: redis.url,
      queueName,
      concurrency: 2,
      runner,
      out,
      signal: stop.signal,
      root: `${root}/worker`,
    });
    try {
      await out.lines.waitFor(/^worker /);
      await queue.add("cell", job, { jobId: c.digest });
      await out.lines.waitFor(/^start /);
      // Redis loses everything (a restart without persistence); the
      // submitter enqueues the cell again.
      await connection.flushall();
      await queue.add("cell", job, { jobId: c.digest });
      await Promise.race([
        out.lines.waitFor(/^join /),
        out.lines.waitForCount(/^start /, 2).then(() => {
          throw new Error(
            `a second build of the same cell:\n${out.stderr.join("\n")}`,
          );
        }),
      ]);
      await release();
      const rv = await (await queue.getJob(c.digest))!.waitUntilFinished(
        events,
      ) as CellJobResult;
      assertEquals([rv.digest, rv.result], [c.digest, "pass"]);
      assertEquals(
        out.stderr.filter((l) => l.startsWith("start ")).length,
        1,
        "built once",
      );
    } finally {
      await release();
      stop.abort();
      await worker;
      await events.close();
      await queue.close();
      connection.disconnect();
      eventsConnection.disconnect();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});
