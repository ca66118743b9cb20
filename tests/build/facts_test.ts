import { assert, assertEquals } from "../_support/assert.ts";
import { makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim } from "../_support/shims.ts";
import type { Resolver } from "../../src/build/_cross.ts";
import { type FactsRequest, gatherBuildFacts } from "../../src/build/facts.ts";
import { factsCache } from "../../src/build/facts_cache.ts";
import { planMakeCross } from "../../src/build/plan_makecross.ts";
import { InfraError } from "../../src/errors.ts";

const noFetch: Resolver = (req) =>
  Promise.reject(new InfraError(`test: no fetch for ${req.triple}`));

const TRIPLE = "powerpc64-linux";

/**
 * A gcc shim in `cip` that appends one line to `calls` per invocation, so a
 * test sees how many times the KCFLAGS probe spawned the compiler.
 */
async function countingGcc(
  cip: string,
  calls: string,
  reject: string[] = [],
): Promise<string> {
  const gcc = await installGccShim(cip, "13.2.0", TRIPLE, { reject });
  const text = await Deno.readTextFile(gcc);
  await Deno.writeTextFile(
    gcc,
    text.replace("#!/bin/sh\n", `#!/bin/sh\necho "$*" >> '${calls}'\n`),
  );
  return gcc;
}

async function callCount(calls: string): Promise<number> {
  const text = await Deno.readTextFile(calls).catch(() => "");
  return text.split("\n").filter((l) => l !== "").length;
}

function request(src: string, cip: string, cacheRoot: string): FactsRequest {
  return {
    arch: "powerpc",
    triple: TRIPLE,
    compiler: "gcc-13.2.0",
    kernelDir: src,
    dtsDir: src,
    installPath: cip,
    baseEnv: { PATH: "/usr/bin:/bin" },
    allowSubstitute: false,
    offline: false,
    needCpus: false,
    resolve: noFetch,
    cache: factsCache(cacheRoot),
  };
}

Deno.test("gatherBuildFacts() probes the compiler once and takes the KCFLAGS from the cache after that", async () => {
  await using k = await makeFakeKernel();
  const calls = `${k.root}/calls`;
  await countingGcc(k.cip, calls);
  const req = request(k.src, k.cip, `${k.root}/facts`);
  const first = await gatherBuildFacts(req);
  const probes = await callCount(calls);
  assert(probes > 0, "the first run probes the compiler");
  assertEquals(first.timings["plan.kcflagsCached"], 0);
  assert(first.kcflags.includes("-falign-functions=64"));

  const second = await gatherBuildFacts(req);
  assertEquals(await callCount(calls), probes, "no compiler spawned");
  assertEquals(second.timings["plan.kcflagsCached"], 1);
  assertEquals(second.kcflags, first.kcflags);
  assertEquals(second.kernelVersion, "6.1.0");
});

Deno.test("a replaced compiler is probed again and its own answer is cached", async () => {
  await using k = await makeFakeKernel();
  const calls = `${k.root}/calls`;
  await countingGcc(k.cip, calls);
  const req = request(k.src, k.cip, `${k.root}/facts`);
  const before = await gatherBuildFacts(req);
  assert(before.kcflags.includes("-funsigned-char"));
  const probes = await callCount(calls);

  // Another compiler at the same path (an upgrade): its size, mtime and
  // ctime differ, so the entry is stale.
  await countingGcc(k.cip, calls, ["-funsigned-char"]);
  const after = await gatherBuildFacts(req);
  assert(await callCount(calls) > probes, "the new compiler is probed");
  assertEquals(after.timings["plan.kcflagsCached"], 0);
  assertEquals(after.kcflags.includes("-funsigned-char"), false);

  const again = await gatherBuildFacts(req);
  assertEquals(again.timings["plan.kcflagsCached"], 1);
  assertEquals(again.kcflags, after.kcflags);
});

Deno.test("the kernel version is cached by the Makefile's identity and read again when it changes", async () => {
  await using k = await makeFakeKernel({ version: "6.1.0" });
  await countingGcc(k.cip, `${k.root}/calls`);
  const cache = factsCache(`${k.root}/facts`);
  const req = { ...request(k.src, k.cip, ""), cache };
  assertEquals((await gatherBuildFacts(req)).kernelVersion, "6.1.0");
  assertEquals(await cache.get("kernel-version", k.src), "6.1.0");

  const makefile = `${k.src}/Makefile`;
  const text = await Deno.readTextFile(makefile);
  await Deno.writeTextFile(
    makefile,
    text.replace("SUBLEVEL = 0", "SUBLEVEL = 17"),
  );
  assertEquals(await cache.get("kernel-version", k.src), undefined);
  assertEquals((await gatherBuildFacts(req)).kernelVersion, "6.1.17");
  assertEquals(await cache.get("kernel-version", k.src), "6.1.17");
});

Deno.test("a damaged cache entry is a miss, not an error", async () => {
  await using k = await makeFakeKernel();
  const calls = `${k.root}/calls`;
  await countingGcc(k.cip, calls);
  const root = `${k.root}/facts`;
  const req = request(k.src, k.cip, root);
  const first = await gatherBuildFacts(req);
  const probes = await callCount(calls);
  for (const kind of ["kcflags", "kernel-version"]) {
    for await (const e of Deno.readDir(`${root}/${kind}`)) {
      await Deno.writeTextFile(`${root}/${kind}/${e.name}`, '{"schema":1,');
    }
  }
  const second = await gatherBuildFacts(req);
  assert(await callCount(calls) > probes, "probed again");
  assertEquals(second.kcflags, first.kcflags);
  assertEquals(second.kernelVersion, "6.1.0");
});

Deno.test("planMakeCross() a second time spawns no compiler before make", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  const calls = `${k.root}/calls`;
  await countingGcc(k.cip, calls);
  const cache = factsCache(`${k.root}/facts`);
  const plan = () =>
    planMakeCross({
      args: ["O=build_dir", "ARCH=powerpc", "drivers/"],
      cwd: k.src,
      env: {
        PATH: "/usr/bin:/bin",
        COMPILER_INSTALL_PATH: k.cip,
        COMPILER: "gcc-13.2.0",
      },
      resolve: noFetch,
      cpus: () => Promise.resolve(2),
      cache,
    });
  const first = await plan();
  const probes = await callCount(calls);
  const second = await plan();
  assertEquals(await callCount(calls), probes);
  assertEquals(second.plan.argv, first.plan.argv);
  assertEquals(second.timings["plan.kcflagsCached"], 1);
  assert(
    second.plan.argv.some((w) => w.startsWith("KCFLAGS=")),
    second.plan.argv.join(" "),
  );
});
