/**
 * `kcross presubmit --queue`: every commit's cells through BullMQ on a real
 * redis-server, built by a `kcross matrix worker` subprocess (main.ts, the
 * real builder) on the fake kernel tree with the marker gcc
 * (tests/_support/fake_matrix_tree.ts), judged as a local run.
 */
import { assertEquals, assertStringIncludes } from "../_support/assert.ts";
import {
  commitFakeChange,
  createFakeMatrixTree,
  FAKE_SOURCES,
  installMarkerGcc,
} from "../_support/fake_matrix_tree.ts";
import { startRedis } from "../_support/redis.ts";
import { WorkerProc } from "../matrix/_helpers.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { runPresubmit } from "../../src/presubmit/run_presubmit.ts";

const QUEUE = `kcross-presubmit-test-${Deno.pid}`;

const PROFILE = `[matrix]
arch = ["powerpc", "arm64"]
config = ["allmodconfig"]
compiler = ["gcc-12.2.0"]
targets = ["drivers/vfio/"]
[make]
W = "1"
[[include]]
arch = "powerpc"
config = "allmodconfig"
compiler = "gcc-13.2.0"
targets = "drivers/vfio/"
`;

Deno.test({
  name:
    "runPresubmit() through the queue: a worker builds every commit's cells; new relative to the base, not-run said",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const root = await Deno.makeTempDir({ prefix: "kcross-presubmit-q-" });
    await using redis = await startRedis();
    const tree = `${root}/linux`;
    await Deno.mkdir(tree);
    const base = await createFakeMatrixTree(tree);
    await installMarkerGcc(`${root}/0day`);
    const worker = new WorkerProc("w1", root, redis.url, QUEUE);
    try {
      await commitFakeChange(
        tree,
        { "drivers/net/net.c": "int net2;\n" },
        "net: a change",
      );
      await commitFakeChange(tree, {
        "drivers/vfio/vfio_main.c": FAKE_SOURCES["drivers/vfio/vfio_main.c"] +
          "// kcross-fake: error powerpc * 'VFIO_DEVICE_STATE_STOP' undeclared\n",
      }, "vfio: break powerpc");
      await Deno.writeTextFile(`${root}/profile.toml`, PROFILE);
      await worker.waitFor(/^worker /);
      const out = recordingOutput();
      const result = await runPresubmit({
        range: `${base}..master`,
        profile: `${root}/profile.toml`,
        cwd: tree,
        out,
        signal: new AbortController().signal,
        runner: {
          run: () => Promise.reject(new Error("the submitter does not build")),
        },
        ccache: false,
        queue: redis.url,
        queueName: QUEUE,
        pollMs: 200,
        stateDir: `${root}/submitter`,
        cacheDir: `${root}/submitter-cache`,
      });
      assertEquals(result.mode, "queue");
      assertEquals(result.cells.map((c) => [c.key, c.status]), [
        ["powerpc/allmodconfig/gcc-12.2.0", "reported"],
        // arm64 allmodconfig fails at the base already: nothing new
        ["arm64/allmodconfig/gcc-12.2.0", "clean"],
        // not installed on the worker, which never downloads (KCROSS_OFFLINE)
        ["powerpc/allmodconfig/gcc-13.2.0", "not-run"],
      ]);
      const ppc = result.cells[0]!;
      assertEquals(ppc.reports.map((r) => r.commit.index), [2]);
      assertEquals(ppc.reports[0]!.newDiagnostics.map((d) => d.message), [
        "'VFIO_DEVICE_STATE_STOP' undeclared",
      ]);
      assertEquals(result.cells[1]!.steps.map((s) => s?.result), [
        "fail",
        "fail",
        "fail",
      ]);
      assertStringIncludes(
        result.cells[2]!.reason ?? "",
        "is not installed and kcross is offline",
      );
      assertEquals(ppc.steps.every((s) => s?.ranOn !== "local"), true);
      assertEquals(result.exitCode, 1);
    } finally {
      await worker.stop();
      await redis.stop();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    }
  },
});
