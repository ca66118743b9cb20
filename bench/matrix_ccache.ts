/**
 * Warm vs cold ccache on the same matrix cells, real kernel tree, real cross
 * gcc: the same cells built twice from empty build dirs, first with an empty
 * shared ccache, then with the ccache the first run filled. Target: warm ≥
 * 2.5× faster. HOSTCC goes through ccache too (a [make] variable in the
 * matrix), so kbuild's host tools are cached as well as the target objects.
 *
 *   deno run -A bench/matrix_ccache.ts            (needs linux-source-6.1 and
 *                                                 gcc-powerpc64-linux-gnu)
 */
import { ensureKernelSource } from "../tests/_support/kernel.ts";
import { recordingOutput } from "../src/util/output.ts";
import { runMatrix } from "../src/matrix/run_matrix.ts";
import { createCellRunner } from "../src/matrix/run_cell.ts";
import { buildContext } from "../src/build/mod.ts";

const src = await ensureKernelSource();
const root = await Deno.makeTempDir({ prefix: "kcross-bench-ccache-" });
Deno.env.set("KCROSS_STATE_DIR", `${root}/state`);
Deno.env.set("KCROSS_CACHE_DIR", `${root}/cache`);
Deno.env.set("LANG", "C");
await Deno.writeTextFile(
  `${root}/m.toml`,
  `name = "ccache-bench"
[matrix]
arch = ["powerpc"]
config = ["defconfig"]
compiler = ["gcc-12.2.0"]
targets = ["lib/", "kernel/sched/"]
[make]
HOSTCC = "ccache gcc"
`,
);
const say = (s: string) =>
  Deno.stdout.writeSync(new TextEncoder().encode(`${s}\n`));

async function once(label: string) {
  // Same build-dir paths both times (ccache hashes them), emptied first.
  await Deno.remove(`${root}/state/matrix-builds`, { recursive: true }).catch(
    () => {},
  );
  const t0 = performance.now();
  const r = await runMatrix({
    file: `${root}/m.toml`,
    cwd: src,
    out: recordingOutput(),
    signal: new AbortController().signal,
    runner: createCellRunner(buildContext().builder),
    jobs: 1,
    makeJobs: 2,
    cores: 2,
    ccache: true,
  });
  const ms = performance.now() - t0;
  say(
    `${label}: ${(ms / 1000).toFixed(1)} s  ${
      r.summary.cells.map((c) => `${c.key}=${c.result}`).join(", ")
    }`,
  );
  for (const c of r.summary.cells) {
    if (c.result !== "pass") {
      say(`  ${c.key}: ${c.message ?? ""} ${c.record.log ?? ""}`);
    }
    const meta = c.record.dir
      ? JSON.parse(
        await Deno.readTextFile(`${c.record.dir}/metadata.json`).catch(() =>
          "{}"
        ),
      )
      : {};
    const t: Record<string, number> = meta.timings ?? {};
    const phases = Object.entries(t).map(([k, v]) =>
      `${k} ${(v / 1000).toFixed(1)}s`
    ).join(", ");
    say(
      `  ${c.key}: ccache hits ${meta.ccache?.hits ?? "?"}, misses ${
        meta.ccache?.misses ?? "?"
      }; ${phases}`,
    );
  }
  return { ms, runDir: r.runDir };
}

try {
  const cold = await once("cold ccache");
  const warm = await once("warm ccache");
  say(`ratio cold/warm: ${(cold.ms / warm.ms).toFixed(2)}x (target >= 2.5x)`);
  const keep = Deno.env.get("KCROSS_BENCH_KEEP");
  if (keep) {
    await Deno.copyFile(`${warm.runDir}/summary.html`, keep);
    say(`summary.html copied to ${keep}`);
  }
} finally {
  await Deno.remove(root, { recursive: true });
}
