/**
 * Redis restarted (all data lost) again and again during distributed runs,
 * with the CPU busy: every round ends with every cell recorded once, as
 * `pass`. The restart lands at a different point each round: before the
 * workers took anything, while one or every slot builds, after the first
 * results, twice in a row. A worker with --concurrency 2 can take a job
 * enqueued again while it still builds the lost one.
 */
import { assertEquals } from "../_support/assert.ts";
import { startCpuLoad } from "../_support/cpu_load.ts";
import {
  commitFakeChange,
  createFakeMatrixTree,
  installMarkerGcc,
} from "../_support/fake_matrix_tree.ts";
import { startRedis } from "../_support/redis.ts";
import { runMatrix } from "../../src/matrix/run_matrix.ts";
import type { CellRunner } from "../../src/matrix/runner.ts";
import { watchedOutput, WorkerProc } from "./_helpers.ts";

const QUEUE = `kcross-restart-${Deno.pid}`;
const noRunner: CellRunner = {
  run: () => Promise.reject(new Error("submitter must not build")),
};
const MATRIX = `[matrix]
arch = ["powerpc", "arm64"]
config = ["allmodconfig", "defconfig"]
compiler = ["gcc-12.2.0"]
targets = ["drivers/slow/"]
`;

/** Where in a round the restart lands. */
type Point =
  | "queued"
  | "one-building"
  | "all-building"
  | "after-result"
  | "twice";
const ROUNDS: Point[] = [
  "all-building",
  "queued",
  "one-building",
  "after-result",
  "twice",
  "all-building",
];

Deno.test({
  name:
    "Redis restarted in every round of distributed runs under CPU load: every cell recorded once, pass",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    await using _load = startCpuLoad(2);
    const root = await Deno.makeTempDir({ prefix: "kcross-restart-" });
    await using redis = await startRedis();
    const tree = `${root}/linux`;
    await Deno.mkdir(tree);
    await createFakeMatrixTree(tree, {
      "drivers/slow/slow.c": "// kcross-fake: sleep * * 1\n",
    });
    await installMarkerGcc(`${root}/0day`);
    await Deno.writeTextFile(`${root}/m.toml`, MATRIX);
    // 3 slots for 4 cells.
    const workers = [
      new WorkerProc("w1", root, redis.url, QUEUE, 1),
      new WorkerProc("w2", root, redis.url, QUEUE, 2),
    ];
    const slots = 3;
    try {
      await Promise.all(workers.map((w) => w.waitFor(/^worker /)));
      for (const [i, point] of ROUNDS.entries()) {
        await t.step(`round ${i + 1}: restart ${point}`, async () => {
          // A new commit each round: new digests, so nothing is reused.
          await commitFakeChange(tree, {
            "drivers/slow/round.c": `int round${i};\n`,
          }, `round ${i}`);
          const out = watchedOutput();
          const marks = workers.map((w) => w.lines.all.length);
          const startsAtLeast = (n: number) =>
            new Promise<void>((resolve) => {
              const count = () =>
                workers.reduce((k, w, j) => k + w.starts(marks[j]).length, 0);
              if (count() >= n) return resolve();
              const offs = workers.map((w) =>
                w.lines.subscribe(() => {
                  if (count() < n) return;
                  offs.forEach((off) => off());
                  resolve();
                })
              );
            });
          const running = runMatrix({
            file: `${root}/m.toml`,
            cwd: tree,
            out,
            signal: new AbortController().signal,
            runner: noRunner,
            queue: redis.url,
            queueName: QUEUE,
            pollMs: 100,
            stateDir: `${root}/submitter`,
            cacheDir: `${root}/submitter-cache`,
          });
          const ended = running.then(() => {
            out.lines.close(new Error("the run ended first"));
          }, () => {});
          switch (point) {
            case "queued":
              await out.lines.waitFor(/^matrix /);
              break;
            case "one-building":
              await startsAtLeast(1);
              break;
            case "all-building":
              await startsAtLeast(slots);
              break;
            case "after-result":
              await out.lines.waitFor(/^\[1\/4\] \S+: /);
              break;
            case "twice":
              await startsAtLeast(1);
              await redis.restart();
              break;
          }
          await redis.restart();
          const r = await running;
          await ended;
          assertEquals(
            r.summary.cells.map((c) => `${c.key}=${c.result}`),
            [
              "powerpc/allmodconfig/gcc-12.2.0=pass",
              "powerpc/defconfig/gcc-12.2.0=pass",
              "arm64/allmodconfig/gcc-12.2.0=pass",
              "arm64/defconfig/gcc-12.2.0=pass",
            ],
            out.stderr.join("\n"),
          );
          assertEquals(
            [...Deno.readDirSync(`${r.runDir}/cells`)].length,
            4,
            "each cell recorded once",
          );
        });
      }
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await redis.stop();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});
