/**
 * Scheduling overhead of matrix runs: 50 instant cells (the fake runner's
 * `instant` compiler does no work), run locally and through a real Redis
 * with 2 worker processes. Targets: ≤ 50 ms per cell locally, ≤ 100 ms
 * through the queue. Baseline: calling the runner directly 50 times.
 *
 *   deno run -A bench/matrix_overhead.ts
 */
import {
  createCellRunner,
  createFakeMatrixTree,
} from "../tests/_support/fake_matrix_tree.ts";
import { startRedis } from "../tests/_support/redis.ts";
import { recordingOutput } from "../src/util/output.ts";
import { runMatrix } from "../src/matrix/run_matrix.ts";
import { supportedArches } from "../src/toolchain/arch.ts";
import { keyedSerializer } from "../src/matrix/local.ts";
import { fakeMatrixWorkerArgs } from "../tests/matrix/_helpers.ts";

const root = await Deno.makeTempDir({ prefix: "kcross-bench-overhead-" });
Deno.env.set("KCROSS_STATE_DIR", `${root}/state`);
Deno.env.set("KCROSS_CACHE_DIR", `${root}/cache`);
const tree = `${root}/linux`;
await Deno.mkdir(tree);
await createFakeMatrixTree(tree);
const arches = supportedArches().slice(0, 25);
const matrix = (salt: string) =>
  `name = "overhead"
[matrix]
arch = ${JSON.stringify(arches)}
config = ["defconfig", "allmodconfig"]
compiler = ["instant"]
[make]
SALT = "${salt}"
`;
await Deno.writeTextFile(`${root}/local.toml`, matrix("local"));
await Deno.writeTextFile(`${root}/queue.toml`, matrix("queue"));
await Deno.writeTextFile(`${root}/warm.toml`, matrix("warm"));
const N = arches.length * 2;

// Baseline: the runner alone.
const runner = createCellRunner();
let t0 = performance.now();
for (let i = 0; i < N; i++) {
  await runner.run(
    {
      key: `c${i}`,
      index: i,
      digest: `d${i}`,
      axes: {},
      inputs: { compiler: "instant" },
    } as never,
    {
      serialize: keyedSerializer(),
    } as never,
  );
}
const baseline = performance.now() - t0;

t0 = performance.now();
const local = await runMatrix({
  file: `${root}/local.toml`,
  cwd: tree,
  out: recordingOutput(),
  signal: new AbortController().signal,
  runner,
  jobs: 2,
  makeJobs: 1,
  cores: 2,
});
const localMs = performance.now() - t0;
if (local.summary.totals.pass !== N) throw new Error("local run did not pass");

const redis = await startRedis();
const queueName = `bench-${Deno.pid}`;
const workers = [1, 2].map((i) =>
  new Deno.Command(Deno.execPath(), {
    args: fakeMatrixWorkerArgs(redis.url, "--queue-name", queueName),
    env: {
      KCROSS_STATE_DIR: `${root}/w${i}`,
      KCROSS_CACHE_DIR: `${root}/wc${i}`,
    },
    stdout: "null",
    stderr: "null",
    stdin: "null",
  }).spawn()
);
const queued = (file: string) =>
  runMatrix({
    file,
    cwd: tree,
    out: recordingOutput(),
    signal: new AbortController().signal,
    runner,
    queue: redis.url,
    queueName,
    pollMs: 1000,
  });
// Warm-up: workers start and each makes its clone + worktree once.
await queued(`${root}/warm.toml`);
t0 = performance.now();
const q = await queued(`${root}/queue.toml`);
const queueMs = performance.now() - t0;
if (q.summary.totals.pass !== N) throw new Error("queue run did not pass");
const ranOn = new Set(q.summary.cells.map((c) => c.ranOn));

for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => w.status));
await redis.stop();
await Deno.remove(root, { recursive: true });

const out = (s: string) =>
  Deno.stdout.writeSync(new TextEncoder().encode(`${s}\n`));
out(`cells: ${N} instant cells`);
out(
  `baseline (runner called directly): ${baseline.toFixed(0)} ms total, ${
    (baseline / N).toFixed(2)
  } ms/cell`,
);
out(
  `local matrix run (2 at once):     ${localMs.toFixed(0)} ms total, ${
    (localMs / N).toFixed(2)
  } ms/cell ` +
    `(target <= 50) ${localMs / N <= 50 ? "OK" : "MISSED"}`,
);
out(
  `queue matrix run (2 workers):     ${queueMs.toFixed(0)} ms total, ${
    (queueMs / N).toFixed(2)
  } ms/cell ` +
    `(target <= 100) ${
      queueMs / N <= 100 ? "OK" : "MISSED"
    }; cells ran on ${ranOn.size} workers`,
);
out(`ratio queue/local: ${(queueMs / localMs).toFixed(2)}x`);
