/**
 * Benchmark: `kcross presubmit` of a 3-commit series over 4 cells with a
 * warm ccache, against the 12 cold builds it stands for (each cell at each
 * commit of the series built on its own: a fresh worktree, a fresh O= dir,
 * config step included, no ccache). Goal: at most 0.35x of the cold time.
 *
 * The tree is the real linux-6.1 test repository; the cells are
 * powerpc, arm64, riscv and x86_64 allnoconfig, W=1, Debian's gcc 12.2.0
 * (allowed with KCROSS_ALLOW_DISTRO=1), target `init/` (small, so the run
 * finishes on a busy machine; the config and prepare steps are what a small
 * target costs). The series: a comment in init/version.c, a comment in a
 * header init/main.c includes (include/linux/start_kernel.h), a README
 * change. presubmit builds the base too (4 more builds), all counted.
 *
 * "Warm ccache": a first presubmit run of the same series fills the shared
 * ccache (HOSTCC goes through ccache too, a [make] variable of the
 * profile), then its worktree and build dirs are removed, so the measured
 * run starts from empty build dirs at the same paths with only the ccache
 * kept. The first run (cold ccache, incremental only) is printed as well.
 *
 * Two measures: CPU time (user + system of every process started, from
 * this process's children times: insensitive to other load) and wall time
 * (noisy when the machine is shared).
 *
 * Run: deno run -A bench/presubmit.ts [--cold N]   (N cold builds measured
 * out of the 12 and scaled, to save time; default all 12)
 *
 * @module
 */
import { cloneKernelRepo } from "../tests/_support/kernel.ts";
import { childCpu, commit, prepend, run as runShared } from "./_support.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const ARCHES = ["powerpc", "arm64", "riscv", "x86_64"];
const TARGET = "init/";
const PROFILE = `name = "presubmit-bench"
werror = "off"

[make]
W = "1"
HOSTCC = "ccache gcc"

[matrix]
arch = ${JSON.stringify(ARCHES)}
config = ["allnoconfig"]
compiler = ["gcc-12.2.0"]
targets = ["${TARGET}"]
`;

/** The shared runner, with Debian's gcc 12.2.0 allowed for `gcc-12.2.0`. */
function run(
  argv: string[],
  opts: { cwd?: string; env?: Record<string, string>; allowFail?: boolean } =
    {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runShared(argv, {
    ...opts,
    env: { KCROSS_ALLOW_DISTRO: "1", ...opts.env },
  });
}

async function measured<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; wall: number; cpu: number }> {
  const w0 = performance.now();
  const c0 = await childCpu();
  const value = await fn();
  return {
    value,
    wall: (performance.now() - w0) / 1000,
    cpu: await childCpu() - c0,
  };
}

interface Result {
  exitCode: number;
  totals: Record<string, number>;
  cells: {
    key: string;
    status: string;
    steps: ({ result: string } | null)[];
  }[];
}

async function main(): Promise<void> {
  const coldArg = Deno.args.indexOf("--cold");
  const coldCount = coldArg >= 0 ? Number(Deno.args[coldArg + 1]) : 12;
  const tmp = await Deno.makeTempDir({ prefix: "kcross-bench-presubmit-" });
  const say = (s: string) =>
    Deno.stdout.writeSync(new TextEncoder().encode(`${s}\n`));
  try {
    const repo = await cloneKernelRepo(`${tmp}/linux`);
    const state = `${tmp}/state`;
    const env = { KCROSS_STATE_DIR: state, KCROSS_CACHE_DIR: `${tmp}/cache` };
    await run(["git", "tag", "bench-base"], { cwd: repo });
    const shas: string[] = [];
    await prepend(`${repo}/init/version.c`, "/* bench: a comment */\n");
    shas.push(await commit(repo, "init: a comment in version.c"));
    await prepend(
      `${repo}/include/linux/start_kernel.h`,
      "/* bench: a header comment */\n",
    );
    shas.push(await commit(repo, "start_kernel.h: a comment"));
    await Deno.writeTextFile(
      `${repo}/README`,
      `${await Deno.readTextFile(`${repo}/README`)}\nbench\n`,
    );
    shas.push(await commit(repo, "README: an unrelated change"));
    await Deno.writeTextFile(`${tmp}/profile.toml`, PROFILE);
    const presubmit = () =>
      run([
        `${ROOT}kcross`,
        "presubmit",
        "bench-base..HEAD",
        "--profile",
        `${tmp}/profile.toml`,
        "--json",
      ], { cwd: repo, env, allowFail: true });

    const first = await measured(presubmit);
    const firstJson = JSON.parse(first.value.stdout) as Result;
    say(
      `presubmit, cold ccache (fills it): ${first.wall.toFixed(1)} s wall, ${
        first.cpu.toFixed(1)
      } s CPU, exit ${firstJson.exitCode}: ${
        firstJson.cells.map((c) => `${c.key}=${c.status}`).join(", ")
      }`,
    );
    await Deno.remove(`${state}/presubmit/worktrees`, { recursive: true });
    await run(["git", "worktree", "prune"], { cwd: repo });

    const warm = await measured(presubmit);
    const warmJson = JSON.parse(warm.value.stdout) as Result;
    say(
      `presubmit, warm ccache (empty build dirs): ${
        warm.wall.toFixed(1)
      } s wall, ${warm.cpu.toFixed(1)} s CPU, exit ${warmJson.exitCode}`,
    );
    for (const c of warmJson.cells) {
      if (c.steps.some((s) => s?.result !== "pass")) {
        say(`  ${c.key}: ${c.steps.map((s) => s?.result ?? "-").join(" ")}`);
      }
    }

    // the cold builds: each cell at each commit of the series, on its own
    const cold: { wall: number; cpu: number; code: number }[] = [];
    // commit-major, so a --cold sample spreads over the cells
    const jobs = shas.flatMap((sha) => ARCHES.map((arch) => ({ arch, sha })));
    for (const [i, job] of jobs.slice(0, coldCount).entries()) {
      const tree = `${tmp}/cold-${i}/src`;
      const m = await measured(async () => {
        await run(
          ["git", "worktree", "add", "-q", "--detach", tree, job.sha],
          { cwd: repo },
        );
        const r = await run([
          `${ROOT}kcross`,
          "build",
          "--arch",
          job.arch,
          "--config",
          "allnoconfig",
          "--compiler",
          "gcc-12.2.0",
          "-W",
          "1",
          "--werror=off",
          "--no-ccache",
          "--tree",
          tree,
          "--out",
          `${tmp}/cold-${i}/build`,
          TARGET,
        ], { cwd: repo, env, allowFail: true });
        await run(["git", "worktree", "remove", "--force", tree], {
          cwd: repo,
        });
        return r.code;
      });
      cold.push({ wall: m.wall, cpu: m.cpu, code: m.value });
      say(
        `  cold ${i + 1}/${coldCount}: ${job.arch} ${job.sha.slice(0, 12)} ${
          m.wall.toFixed(1)
        } s wall, ${m.cpu.toFixed(1)} s CPU, exit ${m.value}`,
      );
      await Deno.remove(`${tmp}/cold-${i}`, { recursive: true });
    }
    const scale = 12 / cold.length;
    const coldCpu = cold.reduce((a, c) => a + c.cpu, 0) * scale;
    const coldWall = cold.reduce((a, c) => a + c.wall, 0) * scale;
    const est = cold.length < 12
      ? ` (${cold.length} measured, scaled to 12)`
      : "";
    say(
      [
        `presubmit: 3 commits x 4 cells (${
          ARCHES.join(", ")
        } allnoconfig W=1 ${TARGET}, gcc 12.2.0), base built too`,
        `12 cold builds${est}: ${coldCpu.toFixed(1)} s CPU, ${
          coldWall.toFixed(1)
        } s wall`,
        `CPU ratio, warm presubmit / cold: ${
          (warm.cpu / coldCpu).toFixed(2)
        }x (goal <= 0.35x); cold-ccache presubmit: ${
          (first.cpu / coldCpu).toFixed(2)
        }x`,
        `wall ratio, warm presubmit / cold: ${
          (warm.wall / coldWall).toFixed(2)
        }x; cold-ccache presubmit: ${(first.wall / coldWall).toFixed(2)}x`,
        `(load average now: ${
          (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3)
            .join(" ")
        } on ${navigator.hardwareConcurrency} CPUs)`,
      ].join("\n"),
    );
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
