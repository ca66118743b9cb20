import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim, installLlvmShim } from "../_support/shims.ts";
import { configSourceOf, normaliseSet } from "../../src/build/config_source.ts";
import {
  gatherNativeFacts,
  type NativeInput,
  planNativeBuild,
} from "../../src/build/plan_native.ts";
import { prepareNativeBuild } from "../../src/build/native_build.ts";
import { settleTriple } from "../../src/build/native_triple.ts";
import type { Resolver } from "../../src/build/_cross.ts";
import { InfraError, UserError } from "../../src/errors.ts";

const planned = async (i: NativeInput) => (await prepareNativeBuild(i)).plan;

const noFetch: Resolver = (req) =>
  Promise.reject(new InfraError(`test: no fetch for ${req.triple}`));

function base(
  src: string,
  cip: string,
  extra: Partial<NativeInput>,
): NativeInput {
  return {
    srcTree: src,
    arch: "powerpc",
    compiler: "gcc-13.2.0",
    outDir: `${src}/build_dir`,
    installPath: cip,
    env: { PATH: "/usr/bin:/bin" },
    cpus: () => Promise.resolve(2),
    resolve: noFetch,
    ...extra,
  };
}

Deno.test("planNativeBuild() takes the triple from the output dir's existing .config", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "powerpc64-linux");
  const plan = await planned(
    base(k.src, k.cip, { w: "1", targets: ["drivers/vfio/"] }),
  );
  assertEquals(plan.mode, "native");
  assertEquals(plan.triple, "powerpc64-linux");
  assertEquals(plan.tripleProvisional, false);
  assertEquals(plan.config?.source, { kind: "existing" });
  assertEquals(plan.argv.slice(0, 5), [
    "make",
    "--keep-going",
    "--jobs=4",
    `O=${k.src}/build_dir`,
    "ARCH=powerpc",
  ]);
  assert(
    plan.argv.includes(
      `CROSS_COMPILE=${k.cip}/gcc-13.2.0-nolibc/powerpc64-linux/bin/powerpc64-linux-`,
    ),
  );
  assertEquals(plan.argv.slice(-2), ["W=1", "drivers/vfio/"]);
  assertEquals(plan.cwd, k.src);
});

Deno.test("planNativeBuild() without a config source needs an existing .config", async () => {
  await using k = await makeFakeKernel();
  await assertRejects(
    () => planned(base(k.src, k.cip, {})),
    UserError,
    "No .config",
  );
});

Deno.test("planNativeBuild() guesses the triple of a named config target and marks it provisional", async (t) => {
  await using k = await makeFakeKernel();
  for (
    const tr of ["powerpc64-linux", "mips-linux", "sparc64-linux", "hppa-linux"]
  ) {
    await installGccShim(k.cip, "13.2.0", tr);
  }
  const rows: [string, string, string][] = [
    ["powerpc", "allmodconfig", "powerpc64-linux"],
    ["mips", "allmodconfig", "mips-linux"],
    ["sparc", "allyesconfig", "sparc64-linux"],
    ["parisc", "defconfig", "hppa-linux"],
  ];
  for (const [arch, target, triple] of rows) {
    await t.step(`${arch} ${target}`, async () => {
      const plan = await planned(base(k.src, k.cip, {
        arch,
        config: { kind: "target", target },
      }));
      assertEquals(plan.triple, triple);
      assertEquals(plan.tripleProvisional, true);
      assertStringIncludes(plan.tripleReason, "checked again");
    });
  }
});

Deno.test("planNativeBuild() merges --set and fragments over a config file before choosing the triple", async () => {
  await using k = await makeFakeKernel({
    configs: { cfgs: "CONFIG_64BIT=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "mips-linux");
  await Deno.writeTextFile(`${k.root}/frag`, "CONFIG_FOO=y\n");
  const plan = await planned(base(k.src, k.cip, {
    arch: "mips",
    config: { kind: "file", path: `${k.src}/cfgs/.config` },
    fragments: [`${k.root}/frag`],
    sets: ["CONFIG_64BIT=n"],
  }));
  assertEquals(plan.triple, "mips-linux");
  assertEquals(plan.config?.sets, ["CONFIG_64BIT=n"]);
  assertEquals(plan.config?.fragments, [`${k.root}/frag`]);
});

Deno.test("planNativeBuild() uses an explicit triple (repro: the report's compiler line)", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  await installGccShim(k.cip, "11.2.0", "powerpc-linux");
  const plan = await planned(base(k.src, k.cip, {
    compiler: "gcc-11.2.0",
    triple: "powerpc-linux",
    tripleReason: "report: compiler: powerpc-linux-gcc (GCC) 11.2.0",
  }));
  assertEquals(plan.triple, "powerpc-linux");
  assertEquals(
    plan.tripleReason,
    "report: compiler: powerpc-linux-gcc (GCC) 11.2.0",
  );
  assertEquals(plan.tripleProvisional, false);
  assertEquals(plan.toolchain?.triple, "powerpc-linux");
});

Deno.test("settleTriple() + planNativeBuild(): a provisional triple settled against the final .config", async (t) => {
  await using k = await makeFakeKernel({ version: "6.6.0" });
  await installGccShim(k.cip, "13.2.0", "mips-linux");
  await installGccShim(k.cip, "13.2.0", "mips64-linux");
  const input = base(k.src, k.cip, {
    arch: "mips",
    config: { kind: "target", target: "allmodconfig" },
    targets: ["drivers/"],
  });
  const facts = await gatherNativeFacts(input);
  const plan = planNativeBuild(input, facts);
  assertEquals(plan.triple, "mips-linux");
  assertEquals(plan.tripleProvisional, true);
  const where = `${k.src}/build_dir/.config`;
  await t.step("same triple: only the reason changes (no I/O)", () => {
    const triple = settleTriple(
      facts.triple,
      "mips",
      "# CONFIG_64BIT is not set\n",
      where,
    );
    const same = planNativeBuild(input, { ...facts, triple });
    assertEquals(same.argv, plan.argv);
    assertEquals(same.tripleProvisional, false);
    assertEquals(planNativeBuild(input, { ...facts, triple }), same);
  });
  await t.step("64-bit after all: facts for the new triple", async () => {
    const triple = settleTriple(
      facts.triple,
      "mips",
      "CONFIG_64BIT=y\n",
      where,
    );
    assertEquals(triple.from, "mips-linux");
    const moved = planNativeBuild(
      input,
      await gatherNativeFacts(input, triple),
    );
    assertEquals(moved.triple, "mips64-linux");
    assertEquals(moved.toolchain?.triple, "mips64-linux");
    assert(
      moved.argv.includes(
        `CROSS_COMPILE=${k.cip}/gcc-13.2.0-nolibc/mips64-linux/bin/mips64-linux-`,
      ),
    );
    assert(!moved.argv.some((w) => w.includes("/mips-linux/")));
    assertEquals(moved.argv.length, plan.argv.length);
    assertEquals(moved.argv.at(-1), "drivers/");
    assert(moved.notes.some((n) => n.includes("mips-linux -> mips64-linux")));
  });
});

Deno.test("planNativeBuild() applies the make.cross clang rules", async () => {
  await using k = await makeFakeKernel({
    version: "5.15.0",
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  await installLlvmShim(k.cip, "15.0.7");
  // No binutils on this PATH, whatever the host has.
  const path = "/nonexistent/kcross-no-binutils";
  const plan = await planned(
    base(k.src, k.cip, { compiler: "clang-15", env: { PATH: path } }),
  );
  assert(plan.argv.includes("LLVM_IAS=0"));
  assert(plan.argv.includes(`CC=${k.cip}/llvm-15.0.7-x86_64/bin/clang`));
  assert(plan.argv.includes("CROSS_COMPILE=powerpc64-linux-"));
  assertEquals(plan.env.PATH, `${k.cip}/llvm-15.0.7-x86_64/bin:${path}`);
  assertStringIncludes(
    plan.notes.join("\n"),
    "binutils: no powerpc64-linux-ld or powerpc64-linux-gnu-ld or powerpc64le-linux-gnu-ld on PATH, and this clang build uses GNU binutils; apt-get install binutils-powerpc64-linux-gnu",
  );
});

Deno.test("planNativeBuild() takes the distro's binutils prefix when make.cross's ld is missing", async () => {
  await using k = await makeFakeKernel({
    version: "5.15.0",
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  await installLlvmShim(k.cip, "15.0.7");
  const bin = `${k.cip}/distro-bin`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(`${bin}/powerpc64-linux-gnu-ld`, "#!/bin/sh\n");
  await Deno.chmod(`${bin}/powerpc64-linux-gnu-ld`, 0o755);
  const plan = await planned(
    base(k.src, k.cip, { compiler: "clang-15", env: { PATH: bin } }),
  );
  assert(plan.argv.includes("CROSS_COMPILE=powerpc64-linux-gnu-"));
  assertStringIncludes(
    plan.notes.join("\n"),
    "binutils: CROSS_COMPILE=powerpc64-linux-gnu- (the distro's binutils on PATH) instead of make.cross's powerpc64-linux-",
  );
});

Deno.test("configSourceOf() and normaliseSet() read --config and --set", () => {
  assertEquals(configSourceOf("pseries_defconfig", "/"), {
    kind: "target",
    target: "pseries_defconfig",
  });
  assertEquals(configSourceOf("/etc/hostname", "/").kind, "file");
  assertEquals(configSourceOf("http://h/config.gz", "/"), {
    kind: "url",
    url: "http://h/config.gz",
  });
  let threw = false;
  try {
    configSourceOf("no/such/file", "/");
  } catch (e) {
    threw = e instanceof UserError;
  }
  assert(threw);
  assertEquals(normaliseSet("CONFIG_VFIO=m"), "CONFIG_VFIO=m");
  assertEquals(normaliseSet("WERROR=n"), "CONFIG_WERROR=n");
});

Deno.test("planNativeBuild() spells ARCH the kernel's way for an alias (aarch64 -> arm64)", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "aarch64-linux");
  const plan = await planned(base(k.src, k.cip, { arch: "aarch64" }));
  assertEquals(plan.arch, "arm64");
  assert(plan.argv.includes("ARCH=arm64"));
  await assertRejects(
    () => planned(base(k.src, k.cip, { arch: "ppc9" })),
    UserError,
    "Unknown arch",
  );
});

Deno.test("planNativeBuild() passes --allow-distro and --allow-substitute to the toolchain resolver", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  const seen: { allowDistro?: boolean; allowSubstitute?: boolean }[] = [];
  const record: Resolver = (req) => {
    seen.push({
      ...(req.allowDistro ? { allowDistro: true } : {}),
      ...(req.allowSubstitute ? { allowSubstitute: true } : {}),
    });
    return Promise.reject(new InfraError("test: no fetch"));
  };
  for (
    const extra of [
      {},
      { allowDistro: true },
      { allowSubstitute: true },
    ] as Partial<NativeInput>[]
  ) {
    await assertRejects(() =>
      planned(base(k.src, "", { ...extra, resolve: record }))
    );
  }
  assertEquals(seen, [{}, { allowDistro: true }, { allowSubstitute: true }]);
});
