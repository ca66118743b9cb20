import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { type FakeKernel, makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim } from "../_support/shims.ts";
import { buildCommands } from "../../src/build/cli.ts";
import {
  type RecordingOutput,
  recordingOutput,
} from "../../src/util/output.ts";
import { exitCodeOf } from "../../src/errors.ts";
import type { BuildPlan } from "../../src/build/types.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** Runs `kcross <args>` for the build commands the way main.ts does. */
async function main(
  args: string[],
  opts: { out: RecordingOutput; cwd: string },
): Promise<number> {
  const [name, ...rest] = args;
  const command = buildCommands.find((c) => c.name === name)!;
  if (name !== "make.cross" && rest.includes("--help")) {
    opts.out.out(command.usage);
    return 0;
  }
  try {
    return await command.run({
      args: rest,
      out: opts.out,
      cwd: opts.cwd,
      signal: new AbortController().signal,
    });
  } catch (e) {
    opts.out.err(`error: ${e instanceof Error ? e.message : String(e)}`);
    return exitCodeOf(e);
  }
}

/** A fake kernel whose `build_dir/.config` is arm64, with a gcc-13.2.0 shim. */
async function fakeArm64Kernel(): Promise<FakeKernel> {
  const k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  try {
    await installGccShim(k.cip, "13.2.0", "aarch64-linux");
  } catch (e) {
    await k[Symbol.asyncDispose]();
    throw e;
  }
  return k;
}

Deno.test("kcross make.cross --kcross-dry-run prints the plan and the make call", async () => {
  await using k = await makeFakeKernel({
    version: "5.17.0",
    dts: ["powerpc"],
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  await installGccShim(k.cip, "11.2.0", "powerpc64-linux");
  const out = recordingOutput();
  const code = await main([
    "make.cross",
    `COMPILER_INSTALL_PATH=${k.cip}`,
    "COMPILER=gcc-11.2.0",
    "--kcross-dry-run",
    "O=build_dir",
    "ARCH=powerpc",
    "SHELL=/bin/bash",
    "drivers/vfio/",
  ], { out, cwd: k.src });
  assertEquals(code, 0, out.stderr.join("\n"));
  const text = out.stdout.join("\n");
  assertStringIncludes(
    text,
    "triple:    powerpc64-linux (CONFIG_PPC64 is enabled",
  );
  assertStringIncludes(
    text,
    `make --keep-going CONFIG_OF_ALL_DTBS=y CONFIG_DTC=y CROSS_COMPILE=${k.cip}/gcc-11.2.0-nolibc/powerpc64-linux/bin/powerpc64-linux-`,
  );
  assertStringIncludes(
    text,
    "O=build_dir ARCH=powerpc SHELL=/bin/bash drivers/vfio/",
  );
  assertStringIncludes(
    text,
    "gcc-11.2.0-nolibc/powerpc64-linux 11.2.0 (crosstool, exact)",
  );
});

Deno.test("kcross make.cross --kcross-dry-run --kcross-json prints the BuildPlan as JSON", async () => {
  await using k = await fakeArm64Kernel();
  const out = recordingOutput();
  const code = await main([
    "make.cross",
    `COMPILER_INSTALL_PATH=${k.cip}`,
    "COMPILER=gcc-13.2.0",
    "--kcross-dry-run",
    "--kcross-json",
    "-j2",
    "O=build_dir",
    "ARCH=arm64",
  ], { out, cwd: k.src });
  assertEquals(code, 0, out.stderr.join("\n"));
  const plan = JSON.parse(out.stdout.join("\n")) as BuildPlan;
  assertEquals(plan.mode, "make.cross");
  assertEquals(plan.argv[0], "make");
  assertEquals(plan.jobs, 2);
  assertEquals(plan.triple, "aarch64-linux");
  assertEquals(plan.env.ARCH, "arm64");
});

Deno.test("kcross build --dry-run --json plans a native build from a named config", async () => {
  await using k = await makeFakeKernel();
  const out = recordingOutput();
  const code = await main([
    "build",
    "--arch",
    "powerpc",
    "--config",
    "allmodconfig",
    "--compiler",
    "gcc-11.2.0",
    "-W",
    "1",
    "-C",
    "1",
    "--set",
    "CONFIG_WERROR=n",
    "--out",
    "out",
    "--jobs",
    "3",
    "--dry-run",
    "--json",
    "CF=-D__CHECK_ENDIAN__",
    "drivers/vfio/",
  ], { out, cwd: k.src });
  assertEquals(code, 0, out.stderr.join("\n"));
  const plan = JSON.parse(out.stdout.join("\n")) as BuildPlan;
  assertEquals(plan.mode, "native");
  assertEquals(plan.triple, "powerpc64-linux");
  assertEquals(plan.tripleProvisional, true);
  assertEquals(plan.config?.source, { kind: "target", target: "allmodconfig" });
  assertEquals(plan.config?.sets, ["CONFIG_WERROR=n"]);
  assertEquals(plan.outDir, `${k.src}/out`);
  assertEquals(plan.jobs, 3);
  assertEquals(plan.argv.slice(-4), [
    "W=1",
    "C=1",
    "CF=-D__CHECK_ENDIAN__",
    "drivers/vfio/",
  ]);
  assertEquals(plan.targets, ["drivers/vfio/"]);
});

Deno.test("kcross build --kconfig-add and --fragment keep their order; a local file becomes absolute, the tree's words stay", async () => {
  await using k = await makeFakeKernel();
  await Deno.writeTextFile(`${k.src}/../mine.config`, "CONFIG_A=y\n");
  await Deno.mkdir(`${k.src}/kernel/configs`, { recursive: true });
  await Deno.writeTextFile(
    `${k.src}/kernel/configs/kvm_guest.config`,
    "CONFIG_KVM_GUEST=y\n",
  );
  const out = recordingOutput();
  const code = await main([
    "build",
    "--arch",
    "powerpc",
    "--config",
    "allmodconfig",
    "--compiler",
    "gcc-11.2.0",
    "--tree",
    k.src,
    "--kconfig-add",
    "CONFIG_B=y",
    "--fragment",
    "mine.config",
    "--kconfig-add=make:kvm_guest.config",
    "--kconfig-add",
    "kvm_guest.config",
    "--dry-run",
    "--json",
  ], { out, cwd: `${k.src}/..` });
  assertEquals(code, 0, out.stderr.join("\n"));
  const plan = JSON.parse(out.stdout.join("\n")) as BuildPlan;
  assertEquals(plan.config?.fragments, [
    "CONFIG_B=y",
    `${k.src}/../mine.config`,
    "make:kvm_guest.config",
    "kvm_guest.config",
  ]);
  const bad = recordingOutput();
  assertEquals(
    await main([
      "build",
      "--arch",
      "powerpc",
      "--kconfig-add",
      "ftp://h/x",
      "--dry-run",
    ], { out: bad, cwd: k.src }),
    2,
  );
  assertStringIncludes(bad.stderr.join("\n"), "not https");
});

Deno.test("kcross build without --arch is a user error (exit 2)", async () => {
  const out = recordingOutput();
  assertEquals(await main(["build", "--dry-run"], { out, cwd: "/" }), 2);
  assertStringIncludes(out.stderr.join("\n"), "Missing --arch");
});

Deno.test("kcross build --help shows the native options", async () => {
  const out = recordingOutput();
  assertEquals(await main(["build", "--help"], { out, cwd: "/" }), 0);
  assertStringIncludes(out.stdout.join("\n"), "--config C");
});

Deno.test("the launcher invoked as make.arm64 plans an arm64 make.cross build", async () => {
  await using k = await fakeArm64Kernel();
  await Deno.symlink(`${ROOT}/kcross`, `${k.root}/make.arm64`);
  const res = await new Deno.Command(`${k.root}/make.arm64`, {
    args: ["--kcross-dry-run", "O=build_dir"],
    cwd: k.src,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/root",
      COMPILER_INSTALL_PATH: k.cip,
      COMPILER: "gcc-13.2.0",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(res.stdout);
  assertEquals(res.code, 0, new TextDecoder().decode(res.stderr));
  assertStringIncludes(text, "arch:      arm64");
  assertStringIncludes(text, " ARCH=arm64 ");
});

Deno.test("kcross make.cross runs make through the build runner and records the build", async () => {
  await using k = await fakeArm64Kernel();
  const record = `${k.root}/record`;
  const out = recordingOutput();
  const code = await main([
    "make.cross",
    `COMPILER_INSTALL_PATH=${k.cip}`,
    "COMPILER=gcc-13.2.0",
    `--kcross-record-dir=${record}`,
    "--kcross-allow-empty",
    "-j1",
    "O=build_dir",
    "ARCH=arm64",
    "drivers/",
  ], { out, cwd: k.src });
  assertEquals(code, 0, [...out.stdout, ...out.stderr].join("\n"));
  assert((await Deno.stat(`${k.src}/build_dir/drivers/fake.o`)).isFile);
  const log = await Deno.readTextFile(`${record}/build.log`);
  assertStringIncludes(
    log,
    `CROSS_COMPILE=${k.cip}/gcc-13.2.0-nolibc/aarch64-linux/bin/aarch64-linux-`,
  );
});

Deno.test("kcross build --list-targets shows what an arch supports; bad --artifacts and unknown arches are user errors", async (t) => {
  await t.step("arm64 has dtbs and Image.gz", async () => {
    const out = recordingOutput();
    const code = await main(["build", "--list-targets", "--arch", "arm64"], {
      out,
      cwd: "/",
    });
    assertEquals(code, 0);
    const text = out.stdout.join("\n");
    assertStringIncludes(text, "arch/arm64/boot/Image.gz");
    assert(/^ {2}dtbs\s/m.test(text), text);
  });
  await t.step("x86_64 as JSON: no dtbs, kernel is bzImage", async () => {
    const out = recordingOutput();
    const code = await main(
      ["build", "--list-targets", "--arch", "x86_64", "--json"],
      { out, cwd: "/" },
    );
    assertEquals(code, 0);
    const rows = JSON.parse(out.stdout.join("\n")) as {
      name: string;
      goals: string[];
    }[];
    assert(!rows.some((r) => r.name === "dtbs"));
    assertEquals(rows.find((r) => r.name === "kernel")?.goals, ["bzImage"]);
  });
  await t.step("errors", async () => {
    const bad = recordingOutput();
    assertEquals(
      await main(
        ["build", "--arch", "arm64", "--artifacts", "some", "kernel"],
        {
          out: bad,
          cwd: "/",
        },
      ),
      2,
    );
    assertStringIncludes(bad.stderr.join("\n"), '--artifacts: "some"');
    const arch = recordingOutput();
    assertEquals(
      await main(["build", "--list-targets", "--arch", "vax"], {
        out: arch,
        cwd: "/",
      }),
      2,
    );
  });
});

Deno.test("kcross build --artifacts without a named target says it has no effect", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_PPC64=y\n" },
  });
  const out = recordingOutput();
  const code = await main([
    "build",
    "--arch",
    "powerpc",
    "--compiler",
    "gcc-13.2.0",
    "--dry-run",
    "--artifacts",
    "all",
    "drivers/vfio/",
  ], { out, cwd: k.src });
  assertEquals(code, 0, out.stderr.join("\n"));
  assertStringIncludes(
    out.stderr.join("\n"),
    "warning: --artifacts applies to named targets",
  );
});
