// deno-lint-ignore-file no-console
/**
 * `kcross repro` of the vfio seed case against the sum of its raw steps on a
 * warm machine (toolchain shims in place): `git worktree add`, `make
 * allmodconfig`, `make W=1 drivers/vfio/`, with Debian's powerpc64 gcc and
 * the same -j. Goal: repro ≤ 1.15× the raw steps.
 *
 * Three numbers: the raw steps; kcross in a fresh worktree pool (the same
 * work: new worktree, new build dir, no ccache) — kcross's own overhead;
 * and kcross warm (worktree and build dir reused), what a second repro
 * costs. Run: `deno run -A bench/repro_vfio.ts [jobs]`.
 *
 * @module
 */
import { recordingOutput } from "../src/util/output.ts";
import { git } from "../src/git/mod.ts";
import { demoReport } from "../src/repro/demo_report.ts";
import { buildContext } from "../src/build/mod.ts";
import { runRepro } from "../src/repro/run_repro.ts";
import {
  applyVfioCollision,
  cloneKernelRepo,
  TEST_CACHE,
  withTestLock,
} from "../tests/_support/kernel.ts";

const JOBS = Number(Deno.args[0] ?? 4);
const root = `${TEST_CACHE}/bench-repro`;
const repo = `${root}/linux`;
const env = { LANG: "C", LC_ALL: "C" };

async function sh(argv: string[], cwd: string): Promise<number> {
  const t0 = performance.now();
  await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    cwd,
    env,
    stdout: "null",
    stderr: "null",
  }).output();
  return (performance.now() - t0) / 1000;
}

await withTestLock("bench-repro", async () => {
  try {
    await Deno.stat(`${repo}/.git`);
  } catch {
    await Deno.mkdir(root, { recursive: true });
    await cloneKernelRepo(repo);
    await applyVfioCollision(repo);
    await git([
      "commit",
      "-q",
      "-am",
      "vfio: Define device migration protocol v2",
    ], {
      cwd: repo,
    });
  }
});
const bad = (await git(["rev-parse", "HEAD"], { cwd: repo })).stdout.trim();
const show = async (p: string) =>
  (await git(["show", `${bad}:${p}`], { cwd: repo })).stdout;
const compiler = new TextDecoder().decode(
  (await new Deno.Command("powerpc64-linux-gnu-gcc", {
    args: ["--version"],
    stdout: "piped",
    env,
  }).output()).stdout,
).split("\n")[0]!;
const report = demoReport({
  treeUrl: repo,
  branch: "master",
  head: bad,
  commit: bad,
  subject: "vfio: Define device migration protocol v2",
  compiler,
  vfioH: await show("include/uapi/linux/vfio.h"),
  vfioMainC: await show("drivers/vfio/vfio_main.c"),
  fslMcIntrC: await show("drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c"),
});

Deno.env.set("KCROSS_STATE_DIR", `${root}/state`);
const context = buildContext();
async function repro(poolRoot: string): Promise<[number, string]> {
  const t0 = performance.now();
  const r = await runRepro(report, {
    out: recordingOutput(),
    signal: new AbortController().signal,
    context,
    tree: repo,
    jobs: JOBS,
    ccache: false,
    poolRoot,
  });
  return [(performance.now() - t0) / 1000, r.verdict.verdict];
}

// kcross first, in a fresh pool (same work as the raw steps): it pays any
// cold page cache, which is conservative for kcross.
const fresh = `${root}/pool-fresh-${Date.now()}`;
const [tFresh, v1] = await repro(fresh);

// Raw steps.
const wt = `${root}/raw-wt`;
const out = `${root}/raw-out`;
await git(["worktree", "remove", "--force", wt], {
  cwd: repo,
  allowFail: true,
});
await Deno.remove(wt, { recursive: true }).catch(() => {});
await Deno.remove(out, { recursive: true }).catch(() => {});
await Deno.mkdir(out, { recursive: true });
const cross = "CROSS_COMPILE=powerpc64-linux-gnu-";
const tAdd = await sh(
  ["git", "worktree", "add", "-q", "--detach", wt, bad],
  repo,
);
const tCfg = await sh([
  "make",
  `O=${out}`,
  "ARCH=powerpc",
  cross,
  "allmodconfig",
], wt);
const tMake = await sh([
  "make",
  "--keep-going",
  `--jobs=${JOBS}`,
  `O=${out}`,
  "ARCH=powerpc",
  cross,
  "W=1",
  "drivers/vfio/",
], wt);
const raw = tAdd + tCfg + tMake;
await git(["worktree", "remove", "--force", wt], {
  cwd: repo,
  allowFail: true,
});
await Deno.remove(out, { recursive: true }).catch(() => {});

// kcross again: worktree and build dir reused.
const [tWarm, v2] = await repro(fresh);
await Deno.remove(fresh, { recursive: true }).catch(() => {});
await git(["worktree", "prune"], { cwd: repo });

console.log(
  `raw steps: worktree add ${tAdd.toFixed(1)} s + allmodconfig ${
    tCfg.toFixed(1)
  } s + make ${tMake.toFixed(1)} s = ${raw.toFixed(1)} s`,
);
console.log(
  `kcross repro, fresh worktree and build dir: ${
    tFresh.toFixed(1)
  } s (${v1}) → ${(tFresh / raw).toFixed(2)}×`,
);
console.log(
  `kcross repro, warm (reused worktree and build dir): ${
    tWarm.toFixed(1)
  } s (${v2}) → ${(tWarm / raw).toFixed(2)}× (goal ≤ 1.15×)`,
);
