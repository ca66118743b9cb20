/**
 * One real cell end to end through the queue: the seed's powerpc
 * allmodconfig drivers/vfio/ W=1 build, by a worker process with the real
 * build engine, from its own clone of the linux-6.1 test repository.
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { ensureKernelGitBase, haveKernelSource } from "../_support/kernel.ts";
import { startRedis } from "../_support/redis.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { runMatrix } from "../../src/matrix/run_matrix.ts";
import { matrixWorkerArgs } from "./_helpers.ts";

const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

function haveCrossGcc(): boolean {
  try {
    Deno.statSync("/usr/bin/powerpc64-linux-gnu-gcc-12");
    return true;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "a real vfio cell runs on a worker from its own clone and reports the robot's error",
  ignore: !haveKernelSource() || !haveCrossGcc(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const base = await ensureKernelGitBase();
    const root = await Deno.makeTempDir({ prefix: "kcross-matrix-real-" });
    await using redis = await startRedis();
    const queueName = `kcross-real-${Deno.pid}`;
    const seed = await Deno.readTextFile(`${REPO}/configs/powerpc-vfio.toml`);
    await Deno.writeTextFile(
      `${root}/vfio.toml`,
      seed.replace(
        "[matrix]",
        `[tree]\nurl = "${base}"\ncommit = "base"\n\n[matrix]`,
      ),
    );
    const worker = new Deno.Command(Deno.execPath(), {
      args: matrixWorkerArgs(redis.url, "--queue-name", queueName),
      env: {
        KCROSS_STATE_DIR: `${root}/worker/state`,
        KCROSS_CACHE_DIR: `${root}/worker/cache`,
        // Debian's gcc 12.2.0 stands in for kernel.org's build (exactness
        // "version"): allowed here, never silently.
        KCROSS_ALLOW_DISTRO: "1",
        LANG: "C",
      },
      stdout: "null",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    const stderr = new Response(worker.stderr).text();
    try {
      const r = await runMatrix({
        file: `${root}/vfio.toml`,
        cwd: root,
        out: recordingOutput(),
        signal: new AbortController().signal,
        runner: {
          run: () => Promise.reject(new Error("the submitter does not build")),
        },
        queue: redis.url,
        queueName,
        pollMs: 500,
        stateDir: `${root}/submitter`,
        cacheDir: `${root}/submitter-cache`,
      });
      const cell = r.summary.cells[0]!;
      assertEquals(cell.key, "powerpc/allmodconfig/gcc-12.2.0");
      assertEquals(cell.result, "fail", `${cell.message}`);
      assertEquals(r.exitCode, 1);
      const hwirq = cell.diagnostics.find((d) =>
        d.message.includes("'hwirq' set but not used")
      );
      assert(hwirq, JSON.stringify(cell.diagnostics.slice(0, 5)));
      assertEquals([hwirq.file, hwirq.line, hwirq.column], [
        "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
        112,
        18,
      ]);
      assertEquals(cell.toolchain?.version, "12.2.0");
      assert(cell.toolchain?.exact);
      assertStringIncludes(cell.reproducer, "powerpc");
      assert(
        cell.record.log!.startsWith(`${root}/worker/state`),
        "the full log stays on the worker",
      );
      await Deno.stat(cell.record.log!);
      const junit = await Deno.readTextFile(`${r.runDir}/junit.xml`);
      assertStringIncludes(
        junit,
        "vfio_fsl_mc_intr.c:112:18: error: variable &apos;hwirq&apos; set but not used",
      );
    } finally {
      try {
        worker.kill("SIGTERM");
      } catch {
        // gone
      }
      await worker.status;
      await stderr;
      await redis.stop();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});
