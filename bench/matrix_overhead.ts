/**
 * Scheduling overhead of matrix runs: 50 small cells of the fake kernel
 * tree (tests/_support/fake_matrix_tree.ts: real make and the real builder,
 * a gcc shim as the compiler), run locally and through a real Redis with 2
 * worker processes (`main.ts matrix worker`, the shim in their
 * COMPILER_INSTALL_PATH). Baseline: the same cells through the cell runner
 * directly, 2 at a time. Targets: ≤ 50 ms per cell over the baseline
 * locally, ≤ 100 ms through the queue.
 *
 *   deno run -A bench/matrix_overhead.ts
 */
import {
  createFakeMatrixTree,
  installMarkerGcc,
  markerContext,
} from "../tests/_support/fake_matrix_tree.ts";
import { startRedis } from "../tests/_support/redis.ts";
import { recordingOutput } from "../src/util/output.ts";
import { runMatrix } from "../src/matrix/run_matrix.ts";
import { createCellRunner } from "../src/matrix/run_cell.ts";
import { keyedSerializer } from "../src/matrix/local.ts";
import { loadMatrix } from "../src/matrix/load_matrix.ts";
import { expandCells } from "../src/matrix/expand.ts";
import { fakeTreeEnv, matrixWorkerArgs } from "../tests/matrix/_helpers.ts";

const root = await Deno.makeTempDir({ prefix: "kcross-bench-overhead-" });
Deno.env.set("KCROSS_STATE_DIR", `${root}/state`);
Deno.env.set("KCROSS_CACHE_DIR", `${root}/cache`);
Deno.env.delete("COMPILER_INSTALL_PATH");
const tree = `${root}/linux`;
await Deno.mkdir(tree);
const dirs = Array.from(
  { length: 25 },
  (_, i) => `drivers/n${String(i).padStart(2, "0")}/`,
);
await createFakeMatrixTree(
  tree,
  Object.fromEntries(dirs.map((d) => [`${d}n.c`, "int n;\n"])),
);
await installMarkerGcc(`${root}/0day`, "gcc-12.2.0", ["x86_64-linux"]);
const matrix = (salt: string) =>
  `name = "overhead"
[matrix]
arch = ["x86_64"]
config = ["defconfig", "allmodconfig"]
compiler = ["gcc-12.2.0"]
targets = ${JSON.stringify(dirs)}
[make]
SALT = "${salt}"
`;
for (const name of ["warm", "direct", "local", "queue-warm", "queue"]) {
  await Deno.writeTextFile(`${root}/${name}.toml`, matrix(name));
}
const N = dirs.length * 2;
const runner = createCellRunner(markerContext(root).builder);
const local = (file: string) =>
  runMatrix({
    file: `${root}/${file}.toml`,
    cwd: tree,
    out: recordingOutput(),
    signal: new AbortController().signal,
    runner,
    jobs: 2,
    makeJobs: 1,
    cores: 2,
  });

// Warm-up: the toolchain "fetch", the facts caches.
await local("warm");

// Baseline: the cell runner alone, 2 cells at a time.
const cells = await expandCells(await loadMatrix(`${root}/direct.toml`, tree), {
  tree: {
    url: tree,
    commit: null,
    useWorkingTree: true,
    workingTree: tree,
    dirtyDigest: null,
  },
});
const serialize = keyedSerializer();
const signal = new AbortController().signal;
let t0 = performance.now();
const queue = [...cells];
await Promise.all([0, 1].map(async () => {
  for (let cell = queue.shift(); cell; cell = queue.shift()) {
    await runner.run(cell, {
      srcTree: tree,
      buildDir: `${root}/direct/${cell.digest}`,
      makeJobs: 1,
      ccache: false,
      ccacheDir: `${root}/cache/ccache`,
      commit: null,
      signal,
      serialize,
    });
  }
}));
const baseline = performance.now() - t0;

t0 = performance.now();
const run = await local("local");
const localMs = performance.now() - t0;
if (run.summary.totals.pass !== N) throw new Error("local run did not pass");

const redis = await startRedis();
const queueName = `bench-${Deno.pid}`;
const workers = [1, 2].map((i) =>
  new Deno.Command(Deno.execPath(), {
    args: matrixWorkerArgs(redis.url, "--queue-name", queueName),
    env: fakeTreeEnv(`${root}/w${i}`, `${root}/0day`),
    stdout: "null",
    stderr: "null",
    stdin: "null",
  }).spawn()
);
const queued = (file: string) =>
  runMatrix({
    file: `${root}/${file}.toml`,
    cwd: tree,
    out: recordingOutput(),
    signal: new AbortController().signal,
    runner,
    queue: redis.url,
    queueName,
    pollMs: 1000,
  });
// Warm-up: workers start and each makes its clone + worktree once.
await queued("queue-warm");
t0 = performance.now();
const q = await queued("queue");
const queueMs = performance.now() - t0;
if (q.summary.totals.pass !== N) throw new Error("queue run did not pass");
const ranOn = new Set(q.summary.cells.map((c) => c.ranOn));

for (const w of workers) w.kill("SIGTERM");
await Promise.all(workers.map((w) => w.status));
await redis.stop();
await Deno.remove(root, { recursive: true });

const out = (s: string) =>
  Deno.stdout.writeSync(new TextEncoder().encode(`${s}\n`));
const over = (ms: number) => (ms - baseline) / N;
out(`cells: ${N} fake-tree cells`);
out(
  `baseline (runner called directly, 2 at once): ${
    baseline.toFixed(0)
  } ms total, ${(baseline / N).toFixed(2)} ms/cell`,
);
out(
  `local matrix run (2 at once):     ${localMs.toFixed(0)} ms total, ${
    over(localMs).toFixed(2)
  } ms/cell over the baseline ` +
    `(target <= 50) ${over(localMs) <= 50 ? "OK" : "MISSED"}`,
);
out(
  `queue matrix run (2 workers):     ${queueMs.toFixed(0)} ms total, ${
    over(queueMs).toFixed(2)
  } ms/cell over the baseline ` +
    `(target <= 100) ${
      over(queueMs) <= 100 ? "OK" : "MISSED"
    }; cells ran on ${ranOn.size} workers`,
);
out(`ratio queue/local: ${(queueMs / localMs).toFixed(2)}x`);
