// deno-lint-ignore-file no-console -- a benchmark prints its measurements
/**
 * `kcross verify` of the demo's fix, warm, against the raw `make` of the
 * same targets doing the same work, on the real linux-6.1 tree (the seed's
 * vfio collision and its fix, powerpc allmodconfig, W=1 drivers/vfio/,
 * Debian's powerpc64 gcc, ccache on).
 *
 * Warm: the report's commit was built once (its build record is reused)
 * and the fix's worktree slot and build dir are in place, so a verify run
 * is: parse, plan, the baseline lookup, the worktree lease, the forced
 * recompile of the reported objects (through ccache), make over
 * drivers/vfio/, the comparison and the trailers. The baseline is what a
 * developer would type instead: the same make argv and environment as the
 * fix's build record, in the same tree and build dir, after deleting the
 * same objects (the ones verify's build compiled). Rounds are interleaved,
 * the order alternating; medians of wall time are compared (goal ≤ 1.15×),
 * with the load average, since the machine may be shared.
 *
 * Run: `deno run -A bench/verify.ts [rounds] [jobs]`
 *
 * @module
 */
import { git } from "../src/git/mod.ts";
import { demoReport } from "../src/repro/demo_report.ts";
import { VFIO_FIX } from "../src/repro/demo_sample.ts";
import { rebuiltObjects } from "../src/verify/rebuilt_objects.ts";
import {
  applyVfioCollision,
  cloneKernelRepo,
  TEST_CACHE,
  VFIO_COLLISION,
  withTestLock,
} from "../tests/_support/kernel.ts";

const ROUNDS = Number(Deno.args[0] ?? 5);
const JOBS = Number(Deno.args[1] ?? 4);
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const root = `${TEST_CACHE}/bench-verify`;
const repo = `${root}/linux`;
const ENV: Record<string, string> = {
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: Deno.env.get("HOME") ?? "/root",
  LANG: "C",
  LC_ALL: "C",
  KCROSS_STATE_DIR: `${root}/state`,
  DENO_TLS_CA_STORE: "system",
  DENO_NO_UPDATE_CHECK: "1",
  NO_COLOR: "1",
};

async function run(
  argv: string[],
  options: { env: Record<string, string>; cwd?: string },
): Promise<{ code: number; stdout: string; stderr: string; s: number }> {
  const t0 = performance.now();
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env: options.env,
    clearEnv: true,
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const s = (performance.now() - t0) / 1000;
  const d = new TextDecoder();
  return {
    code: r.code,
    stdout: d.decode(r.stdout),
    stderr: d.decode(r.stderr),
    s,
  };
}

const { bad, fix } = await withTestLock("bench-verify", async () => {
  const ready = await Deno.stat(`${repo}/.git`).then(() => true, () => false) &&
    (await git(["rev-parse", "--verify", "--quiet", "HEAD~1"], {
      cwd: repo,
      allowFail: true,
    })).success;
  if (!ready) {
    await Deno.remove(root, { recursive: true }).catch(() => {});
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
    const path = `${repo}/${VFIO_COLLISION.file}`;
    await Deno.writeTextFile(
      path,
      (await Deno.readTextFile(path)).replace(VFIO_COLLISION.insert, ""),
    );
    await git([
      "commit",
      "-q",
      "-am",
      `${VFIO_FIX.subject}\n\n${VFIO_FIX.body}`,
    ], { cwd: repo });
  }
  const rev = async (r: string) =>
    (await git(["rev-parse", r], { cwd: repo })).stdout.trim();
  return { bad: await rev("HEAD~1"), fix: await rev("HEAD") };
});

const show = async (p: string) =>
  (await git(["show", `${bad}:${p}`], { cwd: repo })).stdout;
const compiler = (await run(["powerpc64-linux-gnu-gcc", "--version"], {
  env: ENV,
})).stdout.split("\n")[0]!;
const reportPath = `${root}/report.txt`;
await Deno.writeTextFile(
  reportPath,
  demoReport({
    treeUrl: repo,
    branch: "master",
    head: bad,
    commit: bad,
    subject: "vfio: Define device migration protocol v2",
    compiler,
    vfioH: await show(VFIO_COLLISION.file),
    vfioMainC: await show("drivers/vfio/vfio_main.c"),
    fslMcIntrC: await show("drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c"),
  }),
);

const verifyArgv = [
  `${ROOT}/kcross`,
  "verify",
  reportPath,
  "--tree",
  repo,
  "--commit",
  fix,
  "--jobs",
  String(JOBS),
  "--json",
];

async function verify(): Promise<{ s: number; recordDir: string }> {
  const r = await run(verifyArgv, { env: ENV });
  if (r.code !== 0) {
    throw new Error(`verify exited ${r.code}: ${r.stderr.slice(-3000)}`);
  }
  const v = JSON.parse(r.stdout);
  if (v.verdict !== "fixed") throw new Error(`verdict ${v.verdict}`);
  return { s: r.s, recordDir: v.fix.recordDir };
}

// Warm up: the report's commit and the fix built once, ccache filled.
console.log("warming up (the report's commit and the fix, once)…");
let last = await verify();
last = await verify();

interface RecordPlan {
  argv: string[];
  env: Record<string, string>;
  envUnset: string[];
  cwd: string;
  outDir: string;
}
const meta = JSON.parse(
  await Deno.readTextFile(`${last.recordDir}/metadata.json`),
) as { plan: RecordPlan };
const plan = meta.plan;
const objects = [
  ...rebuiltObjects(await Deno.readTextFile(`${last.recordDir}/build.log`)),
].filter((o) => o.endsWith(".o"));

async function raw(): Promise<number> {
  for (const o of objects) {
    await Deno.remove(`${plan.outDir}/${o}`).catch(() => {});
  }
  const env: Record<string, string> = { ...ENV, ...plan.env };
  for (const k of plan.envUnset) delete env[k];
  const r = await run(plan.argv, { env, cwd: plan.cwd });
  // the fix builds, the other units too: make's exit is 0
  if (r.code !== 0) throw new Error(`raw make exited ${r.code}`);
  return r.s;
}

const times = { raw: [] as number[], verify: [] as number[] };
for (let i = 0; i < ROUNDS; i++) {
  const order = i % 2 === 0 ? ["raw", "verify"] : ["verify", "raw"];
  for (const which of order) {
    if (which === "raw") times.raw.push(await raw());
    else times.verify.push((await verify()).s);
  }
  console.log(
    `round ${i + 1}: raw ${times.raw.at(-1)!.toFixed(2)} s, verify ${
      times.verify.at(-1)!.toFixed(2)
    } s`,
  );
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const load = (await Deno.readTextFile("/proc/loadavg")).split(" ")
  .slice(0, 3).join(" ");
const mRaw = median(times.raw);
const mVerify = median(times.verify);
console.log(
  `raw make of the same targets (${objects.length} objects recompiled, ccache): median ${
    mRaw.toFixed(2)
  } s`,
);
console.log(`kcross verify, warm: median ${mVerify.toFixed(2)} s`);
console.log(
  `verify / raw = ${
    (mVerify / mRaw).toFixed(2)
  }× (goal ≤ 1.15×; load average ${load}, ${ROUNDS} interleaved rounds)`,
);
