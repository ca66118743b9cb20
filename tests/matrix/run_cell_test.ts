import { fakeRecord } from "../_support/fake_record.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { createCellRunner, nativeInput } from "../../src/matrix/run_cell.ts";
import type { Builder, NativeBuild } from "../../src/build/mod.ts";
import { keyedSerializer } from "../../src/matrix/local.ts";
import type { CellContext } from "../../src/matrix/runner.ts";
import type { Cell } from "../../src/matrix/types.ts";
import type { BuildPlan } from "../../src/build/types.ts";

const cell: Cell = {
  key: "powerpc/allmodconfig/gcc-12.2.0",
  index: 0,
  digest: "cell-x",
  axes: {
    arch: "powerpc",
    config: "allmodconfig",
    compiler: "gcc-12.2.0",
    targets: "drivers/vfio/",
  },
  inputs: {
    arch: "powerpc",
    config: "allmodconfig",
    compiler: "gcc-12.2.0",
    targets: ["drivers/vfio/"],
    make: { C: "1", CF: "-D__CHECK_ENDIAN__", W: "1" },
    fragments: [],
    fragmentDigests: [],
    sets: ["CONFIG_VFIO=m"],
    werror: "off",
    allowFailure: false,
  },
};

async function ctx(): Promise<
  CellContext & { [Symbol.asyncDispose](): Promise<void> }
> {
  const dir = await Deno.makeTempDir();
  return {
    srcTree: "/src",
    buildDir: `${dir}/b`,
    makeJobs: 3,
    ccache: true,
    ccacheDir: `${dir}/ccache`,
    commit: null,
    signal: new AbortController().signal,
    serialize: keyedSerializer(),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

Deno.test("nativeInput() maps a cell to the native build options", async () => {
  await using c = await ctx();
  const n = nativeInput(cell, c);
  assertEquals(n.config, { kind: "target", target: "allmodconfig" });
  assertEquals([n.w, n.c, n.jobs, n.ccache, n.werror], [
    "1",
    "1",
    3,
    true,
    "off",
  ]);
  assertEquals(n.makeArgs, ["CF=-D__CHECK_ENDIAN__"]);
  assertEquals(n.targets, ["drivers/vfio/"]);
  assertEquals(n.sets, ["CONFIG_VFIO=m"]);
  assertEquals(n.outDir, c.buildDir);
  assertEquals([n.allowSubstitute ?? false, n.allowDistro ?? false], [
    false,
    false,
  ]);
  const allowed = nativeInput({
    ...cell,
    inputs: { ...cell.inputs, allowSubstitute: true, allowDistro: true },
  }, c);
  assertEquals([allowed.allowSubstitute, allowed.allowDistro], [true, true]);
});

Deno.test("the real cell runner plans once per toolchain at a time and maps build results", async () => {
  await using c = await ctx();
  let planning = 0;
  let maxPlanning = 0;
  const results = ["pass", "empty", "infra-error"] as const;
  let n = 0;
  const engine: Builder = {
    async prepare(input) {
      planning++;
      maxPlanning = Math.max(maxPlanning, planning);
      await new Promise((r) => setTimeout(r, 20));
      planning--;
      const plan = {
        arch: input.arch,
        triple: "powerpc64-linux",
        toolchain: null,
      } as unknown as BuildPlan;
      return { input, facts: null, plan } as unknown as NativeBuild;
    },
    async run() {
      const recordDir = `${c.buildDir}/rec${n}`;
      await Deno.mkdir(recordDir, { recursive: true });
      const result = results[n++]!;
      return {
        result,
        id: `r${n}`,
        recordDir,
        exitCode: 0,
        diagnostics: [],
        timings: {},
        reason: result === "pass" ? null : `why ${result}`,
        record: fakeRecord({
          reproduce: {
            steps: [{
              command: "build",
              args: [
                "--arch",
                "powerpc",
                "--config",
                "${KCROSS_RECORD_DIR}/config",
                "drivers/vfio/",
              ],
            }],
          },
          config: { inputsDigest: "abc" },
          plan: { triple: "powerpc64-linux" },
        }),
      };
    },
  };
  const runner = createCellRunner(engine);
  const outcomes = await Promise.all([0, 1, 2].map(() => runner.run(cell, c)));
  assertEquals(maxPlanning, 1, "toolchain resolution is serialized");
  // The three cells build concurrently, so which one gets which engine
  // result depends on scheduling: match outcomes by result, not position.
  const byResult = new Map(outcomes.map((o) => [o.result, o]));
  assertEquals([...byResult.keys()].sort(), ["fail", "infra", "pass"]);
  assertEquals(byResult.get("fail")!.message, "why empty");
  const pass = byResult.get("pass")!;
  assertEquals(
    pass.reproducer,
    `kcross build --arch powerpc --config ${c.buildDir}/rec0/config drivers/vfio/`,
  );
  assertEquals(pass.configDigest, "abc");
  assert(pass.logPath!.endsWith("/build.log"));
});

Deno.test("a cell with named targets plans them as phases and records each target's result", async () => {
  await using c = await ctx();
  const named: Cell = {
    ...cell,
    inputs: { ...cell.inputs, targets: ["kernel", "dtbs"], make: {} },
  };
  assertEquals(nativeInput(named, c).targets, ["kernel", "dtbs"]);
  const phase = (name: string, status: string, reason: string | null) => ({
    name,
    goals: [name],
    implied: false,
    status,
    reason,
    exitCode: status === "fail" ? 2 : 0,
    durationMs: 1500.6,
    artifactsMs: 3,
    artifacts: status === "pass" ? [name] : [],
  });
  const engine: Builder = {
    prepare: (input) =>
      Promise.resolve({
        input,
        plan: { arch: input.arch, toolchain: null },
      } as never),
    async run() {
      const recordDir = `${c.buildDir}/rec`;
      await Deno.mkdir(recordDir, { recursive: true });
      return {
        result: "fail",
        id: "r1",
        recordDir,
        exitCode: 2,
        diagnostics: [],
        timings: {},
        reason: "target dtbs failed: make exited with 2",
        record: fakeRecord({
          phases: [
            phase("config", "pass", null),
            phase("kernel", "pass", null),
            phase("dtbs", "fail", "make exited with 2"),
          ],
        }),
      };
    },
  };
  const o = await createCellRunner(engine).run(named, c);
  assertEquals(o.result, "fail");
  assertEquals(o.message, "target dtbs failed: make exited with 2");
  assertEquals(
    o.phases?.map((p) => `${p.name}:${p.status}:${p.durationMs}`),
    ["config:pass:1501", "kernel:pass:1501", "dtbs:fail:1501"],
  );
  assertEquals(o.phases?.[2]?.reason, "make exited with 2");
  assertEquals(o.phases?.[1]?.artifacts, ["kernel"]);

  // A plain Kbuild cell has no phases.
  const plain = await createCellRunner({
    ...engine,
    run: async (p, opts) => ({
      ...(await engine.run(p, opts)),
      record: fakeRecord({}),
    }),
  }).run(cell, c);
  assertEquals(plain.phases, undefined);
});
