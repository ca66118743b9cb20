import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { commitFakeChange } from "../_support/fake_matrix_tree.ts";
import { fakeTreeEnv, MINIMAL, setupFakeMatrix } from "./_helpers.ts";

const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");
function setup() {
  return setupFakeMatrix("kcross-matrix-cli-", "tree");
}

/**
 * Runs kcross (`main.ts`) in a subprocess: its own state dirs, the marker
 * gcc of the fake tree as its COMPILER_INSTALL_PATH.
 */
async function kcross(cwd: string, ...args: string[]) {
  const root = cwd.slice(0, cwd.lastIndexOf("/"));
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${REPO}/main.ts`, ...args],
    cwd,
    env: fakeTreeEnv(root, `${root}/0day`),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: r.code,
    stdout: dec.decode(r.stdout).trimEnd(),
    stderr: dec.decode(r.stderr).trimEnd(),
  };
}

Deno.test("kcross matrix plan lists the cells, --json gives them with digests and the commit", async () => {
  await using env = await setup();
  const text = await kcross(env.tree, "matrix", "plan", "m.toml");
  assertEquals(text.code, 0);
  assertStringIncludes(text.stdout, `4 cells at ${env.commit.slice(0, 12)}`);
  assertStringIncludes(
    text.stdout,
    "arm64/defconfig/gcc-12.2.0  (targets: drivers/vfio/; W=1)",
  );
  const json = await kcross(
    env.tree,
    "matrix",
    "plan",
    "m.toml",
    "--json",
    "--only",
    "arch=arm64",
  );
  const plan = JSON.parse(json.stdout);
  assertEquals(plan.tree.commit, env.commit);
  assertEquals(plan.cells.map((c: { key: string }) => c.key), [
    "arm64/allmodconfig/gcc-12.2.0",
    "arm64/defconfig/gcc-12.2.0",
  ]);
  assert(/^cell-[0-9a-f]{32}$/.test(plan.cells[0].digest));
});

Deno.test("kcross matrix errors are user errors (exit 2) naming file and line", async () => {
  await using env = await setup();
  await Deno.writeTextFile(
    `${env.tree}/bad.toml`,
    MINIMAL.replace('W = "1"', "W = [1]"),
  );
  const bad = await kcross(env.tree, "matrix", "plan", "bad.toml");
  assertEquals(bad.code, 2);
  assertStringIncludes(bad.stderr, `${env.tree}/bad.toml:7: make.W:`);
  assertEquals((await kcross(env.tree, "matrix", "plan", "nope.toml")).code, 2);
  assertEquals((await kcross(env.tree, "matrix", "frobnicate")).code, 2);
  assertEquals(
    (await kcross(env.tree, "matrix", "run", "m.toml", "--shard", "5/4")).code,
    2,
  );
  assertEquals((await kcross(env.tree, "matrix", "worker")).code, 2);
  const help = await kcross(env.tree, "matrix", "--help");
  assertStringIncludes(help.stdout, "kcross matrix worker --queue");
});

Deno.test("kcross matrix export --github gives a strategy.matrix of shards calling matrix run --shard", async () => {
  await using env = await setup();
  const perCell = JSON.parse(
    (await kcross(env.tree, "matrix", "export", "--github", "m.toml")).stdout,
  );
  assertEquals(perCell.include.length, 4);
  assertEquals(perCell.include[2], {
    name: "arm64/allmodconfig/gcc-12.2.0",
    shard: "3/4",
    cells: ["arm64/allmodconfig/gcc-12.2.0"],
    run: "kcross matrix run m.toml --shard 3/4",
  });
  const two = JSON.parse(
    (await kcross(
      env.tree,
      "matrix",
      "export",
      "--github",
      "m.toml",
      "--shards",
      "2",
    )).stdout,
  );
  assertEquals(two.include.map((j: { cells: string[] }) => j.cells.length), [
    2,
    2,
  ]);
  // Each shard's command selects exactly its cells.
  const shard = await kcross(
    env.tree,
    "matrix",
    "plan",
    "m.toml",
    "--json",
    "--shard",
    "2/2",
  );
  assertEquals(
    JSON.parse(shard.stdout).cells.map((c: { key: string }) => c.key),
    two.include[1].cells,
  );
});

Deno.test("kcross matrix run then diff: changed cells and new diagnostics robot-style", async () => {
  await using env = await setup();
  const matrixRun = () =>
    kcross(
      env.tree,
      "matrix",
      "run",
      "m.toml",
      "--jobs",
      "2",
      "--make-jobs",
      "1",
    );
  const a = await matrixRun();
  assertEquals(a.code, 1);
  const runA = a.stdout.match(/^run (\S+):/m)![1]!;
  await commitFakeChange(env.tree, {
    "drivers/vfio/vfio_main.c": [
      "int vfio_main(void) { return 0; }",
      "// kcross-fake: error powerpc defconfig implicit declaration of function 'vfio_x' [-Werror=implicit-function-declaration]",
      "",
    ].join("\n"),
  });
  const b = await matrixRun();
  const runB = b.stdout.match(/^run (\S+):/m)![1]!;
  const diff = await kcross(env.tree, "matrix", "diff", runA, runB);
  assertEquals(diff.code, 1, "a new failure is a regression");
  assertStringIncludes(
    diff.stdout,
    "powerpc/defconfig/gcc-12.2.0: pass -> fail",
  );
  assertStringIncludes(
    diff.stdout,
    ">> drivers/vfio/vfio_main.c:2:5: error: implicit declaration of function 'vfio_x' [-Werror=implicit-function-declaration]",
  );
  assertStringIncludes(
    diff.stdout,
    "arm64/allmodconfig/gcc-12.2.0: fail -> pass",
  );
  const same = await kcross(env.tree, "matrix", "diff", runB, runB);
  assertEquals(same.code, 0);
  assertStringIncludes(same.stdout, "0 cell(s) changed");
});
