import { assert, assertEquals, assertRejects } from "../_support/assert.ts";
import { makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim } from "../_support/shims.ts";
import type { NativeInput } from "../../src/build/plan_native.ts";
import { prepareNativeBuild } from "../../src/build/native_build.ts";

const planned = async (i: NativeInput) => (await prepareNativeBuild(i)).plan;
import type { Resolver } from "../../src/build/_cross.ts";
import { InfraError, UserError } from "../../src/errors.ts";

const noFetch: Resolver = (req) =>
  Promise.reject(new InfraError(`test: no fetch for ${req.triple}`));

function input(src: string, cip: string, extra: Partial<NativeInput>) {
  return {
    srcTree: src,
    arch: "powerpc",
    compiler: "gcc-13.2.0",
    outDir: `${src}/build_dir`,
    installPath: cip,
    env: { PATH: "/usr/bin:/bin" },
    cpus: () => Promise.resolve(2),
    resolve: noFetch,
    namedTargets: true,
    ...extra,
  } satisfies NativeInput;
}

Deno.test("planNativeBuild() with named targets: phases in the plan, only Kbuild paths in make's argv", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "powerpc64-linux");
  const plan = await planned(
    input(k.src, k.cip, {
      targets: ["modules", "drivers/vfio/"],
      keepGoing: true,
    }),
  );
  assertEquals(plan.targets, ["modules", "drivers/vfio/"]);
  assertEquals(plan.argv.at(-1), "drivers/vfio/");
  assert(!plan.argv.includes("modules"), plan.argv.join(" "));
  assertEquals(plan.phases?.map((p) => p.name), [
    "config",
    "kbuild",
    "kernel",
    "modules",
  ]);
  assertEquals(plan.artifacts, "default");
  assertEquals(plan.keepGoing, true);
});

Deno.test("planNativeBuild() without namedTargets passes every target to make (repro, matrix, series)", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "powerpc64-linux");
  const plan = await planned(
    input(k.src, k.cip, { targets: ["modules"], namedTargets: false }),
  );
  assertEquals(plan.argv.at(-1), "modules");
  assertEquals(plan.phases, undefined);
});

Deno.test("planNativeBuild() for headers alone needs no .config and plans no config step", async () => {
  await using k = await makeFakeKernel();
  await installGccShim(k.cip, "13.2.0", "powerpc-linux");
  const plan = await planned(
    input(k.src, k.cip, { targets: ["headers"] }),
  );
  assertEquals(plan.config, null);
  assertEquals(plan.phases?.map((p) => p.name), ["headers"]);
  assertEquals(plan.tripleProvisional, false);
});

Deno.test("planNativeBuild() refuses a target the arch lacks before resolving a toolchain", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_X86_64=y\n" },
  });
  await assertRejects(
    () =>
      planned(
        input(k.src, k.cip, { arch: "x86_64", targets: ["dtbs"] }),
      ),
    UserError,
    'Target "dtbs" is not supported for ARCH "x86_64"',
  );
});
