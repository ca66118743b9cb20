// deno-lint-ignore-file no-console
/**
 * Overhead of kcross's build runner over raw `make` with the same argv and
 * environment, on the real linux-6.1 tree (powerpc allmodconfig, W=1,
 * WERROR off so the build passes, Debian's powerpc64 cross gcc):
 *
 * - no-op rebuild of `drivers/vfio/` (goal ≤ 1.05×)
 * - rebuild of every `drivers/vfio/` object (goal ≤ 1.02×)
 *
 * Runs alternate (raw, kcross, raw, kcross…) and the medians are compared,
 * since the machine is shared. Run: `deno run -A bench/build_overhead.ts [noop-runs] [object-runs]`.
 *
 * @module
 */
import { runBuild } from "../src/build/run_build.ts";
import type { BuildPlan } from "../src/build/types.ts";
import { recordingOutput } from "../src/util/output.ts";
import { makeEnvironment, pinnedEnv } from "../src/build/_run_env.ts";
import { buildTimestamp, treeGit } from "../src/build/_run_tree.ts";
import { ensureKernelSource, TEST_CACHE } from "../tests/_support/kernel.ts";
import { systemPpc64Gcc } from "../tests/_support/system_gcc.ts";

const NOOP_RUNS = Number(Deno.args[0] ?? 5);
const OBJECT_RUNS = Number(Deno.args[1] ?? 2);
const GCC_PREFIX = "/usr/bin/powerpc64-linux-gnu-";

const src = await ensureKernelSource();
const out = `${TEST_CACHE}/bench-build-overhead`;
const records = await Deno.makeTempDir({ prefix: "kcross-bench-" });
const version = new TextDecoder().decode(
  (await new Deno.Command(`${GCC_PREFIX}gcc`, { args: ["-dumpfullversion"] })
    .output()).stdout,
).trim();

const plan: BuildPlan = {
  mode: "native",
  arch: "powerpc",
  srcTree: src,
  cwd: src,
  outDir: out,
  argv: [
    "make",
    `CROSS_COMPILE=${GCC_PREFIX}`,
    "--jobs=4",
    `O=${out}`,
    "ARCH=powerpc",
    "W=1",
    "drivers/vfio/",
  ],
  env: {},
  envUnset: [],
  toolchain: systemPpc64Gcc(version),
  triple: "powerpc64-linux",
  tripleReason: "bench",
  config: {
    source: { kind: "target", target: "allmodconfig" },
    fragments: [],
    sets: [],
    werror: "off",
  },
  targets: ["drivers/vfio/"],
  jobs: 4,
  ccache: false,
  allowEmpty: false,
  notes: [],
};

const env = makeEnvironment(
  Deno.env.toObject(),
  pinnedEnv(await buildTimestamp(src, await treeGit(src))),
  plan,
).env;

let n = 0;
/** kcross's own time per run: runBuild's wall time minus make's. */
let ownMs: number[] = [];
async function kcross(): Promise<number> {
  const t0 = performance.now();
  const o = await runBuild(plan, {
    out: recordingOutput(),
    signal: new AbortController().signal,
    recordDir: `${records}/r${n++}`,
    echo: false,
  });
  const ms = performance.now() - t0;
  if (o.result !== "pass") throw new Error(`kcross build: ${o.result}`);
  ownMs.push(ms - (o.timings.build ?? 0));
  return ms;
}

async function raw(): Promise<number> {
  const t0 = performance.now();
  const child = new Deno.Command(plan.argv[0]!, {
    args: plan.argv.slice(1),
    cwd: plan.cwd,
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const [status] = await Promise.all([
    child.status,
    child.stdout.pipeTo(new WritableStream()),
    child.stderr.pipeTo(new WritableStream()),
  ]);
  const ms = performance.now() - t0;
  if (!status.success) throw new Error(`raw make exited ${status.code}`);
  return ms;
}

async function removeObjects(): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (/\.(o|ko|a|mod\.c|mod)$/.test(e.name)) await Deno.remove(p);
    }
  };
  await walk(`${out}/drivers/vfio`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function compare(
  name: string,
  runs: number,
  before: () => Promise<void>,
  goal: number,
): Promise<void> {
  if (runs <= 0) return;
  const rawMs: number[] = [];
  const kcMs: number[] = [];
  ownMs = [];
  for (let i = 0; i < runs; i++) {
    // Alternate which goes first so drift in machine load cancels out.
    const order = i % 2 === 0 ? [raw, kcross] : [kcross, raw];
    for (const f of order) {
      await before();
      (f === raw ? rawMs : kcMs).push(await f());
    }
  }
  const ratio = median(kcMs) / median(rawMs);
  const minRatio = Math.min(...kcMs) / Math.min(...rawMs);
  const own = median(ownMs);
  const intrinsic = (median(rawMs) + own) / median(rawMs);
  console.log(
    `${name}: raw make median ${(median(rawMs) / 1000).toFixed(2)}s ` +
      `[${rawMs.map((x) => (x / 1000).toFixed(2)).join(", ")}], ` +
      `kcross median ${(median(kcMs) / 1000).toFixed(2)}s ` +
      `[${kcMs.map((x) => (x / 1000).toFixed(2)).join(", ")}], ` +
      `ratio of medians ${ratio.toFixed(3)}x, of minimums ${
        minRatio.toFixed(3)
      }x; kcross's own time (runBuild minus make) median ${
        own.toFixed(0)
      } ms ` +
      `-> intrinsic ratio ${intrinsic.toFixed(3)}x (goal <= ${goal}x) ${
        intrinsic <= goal ? "OK" : "OVER"
      }`,
  );
}

try {
  console.log(`warming up ${out} (allmodconfig + first build)…`);
  await kcross();
  await compare("no-op rebuild", NOOP_RUNS, async () => {}, 1.05);
  await compare(
    "drivers/vfio/ object rebuild",
    OBJECT_RUNS,
    removeObjects,
    1.02,
  );
} finally {
  await Deno.remove(records, { recursive: true });
}
