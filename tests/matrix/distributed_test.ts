/**
 * Distributed matrix runs: a real redis-server on loopback, worker
 * subprocesses (`deno run -A main.ts matrix worker`, the real builder), the
 * submitter in this process, cells over a fake kernel tree built with the
 * marker gcc (tests/_support/fake_matrix_tree.ts) as COMPILER_INSTALL_PATH.
 */
import { assert, assertEquals } from "../_support/assert.ts";
import {
  createFakeMatrixTree,
  installMarkerGcc,
} from "../_support/fake_matrix_tree.ts";
import { startRedis } from "../_support/redis.ts";
import { recordingOutput } from "../../src/util/output.ts";
import {
  runMatrix,
  type RunMatrixOptions,
} from "../../src/matrix/run_matrix.ts";
import type { CellRunner } from "../../src/matrix/runner.ts";
import { watchedOutput, WorkerProc } from "./_helpers.ts";

const QUEUE = `kcross-test-${Deno.pid}`;
const noRunner: CellRunner = {
  run: () => Promise.reject(new Error("submitter must not build")),
};

const MATRIX = (targets: string) =>
  `[matrix]
arch = ["powerpc", "arm64"]
config = ["allmodconfig", "defconfig"]
compiler = ["gcc-12.2.0"]
targets = [${targets}]
[make]
W = "1"
`;

Deno.test({
  name:
    "distributed matrix runs on BullMQ over a real Redis with worker processes",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const root = await Deno.makeTempDir({ prefix: "kcross-matrix-q-" });
    await using redis = await startRedis();
    const tree = `${root}/linux`;
    await Deno.mkdir(tree);
    const commit = await createFakeMatrixTree(tree);
    await installMarkerGcc(`${root}/0day`);
    const workers = [
      new WorkerProc("w1", root, redis.url, QUEUE),
      new WorkerProc("w2", root, redis.url, QUEUE),
    ];
    const opts = (
      file: string,
      extra: Partial<RunMatrixOptions> = {},
    ): RunMatrixOptions => ({
      file,
      cwd: tree,
      out: recordingOutput(),
      signal: new AbortController().signal,
      runner: noRunner,
      queue: redis.url,
      queueName: QUEUE,
      pollMs: 200,
      stateDir: `${root}/submitter`,
      cacheDir: `${root}/submitter-cache`,
      ...extra,
    });
    const write = async (name: string, text: string) => {
      await Deno.writeTextFile(`${root}/${name}`, text);
      return `${root}/${name}`;
    };
    try {
      await Promise.all(workers.map((w) => w.waitFor(/^worker /)));

      await t.step(
        "cells run on the workers from their own clones; summaries as a local run",
        async () => {
          const file = await write("vfio.toml", MATRIX('"drivers/vfio/"'));
          const r = await runMatrix(opts(file));
          assertEquals(r.summary.mode, "queue");
          assertEquals(r.summary.tree.commit, commit);
          assertEquals(r.summary.cells.map((c) => `${c.key}=${c.result}`), [
            "powerpc/allmodconfig/gcc-12.2.0=pass",
            "powerpc/defconfig/gcc-12.2.0=pass",
            "arm64/allmodconfig/gcc-12.2.0=fail",
            "arm64/defconfig/gcc-12.2.0=pass",
          ]);
          assertEquals(r.exitCode, 1);
          const pids = new Set(workers.map((w) => String(w.pid)));
          for (const c of r.summary.cells) {
            assert(
              pids.has(c.ranOn!.split(":").pop()!),
              `ran on a worker: ${c.ranOn}`,
            );
            assert(
              c.record.log!.startsWith(`${root}/w`),
              `log stays on the worker: ${c.record.log}`,
            );
            assert(
              c.reproducer.startsWith("kcross build --arch "),
              `reproducer pushed back: ${c.reproducer}`,
            );
          }
          assert(
            r.summary.cells[2]!.diagnostics.some((d) =>
              d.message.includes("hwirq")
            ),
          );
          for (
            const f of [
              "summary.json",
              "summary.md",
              "junit.xml",
              "summary.html",
            ]
          ) {
            await Deno.stat(`${r.runDir}/${f}`);
          }
          const worktrees = [
            ...Deno.readDirSync(`${root}/w1/state/matrix-worker/worktrees`),
          ].filter((e) => e.isDirectory);
          assert(worktrees.length <= 1, "one worktree per commit");

          // Re-submitting the same cells is idempotent: the jobs exist, nothing runs again.
          const before = workers.reduce((n, w) => n + w.starts().length, 0);
          assertEquals(before, 4);
          const again = await runMatrix(opts(file));
          assertEquals(
            again.summary.cells.map((c) => c.result),
            r.summary.cells.map((c) => c.result),
          );
          assertEquals(
            workers.reduce((n, w) => n + w.starts().length, 0),
            before,
          );
        },
      );

      await t.step(
        "an interrupted submitter reattaches with --resume",
        async () => {
          const file = await write("resume.toml", MATRIX('"drivers/slow/"'));
          const ac = new AbortController();
          const out = watchedOutput();
          const marks = workers.map((w) => w.lines.all.length);
          const watching = out.lines.waitFor(/ start /).then(() => ac.abort());
          const first = await runMatrix(opts(file, { signal: ac.signal, out }));
          out.lines.close(
            new Error(`no " start " line:\n${out.stderr.join("\n")}`),
          );
          await watching;
          assertEquals(
            first.summary.totals.notRun,
            4,
            "stopped before any result",
          );
          const resumed = await runMatrix(
            opts(file, { file: undefined, resume: first.runId }),
          );
          assertEquals(resumed.runId, first.runId);
          assertEquals(resumed.summary.totals.notRun, 0);
          assertEquals(resumed.summary.totals.pass, 4);
          const started = workers.flatMap((w, i) => w.starts(marks[i]));
          assertEquals(
            started.length,
            4,
            "each cell ran exactly once: the jobs went on without the submitter",
          );
        },
      );

      await t.step(
        "Redis restarted mid-run: workers and submitter reconnect, lost jobs are enqueued again",
        async () => {
          const file = await write(
            "slow.toml",
            MATRIX('"drivers/slow/"').replace('W = "1"', 'W = "2"'),
          );
          const out = recordingOutput();
          const running = runMatrix(opts(file, { out }));
          const marks = workers.map((w) => w.lines.all.length);
          await Promise.all(
            workers.map((w, i) => w.waitFor(/^start .*\(cell-/, marks[i])),
          );
          await redis.restart();
          const r = await running;
          assertEquals(r.summary.cells.map((c) => c.result), [
            "pass",
            "pass",
            "pass",
            "pass",
          ]);
          assert(
            out.stderr.some((l) => l.includes("missing")),
            out.stderr.join("\n"),
          );
        },
      );

      await t.step(
        "a worker killed mid-cell: the cell is retried on the other worker, recorded once",
        async () => {
          const file = await write(
            "kill.toml",
            MATRIX('"drivers/slow/"').replace('"powerpc", "arm64"', '"arm64"')
              .replace('W = "1"', 'W = "3"').replace(
                '"allmodconfig", "defconfig"',
                '"defconfig"',
              ),
          );
          const out = recordingOutput();
          const marks = workers.map((w) => w.lines.all.length);
          const running = runMatrix(opts(file, { out }));
          const victim = await Promise.race(
            workers.map((w, i) =>
              w.waitFor(/^start arm64\/defconfig/, marks[i]).then(() => w)
            ),
          );
          const survivor = workers.find((w) => w !== victim)!;
          // Mid-cell: the job is active under the victim's lock (the shim
          // sleeps 2 s in this cell).
          await victim.stop("SIGKILL");
          const r = await running;
          const cell = r.summary.cells[0]!;
          assertEquals(cell.result, "pass");
          assertEquals(
            cell.ranOn!.split(":").pop(),
            String(survivor.pid),
            "finished by the survivor",
          );
          await survivor.waitFor(
            /^start arm64\/defconfig/,
            marks[workers.indexOf(survivor)],
          );
          assertEquals(
            [...Deno.readDirSync(`${r.runDir}/cells`)].length,
            1,
            "recorded once",
          );
          assert(
            out.stderr.some((l) => l.includes("stopped answering")),
            out.stderr.join("\n"),
          );
        },
      );
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
      await redis.stop();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});
