/**
 * Benchmark: a 4-commit series built incrementally by `kcross series` (one
 * worktree, one O= dir, after the build of the commit before it) against 4
 * independent fresh builds of the same commits (a fresh O= dir each, config
 * step included), on the real linux-6.1 tree, powerpc allmodconfig,
 * `drivers/vfio/`, Debian's powerpc64 gcc 12.2.0, no ccache on either side.
 *
 * The series: a first commit (built, not counted), then the seed's vfio.h
 * collision, an unrelated change, the fix, and a one-file change in
 * drivers/vfio/pci/. Two measures, both summed over the 4 commits:
 *
 * - CPU time (user + system of every process started, from this process's
 *   children times in /proc/self/stat): insensitive to other load on the
 *   machine. Both sides pay for their worktrees (the series for its one,
 *   each fresh build for its own: checkout and removal). The series' share
 *   is its total minus a fresh build of the first commit (what its first
 *   step is).
 * - Wall time of the build records' config + build phases (noisy when the
 *   machine is shared).
 *
 * The goal is a ratio of at most 0.4.
 *
 * Run: deno run -A bench/series_incremental.ts
 *
 * @module
 */
import { childCpu, commit, prepend, run } from "./_support.ts";
import {
  applyVfioCollision,
  cloneKernelRepo,
  VFIO_COLLISION,
} from "../tests/_support/kernel.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const BUILD = [
  "--arch",
  "powerpc",
  "--config",
  "allmodconfig",
  "--compiler",
  "gcc-12.2.0",
];
const TARGET = "drivers/vfio/";

async function phases(recordDir: string): Promise<number> {
  const meta = JSON.parse(
    await Deno.readTextFile(`${recordDir}/metadata.json`),
  ) as { timings: Record<string, number> };
  return (meta.timings.config ?? 0) + (meta.timings.build ?? 0);
}

function secs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "kcross-bench-series-" });
  try {
    const repo = await cloneKernelRepo(`${tmp}/linux`);
    const state = `${tmp}/state`;
    const env = { KCROSS_STATE_DIR: state };
    await prepend(
      `${repo}/drivers/vfio/iova_bitmap.c`,
      "/* bench: first commit */\n",
    );
    const first = await commit(repo, "first: a comment in iova_bitmap.c");
    const header = `${repo}/${VFIO_COLLISION.file}`;
    const pristine = await Deno.readTextFile(header);
    await applyVfioCollision(repo);
    const shas = [await commit(repo, "vfio: define VFIO_DEVICE_STATE_STOP")];
    await Deno.writeTextFile(
      `${repo}/README`,
      `${await Deno.readTextFile(`${repo}/README`)}\nbench\n`,
    );
    shas.push(await commit(repo, "README: an unrelated change"));
    await Deno.writeTextFile(header, pristine);
    shas.push(await commit(repo, "vfio: drop the colliding macro"));
    await prepend(
      `${repo}/drivers/vfio/pci/vfio_pci_config.c`,
      "/* bench: a one-file change */\n",
    );
    shas.push(await commit(repo, "vfio/pci: a one-file change"));

    // kcross series over first..HEAD, with the first commit built first
    const t0 = performance.now();
    const c0 = await childCpu();
    const series = await run(
      [
        `${ROOT}kcross`,
        "series",
        `${first}~1..HEAD`,
        ...BUILD,
        TARGET,
        "--json",
      ],
      { cwd: repo, env, allowFail: true },
    );
    const seriesWall = performance.now() - t0;
    const seriesCpu = await childCpu() - c0;
    const json = JSON.parse(series.stdout) as {
      steps: { index: number; recordDir: string; compiled?: number }[];
    };
    const steps = [];
    for (const s of json.steps) {
      steps.push({
        index: s.index,
        ms: await phases(s.recordDir),
        compiled: s.compiled ?? 0,
      });
    }
    const incremental = steps.slice(1).reduce((a, s) => a + s.ms, 0);

    // 4 independent fresh builds of the same commits
    const fresh: { ms: number; wall: number; cpu: number; compiled: number }[] =
      [];
    for (const [i, sha] of [first, ...shas].entries()) {
      const tree = `${tmp}/fresh-${i}/src`;
      const record = `${tmp}/fresh-${i}/record`;
      // a fresh build gets its own worktree, as the series gets one (both
      // sides pay for checking the tree out and removing it)
      const w0 = performance.now();
      const cpu0 = await childCpu();
      await run(["git", "worktree", "add", "-q", "--detach", tree, sha], {
        cwd: repo,
      });
      await run(
        [
          `${ROOT}kcross`,
          "build",
          ...BUILD,
          "--tree",
          tree,
          "--out",
          `${tmp}/fresh-${i}/build`,
          "--record-dir",
          record,
          TARGET,
        ],
        { cwd: repo, env, allowFail: true },
      );
      await run(["git", "worktree", "remove", "--force", tree], { cwd: repo });
      const wall = performance.now() - w0;
      const cpu = await childCpu() - cpu0;
      const log = await Deno.readTextFile(`${record}/build.log`);
      fresh.push({
        ms: await phases(record),
        wall,
        cpu,
        compiled: log.split("\n").filter((l) =>
          /^ {2}CC( \[M\])? +\S+$/.test(l)
        )
          .length,
      });
      await Deno.remove(`${tmp}/fresh-${i}/build`, { recursive: true });
    }
    const firstFresh = fresh.shift()!;
    const baseline = fresh.reduce((a, f) => a + f.ms, 0);
    const baselineCpu = fresh.reduce((a, f) => a + f.cpu, 0);
    const incrementalCpu = seriesCpu - firstFresh.cpu;

    const lines = [
      "series_incremental: powerpc allmodconfig drivers/vfio/, gcc 12.2.0, no ccache",
      `first commit (full build, not counted): ${secs(steps[0]!.ms)}, ${
        steps[0]!.compiled
      } objects compiled; a fresh build of it: ${
        firstFresh.cpu.toFixed(1)
      } s CPU`,
      ...steps.slice(1).map((s, i) =>
        `  commit ${i + 1}: kcross series ${
          secs(s.ms)
        } (${s.compiled} objects)  vs fresh ${secs(fresh[i]!.ms)} (${
          fresh[i]!.compiled
        } objects, ${fresh[i]!.cpu.toFixed(1)} s CPU)`
      ),
      `CPU time:  4 fresh builds ${baselineCpu.toFixed(1)} s, kcross series ${
        incrementalCpu.toFixed(1)
      } s (whole series ${seriesCpu.toFixed(1)} s minus the first commit)`,
      `CPU ratio: ${
        (incrementalCpu / baselineCpu).toFixed(2)
      }x (goal <= 0.40x)`,
      `wall time of config+build: 4 fresh builds ${
        secs(baseline)
      }, kcross series ${secs(incremental)}`,
      `wall ratio: ${(incremental / baseline).toFixed(2)}x`,
      `(process wall clock: whole series incl. first commit ${
        secs(seriesWall)
      }; the 4 fresh builds ${secs(fresh.reduce((a, f) => a + f.wall, 0))})`,
    ];
    await Deno.stdout.write(new TextEncoder().encode(lines.join("\n") + "\n"));
  } finally {
    await Deno.remove(tmp, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
