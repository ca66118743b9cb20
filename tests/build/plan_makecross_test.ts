import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim, installLlvmShim } from "../_support/shims.ts";
import {
  type MakeCrossInput,
  planMakeCross,
} from "../../src/build/plan_makecross.ts";
import type { Resolver } from "../../src/build/_cross.ts";
import type { ToolchainRequest } from "../../src/toolchain/types.ts";
import { InfraError, UserError } from "../../src/errors.ts";

const KCFLAGS =
  "KCFLAGS=-Wno-error=return-type -Wreturn-type -funsigned-char -Wundef -falign-functions=64";
const BASE_ENV = { PATH: "/usr/bin:/bin", HOME: "/nonexistent" };
/** A PATH with no binutils at all (the host's must not decide a plan test). */
const NO_BINUTILS = "/nonexistent/kcross-no-binutils";

/** A resolver that must not be reached (everything is installed). */
const noFetch: Resolver = (req) =>
  Promise.reject(
    new InfraError(`test: no fetch for ${req.compiler} ${req.triple}`),
  );

function input(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  extra: Partial<MakeCrossInput> = {},
): MakeCrossInput {
  return {
    args,
    cwd,
    env: { ...BASE_ENV, ...env },
    cpus: () => Promise.resolve(3),
    resolve: noFetch,
    ...extra,
  };
}

function vars(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of argv) {
    const m = /^([A-Za-z_]\w*)=(.*)$/s.exec(w);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

// [ARCH, triple without .config, {symbol: triple}] as kbuild.sh setup_cross_vars has it.
const ARCHES: [string, string, Record<string, string>][] = [
  ["alpha", "alpha-linux", {}],
  ["arc", "arc-linux", {}],
  ["arm", "arm-linux-gnueabi", {}],
  ["arm64", "aarch64-linux", {}],
  ["csky", "csky-linux", {}],
  ["hexagon", "hexagon-linux", {}],
  ["i386", "i386-linux", {}],
  ["loongarch", "loongarch64-linux", {}],
  ["m68k", "m68k-linux", {}],
  ["microblaze", "microblaze-linux", {}],
  ["mips", "mips-linux", { CONFIG_64BIT: "mips64-linux" }],
  ["nios2", "nios2-linux", {}],
  ["openrisc", "or1k-linux", {}],
  ["powerpc", "powerpc-linux", { CONFIG_PPC64: "powerpc64-linux" }],
  ["powerpc64", "powerpc-linux", { CONFIG_PPC64: "powerpc64-linux" }],
  ["riscv", "riscv64-linux", { CONFIG_32BIT: "riscv32-linux" }],
  ["s390", "s390-linux", {}],
  ["sh", "sh4-linux", {}],
  ["sparc", "sparc-linux", { CONFIG_64BIT: "sparc64-linux" }],
  ["sparc64", "sparc64-linux", {}],
  ["um", "um-linux", {}],
  ["x86_64", "x86_64-linux", {}],
  ["xtensa", "xtensa-linux", {}],
];

Deno.test("planMakeCross() gives every arch make.cross's absolute CROSS_COMPILE, 32/64-bit from the O= .config", async (t) => {
  await using k = await makeFakeKernel({ dirs: ["build_dir"] });
  const triples = new Set(
    ARCHES.flatMap(([, d, r]) => [d, ...Object.values(r)]),
  );
  for (const tr of triples) await installGccShim(k.cip, "13.2.0", tr);
  const env = { COMPILER_INSTALL_PATH: k.cip, COMPILER: "gcc-13.2.0" };
  for (const [arch, plain, rules] of ARCHES) {
    await t.step(arch, async () => {
      const cases: [string | null, string][] = [
        [null, plain],
        ...Object.entries(rules),
      ];
      for (const [symbol, triple] of cases) {
        await Deno.writeTextFile(
          `${k.src}/build_dir/.config`,
          symbol ? `${symbol}=y\n` : "",
        );
        const { plan } = await planMakeCross(
          input(k.src, ["O=build_dir", `ARCH=${arch}`], env),
        );
        assertEquals(plan.triple, triple);
        assertEquals(
          vars(plan.argv).CROSS_COMPILE,
          `${k.cip}/gcc-13.2.0-nolibc/${triple}/bin/${triple}-`,
        );
        assertEquals(plan.env.ARCH, arch);
        assertEquals(
          plan.env.LD_LIBRARY_PATH,
          `${k.cip}/gcc-13.2.0-nolibc/${triple}/libexec/gcc/${triple}/13.2.0`,
        );
        assertEquals(plan.toolchain?.version, "13.2.0");
        assertEquals(plan.toolchain?.exact, true);
      }
    });
  }
});

Deno.test("planMakeCross() reproduces the seed's make call", async () => {
  await using k = await makeFakeKernel({
    version: "5.17.0",
    dts: ["powerpc"],
    configs: { build_dir: "CONFIG_PPC64=y\nCONFIG_WERROR=y\n" },
  });
  await installGccShim(k.cip, "11.2.0", "powerpc-linux");
  await installGccShim(k.cip, "11.2.0", "powerpc64-linux");
  const { plan, options } = await planMakeCross(input(k.src, [
    `COMPILER_INSTALL_PATH=${k.cip}`,
    "COMPILER=gcc-11.2.0",
    "O=build_dir",
    "ARCH=powerpc",
    "SHELL=/bin/bash",
    "drivers/vfio/",
  ], {}));
  const cc = `${k.cip}/gcc-11.2.0-nolibc/powerpc64-linux/bin/powerpc64-linux-`;
  assertEquals(plan.argv, [
    "make",
    "--keep-going",
    "CONFIG_OF_ALL_DTBS=y",
    "CONFIG_DTC=y",
    `CROSS_COMPILE=${cc}`,
    "--jobs=6",
    KCFLAGS,
    "O=build_dir",
    "ARCH=powerpc",
    "SHELL=/bin/bash",
    "drivers/vfio/",
  ]);
  assertEquals(plan.env.COMPILER, "gcc-11.2.0");
  assertEquals(plan.env.COMPILER_INSTALL_PATH, k.cip);
  assertEquals(plan.targets, ["drivers/vfio/"]);
  assertEquals(plan.outDir, `${k.src}/build_dir`);
  assertEquals(plan.srcTree, k.src);
  assertEquals(plan.cwd, k.src);
  assertEquals(plan.config, null);
  assertEquals(plan.kernelVersion, "5.17.0");
  assertEquals(options.dryRun, false);
});

Deno.test("planMakeCross() takes the 32-bit powerpc-linux gcc on an empty build dir, as the robot did", async () => {
  await using k = await makeFakeKernel({ dirs: ["build_dir"] });
  await installGccShim(k.cip, "11.2.0", "powerpc-linux");
  const { plan } = await planMakeCross(input(
    k.src,
    ["O=build_dir", "ARCH=powerpc", "olddefconfig"],
    { COMPILER_INSTALL_PATH: k.cip, COMPILER: "gcc-11.2.0" },
  ));
  assertEquals(plan.triple, "powerpc-linux");
  assertStringIncludes(plan.tripleReason, "no ");
});

Deno.test("planMakeCross() reads the .config of the O= dir, not the cwd's (fix of make.cross's lookup order)", async () => {
  await using k = await makeFakeKernel({
    configs: { ".": "CONFIG_PPC32=y\n", build_dir: "CONFIG_PPC64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "powerpc64-linux");
  const { plan } = await planMakeCross(
    input(k.src, ["O=build_dir", "ARCH=powerpc"], {
      COMPILER_INSTALL_PATH: k.cip,
      COMPILER: "gcc-13.2.0",
    }),
  );
  assertEquals(plan.triple, "powerpc64-linux");
});

Deno.test("planMakeCross() puts parisc toolchains on PATH instead of CROSS_COMPILE", async (t) => {
  await using k = await makeFakeKernel({ dirs: ["build_dir"] });
  await installGccShim(k.cip, "13.2.0", "hppa-linux");
  await installGccShim(k.cip, "13.2.0", "hppa64-linux");
  const env = { COMPILER_INSTALL_PATH: k.cip, COMPILER: "gcc-13.2.0" };
  const bin = (t: string) => `${k.cip}/gcc-13.2.0-nolibc/${t}/bin`;
  const lib = (t: string) =>
    `${k.cip}/gcc-13.2.0-nolibc/${t}/libexec/gcc/${t}/13.2.0`;
  await t.step(
    "64-bit: hppa64 then hppa before PATH, both libexec dirs",
    async () => {
      await Deno.writeTextFile(
        `${k.src}/build_dir/.config`,
        "CONFIG_64BIT=y\n",
      );
      const { plan } = await planMakeCross(
        input(k.src, ["O=build_dir", "ARCH=parisc"], env),
      );
      assertEquals(vars(plan.argv).CROSS_COMPILE, undefined);
      assertEquals(
        plan.env.PATH,
        `${bin("hppa64-linux")}:${bin("hppa-linux")}:/usr/bin:/bin`,
      );
      assertEquals(
        plan.env.LD_LIBRARY_PATH,
        `${lib("hppa-linux")}:${lib("hppa64-linux")}`,
      );
      assertEquals(plan.toolchain?.triple, "hppa64-linux");
      assertEquals(plan.toolchain?.extraBinDirs, [bin("hppa-linux")]);
    },
  );
  await t.step("32-bit: only hppa-linux", async () => {
    await Deno.writeTextFile(`${k.src}/build_dir/.config`, "CONFIG_PA11=y\n");
    const { plan } = await planMakeCross(
      input(k.src, ["O=build_dir", "ARCH=parisc"], env),
    );
    assertEquals(plan.env.PATH, `${bin("hppa-linux")}:/usr/bin:/bin`);
    assertEquals(plan.triple, "hppa-linux");
  });
  await t.step("parisc64 always needs both", async () => {
    await Deno.remove(`${k.src}/build_dir/.config`);
    const { plan } = await planMakeCross(
      input(k.src, ["O=build_dir", "ARCH=parisc64"], env),
    );
    assertEquals(
      plan.env.PATH,
      `${bin("hppa64-linux")}:${bin("hppa-linux")}:/usr/bin:/bin`,
    );
  });
});

Deno.test("planMakeCross() applies the clang rules by kernel version and arch", async (t) => {
  const rows: [string, string, string, string[], Record<string, string>][] = [
    // kernel, ARCH, .config, expected words, expected absent/present vars
    ["6.1.0", "arm64", "CONFIG_ARM64=y", [
      "LLVM=1",
      "CROSS_COMPILE=aarch64-linux-",
    ], {}],
    ["5.4.0", "arm64", "CONFIG_ARM64=y", [
      "AR=llvm-ar",
      "CROSS_COMPILE=aarch64-linux-",
    ], { LLVM: "" }],
    ["5.15.0", "powerpc", "CONFIG_PPC64=y", [
      "LLVM_IAS=0",
      "CROSS_COMPILE=powerpc64-linux-",
    ], { LLVM: "" }],
    ["5.18.0", "powerpc", "CONFIG_PPC64=y", ["LLVM=1"], { LLVM_IAS: "" }],
    ["5.10.0", "hexagon", "", [
      "LLVM=1",
      "LLVM_IAS=1",
      "CROSS_COMPILE=hexagon-linux-",
    ], {}],
    ["5.10.0", "arm", "CONFIG_ARM=y", ["LLVM=1"], { LLVM_IAS: "" }],
    ["6.13.0", "sparc64", "CONFIG_64BIT=y", [
      "LLVM_IAS=0",
      "OBJCOPY=llvm-objcopy",
    ], { LLVM: "" }],
    ["6.10.0", "s390", "CONFIG_64BIT=y", [
      "OBJCOPY=/usr/s390x-linux-gnu/bin/objcopy",
      "CROSS_COMPILE=s390x-linux-",
    ], { LD: "", LLVM: "" }],
    ["5.17.0", "riscv", "CONFIG_64BIT=y", [
      "AR=llvm-ar",
      "CROSS_COMPILE=riscv64-linux-",
    ], { LLVM: "" }],
  ];
  for (const [kver, arch, cfg, words, absent] of rows) {
    await t.step(`${arch} on ${kver}`, async () => {
      await using k = await makeFakeKernel({
        version: kver,
        configs: { build_dir: `${cfg}\n` },
      });
      const clang = await installLlvmShim(k.cip, "17.0.6");
      // No distro binutils on this PATH, whatever the host has.
      const { plan } = await planMakeCross(
        input(k.src, ["O=build_dir", `ARCH=${arch}`], {
          COMPILER_INSTALL_PATH: k.cip,
          COMPILER: "clang-17",
          PATH: NO_BINUTILS,
        }),
      );
      for (const w of words) {
        assert(plan.argv.includes(w), `${w} in ${plan.argv.join(" ")}`);
      }
      for (const name of Object.keys(absent)) {
        assertEquals(vars(plan.argv)[name], undefined, name);
      }
      const v = vars(plan.argv);
      if (v.CC !== undefined) assertEquals(v.CC, clang);
      assertEquals(
        plan.env.PATH,
        `${k.cip}/llvm-17.0.6-x86_64/bin:${NO_BINUTILS}`,
      );
      assertEquals(plan.env.LD_LIBRARY_PATH, undefined);
      assertEquals(plan.toolchain?.family, "clang");
    });
  }
  await t.step("s390 with clang-18 on 6.10 gets LLVM=1", async () => {
    await using k = await makeFakeKernel({
      version: "6.10.0",
      configs: { build_dir: "CONFIG_64BIT=y\n" },
    });
    await installLlvmShim(k.cip, "18.1.8");
    const { plan } = await planMakeCross(
      input(k.src, ["O=build_dir", "ARCH=s390"], {
        COMPILER_INSTALL_PATH: k.cip,
        COMPILER: "clang-18",
      }),
    );
    assert(plan.argv.includes("LLVM=1"));
  });
  await t.step(
    "s390 long form with only the distro's s390x-linux-gnu-ld on PATH keeps make.cross's prefix, noted",
    async () => {
      await using k = await makeFakeKernel({
        version: "5.10.0",
        configs: { build_dir: "CONFIG_64BIT=y\n" },
      });
      await installLlvmShim(k.cip, "17.0.6");
      const bin = `${k.cip}/distro-bin`;
      await Deno.mkdir(bin);
      await Deno.writeTextFile(`${bin}/s390x-linux-gnu-ld`, "#!/bin/sh\n");
      await Deno.chmod(`${bin}/s390x-linux-gnu-ld`, 0o755);
      const { plan } = await planMakeCross(
        input(k.src, ["O=build_dir", "ARCH=s390"], {
          COMPILER_INSTALL_PATH: k.cip,
          COMPILER: "clang-17",
          PATH: bin,
        }),
      );
      assertEquals(vars(plan.argv).CROSS_COMPILE, "s390x-linux-");
      assert(
        plan.notes.some((n) =>
          n.startsWith("binutils: ") &&
          n.includes("add CROSS_COMPILE=s390x-linux-gnu-")
        ),
        plan.notes.join("\n"),
      );
    },
  );
  await t.step(
    "a URL outside kernel.org means the 0day layout $CIP/$COMPILER/bin/clang",
    async () => {
      await using k = await makeFakeKernel({
        configs: { build_dir: "CONFIG_64BIT=y\n" },
      });
      await installLlvmShim(k.cip, "17.0.6", { dir: "clang-17" });
      const { plan } = await planMakeCross(
        input(k.src, ["O=build_dir", "ARCH=riscv"], {
          COMPILER_INSTALL_PATH: k.cip,
          COMPILER: "clang-17",
          URL: "https://download.01.org/0day-ci/cross-package",
        }),
      );
      assertEquals(plan.env.PATH, `${k.cip}/clang-17/bin:/usr/bin:/bin`);
    },
  );
});

Deno.test("planMakeCross() finds O=, obj-$ARCH, the source link and KBUILD_OUTPUT like make.cross", async (t) => {
  await using k = await makeFakeKernel({
    dts: ["arm64"],
    configs: { "obj-arm64": "CONFIG_ARM64=y\n", "b/build": "CONFIG_ARM64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "aarch64-linux");
  const env = { COMPILER_INSTALL_PATH: k.cip, COMPILER: "gcc-13.2.0" };
  await t.step("obj-$ARCH when there is no O=", async () => {
    const { plan } = await planMakeCross(input(k.src, ["ARCH=arm64"], env));
    assertEquals(plan.argv.slice(0, 3), [
      "make",
      "--keep-going",
      "O=obj-arm64",
    ]);
    assertEquals(plan.outDir, `${k.src}/obj-arm64`);
  });
  await t.step("no obj-$ARCH when O= is given", async () => {
    const { plan } = await planMakeCross(
      input(k.src, ["O=b/build", "ARCH=arm64"], env),
    );
    assert(!plan.argv.includes("O=obj-arm64"));
    assertEquals(plan.outDir, `${k.src}/b/build`);
  });
  await t.step("KBUILD_OUTPUT in the environment", async () => {
    const { plan } = await planMakeCross(
      input(k.src, ["ARCH=arm64"], { ...env, KBUILD_OUTPUT: "b/build" }),
    );
    assert(!plan.argv.includes("O=obj-arm64"));
    assertEquals(plan.outDir, `${k.src}/b/build`);
  });
  await t.step(
    "a build dir with a source link runs make -C source O=$PWD, without dts",
    async () => {
      await Deno.symlink(k.src, `${k.src}/b/build/source`);
      const cwd = `${k.src}/b/build`;
      const { plan } = await planMakeCross(
        input(cwd, ["ARCH=arm64", "drivers/"], env),
      );
      assertEquals(plan.argv.slice(0, 5), [
        "make",
        "--keep-going",
        "-C",
        "source",
        `O=${cwd}`,
      ]);
      assert(!plan.argv.includes("CONFIG_DTC=y"));
      assertEquals(plan.srcTree, k.src);
      assertEquals(plan.outDir, cwd);
      assertEquals(plan.cwd, cwd);
    },
  );
  await t.step("O in the environment is not made a goal (fix)", async () => {
    const { plan } = await planMakeCross(
      input(k.src, ["O=b/build", "ARCH=arm64"], { ...env, O: "build_dir" }),
    );
    assert(!plan.argv.includes("build_dir"));
    assert(plan.notes.some((n) => n.includes("environment variable O")));
  });
});

Deno.test("planMakeCross() adds --jobs=2xCPUs only when no -j option is given", async (t) => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "aarch64-linux");
  const env = { COMPILER_INSTALL_PATH: k.cip, COMPILER: "gcc-13.2.0" };
  const rows: [string[], boolean, number][] = [
    [[], true, 6],
    [["-j8"], false, 8],
    [["-j", "4"], false, 4],
    [["--jobs=16"], false, 16],
    [["-kj2"], false, 2],
    [["-j"], false, 0],
    [["drivers/hid/hid-jabra.o"], true, 6],
    [["CF=-j"], true, 6],
  ];
  for (const [extra, added, jobs] of rows) {
    await t.step(extra.join(" ") || "(none)", async () => {
      const { plan } = await planMakeCross(
        input(k.src, ["O=build_dir", "ARCH=arm64", ...extra], env),
      );
      assertEquals(plan.argv.includes("--jobs=6"), added);
      assertEquals(plan.jobs, jobs);
    });
  }
});

Deno.test("planMakeCross() decides ARCH like make.cross (name, ARCH=, obj-<arch> dir, env, x86_64)", async (t) => {
  await using k = await makeFakeKernel({ dirs: ["build_dir", "obj-i386"] });
  for (
    const tr of [
      "aarch64-linux",
      "arm-linux-gnueabi",
      "i386-linux",
      "x86_64-linux",
    ]
  ) {
    await installGccShim(k.cip, "13.2.0", tr);
  }
  const env = { COMPILER_INSTALL_PATH: k.cip, COMPILER: "gcc-13.2.0" };
  await t.step("make.arm64 name, ARCH= added", async () => {
    const { plan } = await planMakeCross(
      input(k.src, ["O=build_dir"], env, { argv0: "make.arm64" }),
    );
    assertEquals(plan.arch, "arm64");
    assert(plan.argv.includes("ARCH=arm64"));
  });
  await t.step("make.arm64 with ARCH=arm conflicts", async () => {
    await assertRejects(
      () =>
        planMakeCross(input(k.src, ["ARCH=arm"], env, { argv0: "make.arm64" })),
      UserError,
      "Conflicting ARCH",
    );
  });
  await t.step("ARCH= beats the environment", async () => {
    const { plan } = await planMakeCross(
      input(k.src, ["O=build_dir", "ARCH=arm64"], { ...env, ARCH: "arm" }),
    );
    assertEquals(plan.env.ARCH, "arm64");
    assertEquals(plan.triple, "aarch64-linux");
  });
  await t.step(
    "the environment's ARCH is put on the command line",
    async () => {
      const { plan } = await planMakeCross(
        input(k.src, ["O=build_dir"], { ...env, ARCH: "arm" }),
      );
      assert(plan.argv.includes("ARCH=arm"));
    },
  );
  await t.step(
    "obj-i386 as the cwd name (make.cross's documented, never-working rule)",
    async () => {
      const { plan } = await planMakeCross(input(`${k.src}/obj-i386`, [], env));
      assertEquals(plan.arch, "i386");
    },
  );
  await t.step("x86_64 by default", async () => {
    const { plan } = await planMakeCross(input(k.src, ["O=build_dir"], env));
    assertEquals(plan.arch, "x86_64");
    assert(plan.argv.includes("ARCH=x86_64"));
  });
});

Deno.test("planMakeCross() picks the newest matching gcc by sort -V, and GCC_VERSION from old mails", async (t) => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_64BIT=y\n" },
  });
  for (const v of ["9.3.0", "11.2.0", "11.5.0", "13.2.0"]) {
    await installGccShim(k.cip, v, "riscv64-linux");
  }
  const pick = async (env: Record<string, string>) =>
    (await planMakeCross(input(k.src, ["O=build_dir", "ARCH=riscv"], {
      COMPILER_INSTALL_PATH: k.cip,
      ...env,
    }))).plan.toolchain?.version;
  await t.step(
    "gcc-11 -> 11.5.0",
    async () => assertEquals(await pick({ COMPILER: "gcc-11" }), "11.5.0"),
  );
  await t.step(
    "no COMPILER -> 13.2.0",
    async () => assertEquals(await pick({}), "13.2.0"),
  );
  await t.step(
    "GCC_VERSION=9.3.0",
    async () => assertEquals(await pick({ GCC_VERSION: "9.3.0" }), "9.3.0"),
  );
});

Deno.test("planMakeCross() drops KCFLAGS the compiler rejects", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "aarch64-linux", {
    reject: ["-funsigned-char", "-falign-functions=64"],
  });
  const { plan } = await planMakeCross(
    input(k.src, ["O=build_dir", "ARCH=arm64"], {
      COMPILER_INSTALL_PATH: k.cip,
      COMPILER: "gcc-13.2.0",
    }),
  );
  assertEquals(
    vars(plan.argv).KCFLAGS,
    "-Wno-error=return-type -Wreturn-type -Wundef",
  );
});

Deno.test("planMakeCross() asks resolveToolchain for a missing toolchain with installPath = COMPILER_INSTALL_PATH", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  const asked: ToolchainRequest[] = [];
  const gcc = await installGccShim(
    `${k.root}/elsewhere`,
    "14.2.0",
    "aarch64-linux",
  );
  const resolve: Resolver = (req) => {
    asked.push(req);
    return Promise.resolve({
      id: "gcc-14.2.0-nolibc/aarch64-linux",
      family: "gcc",
      requested: req.compiler,
      version: "14.2.0",
      provider: "crosstool",
      exact: true,
      triple: req.triple,
      binDir: gcc.slice(0, gcc.lastIndexOf("/")),
      crossCompile: gcc.slice(0, -3),
    });
  };
  const { plan } = await planMakeCross(
    input(k.src, ["O=build_dir", "ARCH=arm64"], {
      COMPILER_INSTALL_PATH: k.cip,
      COMPILER: "gcc-14.2.0",
    }, { resolve }),
  );
  assertEquals(asked[0]?.installPath, k.cip);
  assertEquals(asked[0]?.triple, "aarch64-linux");
  assertEquals(vars(plan.argv).CROSS_COMPILE, gcc.slice(0, -3));
});

Deno.test("planMakeCross() in a dry run leaves a missing toolchain unresolved instead of fetching", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  const resolve: Resolver = (req) => {
    assert(req.offline === true, "dry run must resolve offline");
    return Promise.reject(new UserError("not installed"));
  };
  const { plan, options } = await planMakeCross(input(
    k.src,
    [
      "--kcross-dry-run",
      "O=build_dir",
      "ARCH=arm64",
    ],
    { COMPILER: "gcc-14.2.0" },
    { resolve },
  ));
  assert(options.dryRun);
  assertEquals(plan.toolchain, null);
  assert(!plan.argv.includes("--kcross-dry-run"));
  assert(
    plan.notes.some((n) => n.includes("COMPILER_INSTALL_PATH is not set")),
  );
  assert(plan.notes.some((n) => n.includes("not installed")));
});

Deno.test("planMakeCross() refuses a misspelt COMPILER, in a dry run too", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  for (const compiler of ["gcc-x.y", "gcc-12;rm -rf ~", "banana"]) {
    const e = await assertRejects(
      () =>
        planMakeCross(input(
          k.src,
          ["--kcross-dry-run", "O=build_dir", "ARCH=arm64"],
          { COMPILER: compiler },
        )),
      UserError,
    );
    assertStringIncludes(e.message, `Unknown compiler "${compiler}"`);
  }
});

Deno.test("planMakeCross() knows no arch aliases, like make.cross (ARCH=x86 asks for x86-linux)", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_64BIT=y\n" },
  });
  const asked: string[] = [];
  const resolve: Resolver = (req) => {
    asked.push(req.triple);
    return Promise.reject(new UserError(`no ${req.triple}`));
  };
  await assertRejects(
    () =>
      planMakeCross(input(k.src, ["O=build_dir", "ARCH=x86"], {
        COMPILER_INSTALL_PATH: k.cip,
      }, { resolve })),
    UserError,
  );
  assertEquals(asked, ["x86-linux"]);
});
