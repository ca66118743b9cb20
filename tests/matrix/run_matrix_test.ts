/**
 * `runMatrix()` locally, in this process: the real cell runner, builder,
 * make and record writer over the fake kernel tree, on a context whose
 * toolchain resolver hands out the marker gcc (tests/_support/fake_matrix_tree.ts).
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../_support/assert.ts";
import {
  commitFakeChange,
  markerContext,
} from "../_support/fake_matrix_tree.ts";
import { scopedEnv } from "../_support/env.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { createCellRunner } from "../../src/matrix/run_cell.ts";
import {
  runMatrix,
  type RunMatrixOptions,
} from "../../src/matrix/run_matrix.ts";
import { planBudget } from "../../src/matrix/local.ts";
import type { CellRunner } from "../../src/matrix/runner.ts";
import type { RunSummary } from "../../src/matrix/summary.ts";
import { UserError } from "../../src/errors.ts";
import { MINIMAL, setupFakeMatrix } from "./_helpers.ts";
import { recording, subcommands } from "../_support/recording_runner.ts";

/**
 * The fake tree and matrix file, the cell runner on `markerContext`, and
 * the records and caches of this process's builds in the temp dir.
 */
async function setup() {
  const env = await setupFakeMatrix("kcross-matrix-", "root");
  const scoped = await scopedEnv({
    KCROSS_STATE_DIR: `${env.root}/records`,
    KCROSS_CACHE_DIR: `${env.root}/cache`,
    COMPILER_INSTALL_PATH: undefined,
    KCROSS_OFFLINE: undefined,
  });
  const runner = createCellRunner(markerContext(env.root).builder);
  return {
    ...env,
    runner,
    async [Symbol.asyncDispose]() {
      await scoped[Symbol.asyncDispose]();
      await env[Symbol.asyncDispose]();
    },
  };
}

function counting(inner: CellRunner) {
  const calls: string[] = [];
  const runner: CellRunner = {
    run(cell, ctx) {
      calls.push(cell.key);
      return inner.run(cell, ctx);
    },
  };
  return { runner, calls };
}

function opts(
  env: { root: string; tree: string; runner: CellRunner },
  extra: Partial<RunMatrixOptions> = {},
): RunMatrixOptions {
  return {
    file: `${env.root}/m.toml`,
    cwd: env.tree,
    out: recordingOutput(),
    signal: new AbortController().signal,
    runner: env.runner,
    jobs: 2,
    makeJobs: 1,
    cores: 2,
    stateDir: `${env.root}/state`,
    cacheDir: `${env.root}/cache`,
    ...extra,
  };
}

Deno.test("matrix run (local) builds every cell, a failing cell does not stop the others", async () => {
  await using env = await setup();
  const out = recordingOutput();
  const r = await runMatrix(opts(env, { out }));
  assertEquals(r.exitCode, 1);
  const s = JSON.parse(
    await Deno.readTextFile(`${r.runDir}/summary.json`),
  ) as RunSummary;
  assertEquals(s.cells.map((c) => `${c.key}=${c.result}`), [
    "powerpc/allmodconfig/gcc-12.2.0=pass",
    "powerpc/defconfig/gcc-12.2.0=pass",
    "arm64/allmodconfig/gcc-12.2.0=fail",
    "arm64/defconfig/gcc-12.2.0=pass",
  ]);
  assertEquals(s.tree.commit, env.commit);
  assertEquals(s.totals.errors, 1);
  assertEquals(s.totals.warnings, 4);
  assertEquals(
    new Set(s.cells.map((c) => c.record.dir)).size,
    4,
    "each cell has its own record",
  );
  const fail = s.cells[2]!;
  assertStringIncludes(
    fail.diagnostics[0]!.message,
    "'hwirq' set but not used",
  );
  assertStringIncludes(fail.reproducer, "kcross build --arch arm64");
  const junit = await Deno.readTextFile(`${r.runDir}/junit.xml`);
  assertEquals(junit.match(/<testcase /g)?.length, 4);
  assertEquals(junit.match(/<failure /g)?.length, 1);
  assertStringIncludes(junit, "hwirq");
  const md = await Deno.readTextFile(`${r.runDir}/summary.md`);
  assertStringIncludes(
    md,
    "| `arm64/allmodconfig/gcc-12.2.0` | ❌ fail | 1 | 1 |",
  );
  assertStringIncludes(
    await Deno.readTextFile(`${r.runDir}/summary.html`),
    'data-result="fail"',
  );
  assert(
    out.stderr.some((l) => l.startsWith("[4/4] ")),
    "plain progress lines off a TTY",
  );
});

Deno.test("matrix run retries an infra error once and reports it as infra, not a failure", async () => {
  await using env = await setup();
  await Deno.writeTextFile(
    `${env.root}/m.toml`,
    MINIMAL.replace('["gcc-12.2.0"]', '["flaky-1", "broken-1"]').replace(
      '"arm64"',
      '"x86_64"',
    ),
  );
  const r = await runMatrix(opts(env, { only: "config=defconfig" }));
  const byKey = new Map(r.summary.cells.map((c) => [c.key, c]));
  assertEquals(byKey.get("powerpc/defconfig/flaky-1")?.result, "pass");
  assertEquals(byKey.get("powerpc/defconfig/flaky-1")?.attempts, 2);
  assertEquals(byKey.get("powerpc/defconfig/broken-1")?.result, "infra");
  assertEquals(byKey.get("powerpc/defconfig/broken-1")?.attempts, 2);
  assertEquals(r.exitCode, 3);
  assertEquals(r.summary.totals.fail, 0);
});

Deno.test("matrix run fetches each toolchain once even with cells in parallel", async () => {
  await using env = await setup();
  await runMatrix(opts(env));
  const log = await Deno.readTextFile(
    `${env.root}/fake-toolchains/fetch.log`,
  );
  assertEquals(log.split("\n").filter((l) => l).sort(), [
    "gcc-12.2.0 aarch64-linux",
    "gcc-12.2.0 powerpc64-linux",
  ]);
});

Deno.test("matrix run --resume skips cells recorded for the same inputs, reruns changed ones", async () => {
  await using env = await setup();
  const first = await runMatrix(opts(env));
  const cellsDir = `${first.runDir}/cells`;
  const victim = first.summary.cells[1]!;
  await Deno.remove(`${cellsDir}/${victim.digest}.json`);
  const again = counting(env.runner);
  const r = await runMatrix(
    opts(env, { file: undefined, resume: first.runId, runner: again.runner }),
  );
  assertEquals(again.calls, [victim.key]);
  assertEquals(r.runId, first.runId);
  assertEquals(r.summary.totals.notRun, 0);

  // A new commit changes every digest: resuming with the file reruns all.
  await commitFakeChange(env.tree, {
    "drivers/net/net.c": "int net2(void) { return 1; }\n",
  });
  const third = counting(env.runner);
  await runMatrix(opts(env, { resume: first.runId, runner: third.runner }));
  assertEquals(third.calls.length, 4);
});

Deno.test("an interrupted local run records what finished; --resume finishes it", async () => {
  await using env = await setup();
  const ac = new AbortController();
  const inner = env.runner;
  const stopping: CellRunner = {
    async run(cell, ctx) {
      const o = await inner.run(cell, ctx);
      ac.abort();
      return o;
    },
  };
  const r = await runMatrix(
    opts(env, { runner: stopping, signal: ac.signal, jobs: 1 }),
  );
  assertEquals(r.summary.totals.notRun, 3);
  assertEquals(r.exitCode, 3);
  const rest = counting(env.runner);
  const done = await runMatrix(
    opts(env, { file: undefined, resume: r.runId, runner: rest.runner }),
  );
  assertEquals(rest.calls.length, 3);
  assertEquals(done.summary.totals.notRun, 0);
});

Deno.test("matrix run --commit builds a kcross worktree at that commit, not the checkout, with git through the given runner", async () => {
  await using env = await setup();
  await commitFakeChange(
    env.tree,
    { "drivers/vfio/vfio_main.c": "int ok;\n" },
    "fix vfio",
  );
  const rec = recording();
  const r = await runMatrix(
    opts(env, {
      commit: env.commit,
      only: "arch=arm64,config=allmodconfig",
      proc: rec.proc,
    }),
  );
  const ran = subcommands(rec.argv);
  for (const sub of ["rev-parse --show-toplevel", "worktree add"]) {
    assert(ran.includes(sub), `${sub} through the runner: ${ran}`);
  }
  assertEquals(
    r.summary.cells.map((c) => c.result),
    ["fail"],
    "the old commit still has the error",
  );
  assertEquals(r.summary.tree.commit, env.commit);
  const head = await runMatrix(
    opts(env, { only: "arch=arm64,config=allmodconfig" }),
  );
  assertEquals(head.summary.cells.map((c) => c.result), ["pass"]);
});

Deno.test("planBudget() keeps cells x make -j within the cores unless told otherwise", () => {
  assertEquals(planBudget({ cells: 4, cores: 2 }), {
    parallel: 2,
    makeJobs: 1,
  });
  assertEquals(planBudget({ cells: 4, cores: 8, makeJobs: 4 }), {
    parallel: 2,
    makeJobs: 4,
  });
  assertThrows(
    () => planBudget({ cells: 4, cores: 2, jobs: 2, makeJobs: 2 }),
    UserError,
    "cores",
  );
  assertEquals(
    planBudget({
      cells: 4,
      cores: 2,
      jobs: 2,
      makeJobs: 2,
      oversubscribe: true,
    }),
    {
      parallel: 2,
      makeJobs: 2,
    },
  );
});
