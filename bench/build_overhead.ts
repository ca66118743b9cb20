// deno-lint-ignore-file no-console -- a benchmark prints its measurements
/**
 * What the make.cross drop-in costs over raw make, measured on the command
 * lines a robot user types, whole processes, on the real linux-6.1 tree
 * (powerpc allmodconfig with CONFIG_WERROR disabled, Debian's powerpc64 gcc
 * 12 installed under crosstool names in a COMPILER_INSTALL_PATH):
 *
 * - `raw`:    make -k -j<2×CPUs> W=1 O=<out> ARCH=powerpc CROSS_COMPILE=<cip>/…/powerpc64-linux- SHELL=/bin/bash drivers/vfio/
 * - `raw+kcflags`: the same with the KCFLAGS make.cross adds (second baseline)
 * - `make.cross`: env COMPILER_INSTALL_PATH=<cip> COMPILER=gcc-12.2.0 kcross make.cross O=<out> ARCH=powerpc W=1 SHELL=/bin/bash drivers/vfio/
 * - `build`:  kcross build --arch powerpc --compiler gcc-12.2.0 --out <out> -W 1 SHELL=/bin/bash drivers/vfio/
 *
 * Each command has its own build dir (identical copies), so no command's
 * flags make another rebuild. Two cases: a no-op rebuild (goal ≤ 1.05×
 * against raw+kcflags) and every `drivers/vfio/` object deleted and rebuilt
 * (goal ≤ 1.02×). Rounds are interleaved, the order rotating each round;
 * medians of wall time and of CPU time (user+sys of the whole process tree,
 * from /usr/bin/time, less sensitive to other load) are compared, with the
 * load average. kcross's own phases come from each run's record
 * (`metadata.json` timings, the same numbers `KCROSS_TIMINGS=1` prints),
 * and its own time, the process's wall less the make it ran, is printed
 * with (make + own) / make: on a box whose page cache comes and goes, one
 * build dir's make can differ from another's by more than the goal, while
 * this share does not depend on which dir was cold. Every run starts after
 * a `sync` (untimed).
 *
 * Run: `deno run -A bench/build_overhead.ts [noop-rounds] [rebuild-rounds]`
 * (`KCROSS_BENCH_LAUNCHER=<other checkout>/kcross` measures another kcross).
 *
 * @module
 */
import {
  ensureKernelSource,
  TEST_CACHE,
  withTestLock,
} from "../tests/_support/kernel.ts";
import { runOk, settle } from "./_support.ts";

const NOOP_ROUNDS = Number(Deno.args[0] ?? 7);
const REBUILD_ROUNDS = Number(Deno.args[1] ?? 3);
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
/** The launcher measured (`KCROSS_BENCH_LAUNCHER`: another checkout's, for a before/after). */
const KCROSS = Deno.env.get("KCROSS_BENCH_LAUNCHER") ?? `${ROOT}/kcross`;
const TIME = "/usr/bin/time";
const WORK = `${TEST_CACHE}/bench-build-overhead`;
const CIP = `${WORK}/0day`;
const DEBIAN_GCC = "/usr/bin/powerpc64-linux-gnu-gcc";
const TRIPLE = "powerpc64-linux";

const haveTime = await Deno.stat(TIME).then(() => true, () => false);
const src = await ensureKernelSource();
const version = (await capture([DEBIAN_GCC, "-dumpfullversion"])).trim();
const COMPILER = `gcc-${version}`;
const CROSS = `${CIP}/${COMPILER}-nolibc/${TRIPLE}/bin/${TRIPLE}-`;
const cpus = Number((await capture(["getconf", "_NPROCESSORS_CONF"])).trim());
const JOBS = 2 * cpus; // what make.cross passes
const state = await Deno.makeTempDir({ prefix: "kcross-bench-state-" });
const ENV: Record<string, string> = {
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: Deno.env.get("HOME") ?? "/root",
  LANG: "C",
  LC_ALL: "C",
  KCROSS_CACHE_DIR: `${WORK}/cache`,
  XDG_STATE_HOME: state,
  DENO_TLS_CA_STORE: "system",
  DENO_NO_UPDATE_CHECK: "1",
  NO_COLOR: "1",
};

async function capture(
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<string> {
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    ...(options.env ? { env: options.env, clearEnv: true } : {}),
    ...(options.cwd ? { cwd: options.cwd } : {}),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  if (!r.success) {
    throw new Error(`${argv.join(" ")}: ${dec.decode(r.stderr).slice(-2000)}`);
  }
  return dec.decode(r.stdout) + dec.decode(r.stderr);
}

/** One measured command. */
interface Variant {
  name: string;
  out: string;
  argv: (out: string) => string[];
  env: Record<string, string>;
  kcross: boolean;
}

const rawArgv = (out: string) => [
  "make",
  "-k",
  `-j${JOBS}`,
  "W=1",
  `O=${out}`,
  "ARCH=powerpc",
  `CROSS_COMPILE=${CROSS}`,
  "SHELL=/bin/bash",
  "drivers/vfio/",
];

/** The COMPILER_INSTALL_PATH: Debian's gcc under crosstool names, by kcross. */
async function installToolchain(): Promise<void> {
  const printed = await capture([
    KCROSS,
    "toolchain",
    "fetch",
    COMPILER,
    "powerpc",
    "--system",
    "--triple",
    TRIPLE,
    "--quiet",
  ], { env: ENV });
  const prefix = /^CROSS_COMPILE=(.*)$/m.exec(printed)?.[1];
  if (!prefix) throw new Error(`toolchain fetch printed ${printed}`);
  const top = prefix.slice(0, -`/${TRIPLE}/bin/${TRIPLE}-`.length);
  await Deno.mkdir(CIP, { recursive: true });
  const link = `${CIP}/${COMPILER}-nolibc`;
  await Deno.remove(link).catch(() => {});
  await Deno.symlink(top, link);
}

async function sh(argv: string[], cwd = src): Promise<void> {
  await capture(argv, { env: ENV, cwd });
}

/** One build dir per command, copies of a configured and built one. */
async function prepareDirs(variants: Variant[]): Promise<void> {
  const first = variants[0]!.out;
  const ready = `${WORK}/.ready-${version}`;
  if (await Deno.stat(ready).then(() => true, () => false)) return;
  console.log(`preparing ${first} (allmodconfig, WERROR off, first build)…`);
  await Deno.remove(first, { recursive: true }).catch(() => {});
  const base = ["make", `O=${first}`, "ARCH=powerpc", `CROSS_COMPILE=${CROSS}`];
  await sh([...base, "allmodconfig"]);
  await sh([
    `${src}/scripts/config`,
    "--file",
    `${first}/.config`,
    "-d",
    "WERROR",
  ]);
  await sh([...base, "olddefconfig"]);
  await sh(rawArgv(first));
  for (const v of variants.slice(1)) {
    await Deno.remove(v.out, { recursive: true }).catch(() => {});
    await sh(["cp", "-a", first, v.out]);
  }
  await Deno.writeTextFile(ready, "");
}

/** A run's wall and CPU seconds, and kcross's record timings. */
interface Sample {
  wall: number;
  cpu: number | null;
  timings: Record<string, number> | null;
}

async function runOnce(v: Variant): Promise<Sample> {
  const timeFile = `${state}/time`;
  const argv = v.argv(v.out);
  await settle();
  const full = haveTime
    ? [TIME, "-f", "%e %U %S", "-o", timeFile, ...argv]
    : argv;
  const t0 = performance.now();
  const child = new Deno.Command(full[0]!, {
    args: full.slice(1),
    cwd: src,
    env: v.env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const errText = new Response(child.stderr).text();
  const [status] = await Promise.all([
    child.status,
    child.stdout.pipeTo(new WritableStream()),
  ]);
  const wall = (performance.now() - t0) / 1000;
  const err = await errText;
  if (!status.success) {
    throw new Error(`${v.name} exited ${status.code}: ${err.slice(-3000)}`);
  }
  let cpu: number | null = null;
  if (haveTime) {
    const [, u, s] = (await Deno.readTextFile(timeFile)).trim().split(/\s+/)
      .slice(-3).map(Number);
    cpu = u! + s!;
  }
  let timings: Record<string, number> | null = null;
  const record = /^kcross: record (.*)$/m.exec(err)?.[1];
  if (v.kcross && record) {
    const meta = JSON.parse(
      await Deno.readTextFile(`${record}/metadata.json`),
    );
    timings = meta.timings ?? null;
    await Deno.remove(record, { recursive: true });
  }
  return { wall, cpu, timings };
}

async function removeObjects(out: string): Promise<void> {
  const walk = async (dir: string): Promise<void> => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (/\.(o|ko|a|mod\.c|mod|mod\.o)$/.test(e.name)) {
        await Deno.remove(p);
      }
    }
  };
  await walk(`${out}/drivers/vfio`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

const load = async () =>
  (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");

async function compare(
  title: string,
  variants: Variant[],
  rounds: number,
  before: (v: Variant) => Promise<void>,
  goal: number,
): Promise<void> {
  if (rounds <= 0) return;
  const samples = new Map(variants.map((v) => [v.name, [] as Sample[]]));
  const loads: string[] = [await load()];
  for (let i = 0; i < rounds; i++) {
    // Rotate the order so drift in the machine's load spreads evenly.
    const order = variants.map((_, k) => variants[(k + i) % variants.length]!);
    for (const v of order) {
      await before(v);
      samples.get(v.name)!.push(await runOnce(v));
    }
    loads.push(await load());
  }
  console.log(
    `\n${title} (${rounds} rounds; load average ${loads.join(" → ")})`,
  );
  const med = (name: string, f: (s: Sample) => number | null) => {
    const xs = samples.get(name)!.map(f).filter((x): x is number => x !== null);
    return xs.length ? median(xs) : NaN;
  };
  const base = "raw+kcflags";
  for (const v of variants) {
    const s = samples.get(v.name)!;
    const wall = med(v.name, (x) => x.wall);
    const cpu = med(v.name, (x) => x.cpu);
    const ratios = v.name.startsWith("raw") && v.name !== "raw"
      ? ` | vs raw: wall ${
        (wall / med("raw", (x) => x.wall)).toFixed(3)
      }×, cpu ${
        (cpu / med("raw", (x) => x.cpu)).toFixed(3)
      }× (the KCFLAGS alone)`
      : v.kcross
      ? ` | vs ${base}: wall ${
        (wall / med(base, (x) => x.wall)).toFixed(3)
      }×, cpu ${
        (cpu / med(base, (x) => x.cpu)).toFixed(3)
      }× (goal ≤ ${goal}×); vs raw: wall ${
        (wall / med("raw", (x) => x.wall)).toFixed(3)
      }×, cpu ${(cpu / med("raw", (x) => x.cpu)).toFixed(3)}×`
      : "";
    console.log(
      `  ${v.name.padEnd(12)} wall ${wall.toFixed(2)}s [${
        s.map((x) => x.wall.toFixed(2)).join(" ")
      }] cpu ${cpu.toFixed(2)}s${ratios}`,
    );
    if (v.kcross) {
      const keys = new Set(s.flatMap((x) => Object.keys(x.timings ?? {})));
      const parts = [...keys].sort().map((k) =>
        `${k} ${med(v.name, (x) => x.timings?.[k] ?? null).toFixed(0)}`
      );
      console.log(
        `  ${"".padEnd(12)} phases (ms, median): ${parts.join(", ")}`,
      );
      // kcross's own share, free of the make-to-make noise between build
      // dirs: the process's wall less the make it ran (its record's `build`)
      const own = med(
        v.name,
        (x) =>
          x.timings?.build === undefined
            ? null
            : x.wall - x.timings.build / 1000,
      );
      const make = med(
        v.name,
        (x) => x.timings?.build === undefined ? null : x.timings.build / 1000,
      );
      console.log(
        `  ${"".padEnd(12)} own time (wall − its make): ${
          own.toFixed(2)
        }s median; (make + own) / make = ${((make + own) / make).toFixed(3)}×`,
      );
    }
  }
}

const kcrossEnv = { ...ENV, COMPILER_INSTALL_PATH: CIP, COMPILER };
const variants: Variant[] = [
  {
    name: "raw",
    out: `${WORK}/out-raw`,
    argv: rawArgv,
    env: ENV,
    kcross: false,
  },
  {
    name: "raw+kcflags",
    out: `${WORK}/out-raw-kcflags`,
    argv: (out) => [...rawArgv(out).slice(0, -1), kcflags, "drivers/vfio/"],
    env: ENV,
    kcross: false,
  },
  {
    name: "make.cross",
    out: `${WORK}/out-makecross`,
    argv: (out) => [
      KCROSS,
      "make.cross",
      `O=${out}`,
      "ARCH=powerpc",
      "W=1",
      "SHELL=/bin/bash",
      "drivers/vfio/",
    ],
    env: kcrossEnv,
    kcross: true,
  },
  {
    name: "build",
    out: `${WORK}/out-build`,
    argv: (out) => [
      KCROSS,
      "build",
      "--arch",
      "powerpc",
      "--compiler",
      COMPILER,
      "--out",
      out,
      "-W",
      "1",
      "SHELL=/bin/bash",
      "drivers/vfio/",
    ],
    env: kcrossEnv,
    kcross: true,
  },
];
let kcflags = "";

try {
  await withTestLock("bench-build-overhead", async () => {
    await installToolchain();
    await prepareDirs(variants);
    // The drop-in's bundle, before any timed run (a stale one would be
    // rebuilt in the background during the first rounds).
    const launcherRoot = KCROSS.slice(0, KCROSS.lastIndexOf("/"));
    await runOk([
      Deno.execPath(),
      "run",
      "-A",
      `${launcherRoot}/tools/bundle.ts`,
    ]);
  });
  const plan = JSON.parse(
    await capture([
      ...variants[2]!.argv(variants[2]!.out),
      "--kcross-dry-run",
      "--kcross-json",
    ], { env: kcrossEnv }),
  );
  kcflags = (plan.argv as string[]).find((w) => w.startsWith("KCFLAGS=")) ??
    "";
  console.log(`kcross: ${KCROSS}`);
  console.log(
    `${cpus} CPUs, -j${JOBS}, ${COMPILER} (${DEBIAN_GCC} as ${CROSS}gcc), ${kcflags}`,
  );
  console.log(`make.cross plans: ${(plan.argv as string[]).join(" ")}`);
  // Warm every dir with its own command line (KCFLAGS change the objects).
  for (const v of variants) await runOnce(v);
  const startup: number[] = [];
  const floor: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await capture([KCROSS, "--version"], { env: ENV });
    startup.push(performance.now() - t0);
    const t1 = performance.now();
    await capture([Deno.execPath(), "eval", "0"], { env: ENV });
    floor.push(performance.now() - t1);
  }
  console.log(
    `kcross --version (launcher + Deno start + main.ts): ${
      median(startup).toFixed(0)
    } ms median; deno eval 0: ${median(floor).toFixed(0)} ms`,
  );
  await compare(
    "no-op rebuild",
    variants,
    NOOP_ROUNDS,
    () => Promise.resolve(),
    1.05,
  );
  await compare(
    "drivers/vfio/ objects deleted and rebuilt",
    variants,
    REBUILD_ROUNDS,
    (v) => removeObjects(v.out),
    1.02,
  );
} finally {
  await Deno.remove(state, { recursive: true });
}
