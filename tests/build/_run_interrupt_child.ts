/**
 * Child process for the real-signal interrupt test: wires SIGINT/SIGTERM to
 * an AbortController the way main.ts does, runs a fake build that sleeps,
 * and exits with the result's exit code.
 *
 * Usage: deno run -A _run_interrupt_child.ts <srcTree> <outDir> <binDir> <recordDir> <pidsFile>
 */
import { exitCodeForResult, runBuild } from "../../src/build/run_build.ts";
import { recordingOutput } from "../../src/util/output.ts";

const [srcTree, outDir, binDir, recordDir, pids] = Deno.args as [
  string,
  string,
  string,
  string,
  string,
];
const controller = new AbortController();
for (const s of ["SIGINT", "SIGTERM"] as const) {
  Deno.addSignalListener(s, () => controller.abort());
}
const out = recordingOutput();
const outcome = await runBuild({
  mode: "native",
  arch: "fake",
  srcTree,
  cwd: srcTree,
  outDir,
  argv: [
    "make",
    `CROSS_COMPILE=${binDir}/fake-linux-`,
    `O=${outDir}`,
    "drivers/foo/",
  ],
  env: { FAKE_SLEEP: "120", FAKE_PIDS: pids },
  envUnset: [],
  toolchain: {
    id: "fake",
    family: "gcc",
    requested: "gcc-1.0",
    version: "1.0",
    provider: "system",
    exact: true,
    triple: "fake-linux",
    binDir,
    crossCompile: `${binDir}/fake-linux-`,
  },
  triple: "fake-linux",
  tripleReason: "test",
  config: {
    source: { kind: "target", target: "allmodconfig" },
    fragments: [],
    sets: [],
    werror: "keep",
  },
  targets: ["drivers/foo/"],
  jobs: 1,
  ccache: false,
  allowEmpty: false,
  notes: [],
}, {
  out: {
    ...out,
    out: (line) => {
      if (line === "sleeping") {
        Deno.stdout.writeSync(new TextEncoder().encode("sleeping\n"));
      }
    },
  },
  signal: controller.signal,
  recordDir,
});
Deno.exit(exitCodeForResult(outcome.result));
