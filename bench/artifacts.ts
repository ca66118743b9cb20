// deno-lint-ignore-file no-console -- a benchmark prints its measurements
/**
 * What collecting artifacts costs over the same build without it, on the
 * real linux-6.1 tree: powerpc tinyconfig + CONFIG_MODULES (one module) with
 * Debian's gcc 12, the targets `kernel modules dtbs` (every powerpc dts, as
 * make.cross's CONFIG_OF_ALL_DTBS builds them):
 *
 * - `none`:    kcross build … --artifacts none    kernel modules dtbs
 * - `default`: kcross build … --artifacts default kernel modules dtbs
 *   (vmlinux, System.map, config, modules_install → modules.tar.xz,
 *   the built .dtb files → dtbs.tar.xz, each hashed)
 *
 * Both make the same make calls; `default` adds the modules_install call, the
 * copies, the tar+xz and the sha256s. Each variant has its own output dir
 * (configured once, `config` target); before every run the objects are removed
 * (`make clean`, untimed), so each timed run is a full build. Rounds are
 * interleaved, the order alternating. Medians of wall time and of CPU time
 * (user+sys of the process tree, from /usr/bin/time: less sensitive to
 * other load) are compared, and each run's `timings.artifacts` from its
 * record is printed as a share of its make time. Goal: ≤ 1.03×.
 *
 * Run: `deno run -A bench/artifacts.ts [rounds] [--ccache]` (default 2
 * rounds, no ccache: a full compile, the build CI does first; `--ccache`
 * measures ccache-warm rebuilds, where make is cheaper and the ratio
 * higher).
 *
 * @module
 */
import {
  ensureKernelSource,
  TEST_CACHE,
  withTestLock,
} from "../tests/_support/kernel.ts";
import { runOk } from "./_support.ts";

const ROUNDS = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 2);
const CCACHE = Deno.args.includes("--ccache");
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const KCROSS = Deno.env.get("KCROSS_BENCH_LAUNCHER") ?? `${ROOT}/kcross`;
const TIME = "/usr/bin/time";
const WORK = `${TEST_CACHE}/bench-artifacts`;
const VARIANTS = ["none", "default"] as const;
type Variant = typeof VARIANTS[number];

interface Sample {
  wall: number;
  cpu: number;
  build: number;
  artifacts: number;
  code: number;
}

const ENV: Record<string, string> = {
  PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  HOME: Deno.env.get("HOME") ?? "/root",
  LANG: "C",
  LC_ALL: "C",
  KCROSS_STATE_DIR: `${WORK}/state`,
  KCROSS_ALLOW_DISTRO: "1",
  DENO_TLS_CA_STORE: "system",
  DENO_NO_UPDATE_CHECK: "1",
  NO_COLOR: "1",
};

function buildArgs(v: Variant, targets: string[]): string[] {
  return [
    "build",
    "--tree",
    `${WORK}/linux`,
    "--arch",
    "powerpc",
    "--config",
    "tinyconfig",
    "--set",
    "CONFIG_MODULES=y",
    "--set",
    "CONFIG_CRC_CCITT=m",
    "--compiler",
    "gcc-12.2.0",
    CCACHE ? "--ccache" : "--no-ccache",
    "--out",
    `${WORK}/out-${v}`,
    "--artifacts",
    v,
    "--record-dir",
    `${WORK}/rec-${v}`,
    ...targets,
  ];
}

async function runOnce(
  v: Variant,
  targets = ["kernel", "modules", "dtbs"],
): Promise<Sample> {
  const timeFile = `${WORK}/time-${v}`;
  await Deno.remove(`${WORK}/rec-${v}`, { recursive: true }).catch(() => {});
  const r = await new Deno.Command(TIME, {
    args: ["-f", "%e %U %S", "-o", timeFile, KCROSS, ...buildArgs(v, targets)],
    env: ENV,
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).output();
  const [wall = 0, user = 0, sys = 0] = (await Deno.readTextFile(timeFile))
    .trim().split("\n").pop()!.split(/\s+/).map(Number);
  const meta = JSON.parse(
    await Deno.readTextFile(`${WORK}/rec-${v}/metadata.json`),
  );
  return {
    wall,
    cpu: user + sys,
    build: (meta.timings.build ?? 0) / 1000,
    artifacts: (meta.timings.artifacts ?? 0) / 1000,
    code: r.code,
  };
}

/** `make clean` in a variant's output dir (keeps .config), untimed. */
async function clean(v: Variant): Promise<void> {
  await runOk([
    "make",
    "-s",
    `O=${WORK}/out-${v}`,
    "ARCH=powerpc",
    "-C",
    `${WORK}/linux`,
    "clean",
  ], ENV);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

await withTestLock("bench-artifacts", async () => {
  const pristine = await ensureKernelSource();
  await Deno.mkdir(WORK, { recursive: true });
  try {
    await Deno.stat(`${WORK}/linux/Makefile`);
  } catch {
    await runOk(["cp", "-al", pristine, `${WORK}/linux`]);
  }
  // Configure each variant (the named target `config`), untimed.
  for (const v of VARIANTS) {
    const s = await runOnce(v, ["config"]);
    if (s.code !== 0) {
      throw new Error(`warm-up of ${v} failed: see ${WORK}/rec-${v}`);
    }
  }
  const samples: Record<Variant, Sample[]> = { none: [], default: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...VARIANTS].reverse() : [...VARIANTS];
    for (const v of order) {
      await clean(v);
      const s = await runOnce(v);
      if (s.code !== 0) throw new Error(`${v} failed in round ${round}`);
      samples[v].push(s);
      console.log(
        `round ${round + 1} ${v.padEnd(7)} wall ${s.wall.toFixed(1)}s cpu ${
          s.cpu.toFixed(1)
        }s make ${s.build.toFixed(1)}s artifacts ${s.artifacts.toFixed(2)}s`,
      );
    }
  }
  const load = (await Deno.readTextFile("/proc/loadavg")).split(" ")
    .slice(0, 3).join(" ");
  const m = (v: Variant, k: keyof Sample) =>
    median(samples[v].map((s) => s[k]));
  console.log(
    `\nartifacts (${ROUNDS} rounds, ${
      CCACHE ? "ccache-warm rebuilds" : "full builds, no ccache"
    }, load ${load}):`,
  );
  console.log(
    `  wall: none ${m("none", "wall").toFixed(1)}s, default ${
      m("default", "wall").toFixed(1)
    }s, ratio ${(m("default", "wall") / m("none", "wall")).toFixed(3)}x`,
  );
  console.log(
    `  cpu:  none ${m("none", "cpu").toFixed(1)}s, default ${
      m("default", "cpu").toFixed(1)
    }s, ratio ${(m("default", "cpu") / m("none", "cpu")).toFixed(3)}x`,
  );
  console.log(
    `  collection itself: ${m("default", "artifacts").toFixed(2)}s median, ${
      (100 * m("default", "artifacts") / m("default", "build")).toFixed(1)
    }% of make's ${m("default", "build").toFixed(1)}s (goal: ratio <= 1.03x)`,
  );
});
