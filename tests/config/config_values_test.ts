/**
 * A config from outside whose values make would evaluate is refused: the
 * fake tree reads `.config` the way kbuild reads `auto.conf`, so the marker
 * file shows the hole is real (with `--trust-make-line` it appears), and
 * without the flag kcross stops with exit 2 before make ever reads it.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../_support/assert.ts";
import { type FakeKernel, makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim } from "../_support/shims.ts";
import { exists } from "../_support/temp.ts";
import { runTool } from "../_support/run_tool.ts";
import { ensureKernelSource, haveKernelSource } from "../_support/kernel.ts";
import {
  refuseShellValues,
  shellValuesIn,
} from "../../src/config/shell_values.ts";
import { UserError } from "../../src/errors.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

interface Run {
  code: number;
  stderr: string;
}

async function kcross(k: FakeKernel, args: string[]): Promise<Run> {
  const r = await new Deno.Command(`${ROOT}/kcross`, {
    args,
    cwd: k.src,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: k.root,
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`,
      COMPILER_INSTALL_PATH: k.cip,
      KCROSS_STATE_DIR: `${k.root}/state`,
      KCROSS_CACHE_DIR: `${k.root}/cache`,
    },
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr) };
}

async function tree(): Promise<FakeKernel & { marker: string }> {
  const k = await makeFakeKernel({ readsConfig: true, dirs: ["drivers"] });
  await installGccShim(k.cip, "13.2.0", "aarch64-linux");
  return Object.assign(k, { marker: `${k.root}/pwned` });
}

const BUILD = ["build", "--arch", "arm64", "--compiler", "gcc-13.2.0"];

Deno.test('a --config FILE with CONFIG_EXTRA_FIRMWARE="$(shell …)" is refused; with --trust-make-line make really runs it', async () => {
  await using k = await tree();
  const file = `${k.root}/hostile.config`;
  await Deno.writeTextFile(
    file,
    `CONFIG_ARM64=y\nCONFIG_EXTRA_FIRMWARE="$(shell touch ${k.marker})"\n`,
  );
  const trusted = await kcross(k, [
    ...BUILD,
    "--config",
    file,
    "--trust-make-line",
    "drivers/",
  ]);
  assertEquals(trusted.code, 0, trusted.stderr);
  assert(
    await exists(k.marker),
    "the fake tree evaluates the value as kbuild does",
  );
  assertStringIncludes(trusted.stderr, "passed unchecked (--trust-make-line)");
  await Deno.remove(k.marker);
  await Deno.remove(`${k.src}/build_dir`, { recursive: true }).catch(() => {});

  const r = await kcross(k, [...BUILD, "--config", file, "drivers/"]);
  assertEquals(r.code, 2, r.stderr);
  assertMatch(
    r.stderr,
    /^error: Refusing the config ".*hostile\.config": CONFIG_EXTRA_FIRMWARE \(line 2\) has a value with "\$" or a backtick$/m,
  );
  assertStringIncludes(r.stderr, "--trust-make-line");
  assertEquals(
    r.stderr.trim().split("\n").filter((l) => /^(error|hint):/.test(l)).length,
    2,
    r.stderr,
  );
  assert(!(await exists(k.marker)), "make never read it");
});

Deno.test("backticks, a fragment and --set are refused too; $$NAME (a real xtensa defconfig form) is not", async () => {
  await using k = await tree();
  const tick = `${k.root}/tick.config`;
  await Deno.writeTextFile(
    tick,
    `CONFIG_ARM64=y\nCONFIG_LOCALVERSION="\`touch ${k.marker}\`"\n`,
  );
  const a = await kcross(k, [...BUILD, "--config", tick, "drivers/"]);
  assertEquals(a.code, 2, a.stderr);
  assertStringIncludes(a.stderr, "CONFIG_LOCALVERSION (line 2) has a value");

  const base = `${k.root}/base.config`;
  await Deno.writeTextFile(
    base,
    `CONFIG_ARM64=y\nCONFIG_INITRAMFS_SOURCE="$$KERNEL_INITRAMFS_SOURCE"\n`,
  );
  const ok = await kcross(k, [...BUILD, "--config", base, "drivers/"]);
  assertEquals(ok.code, 0, ok.stderr);

  const frag = `${k.root}/frag.config`;
  await Deno.writeTextFile(
    frag,
    `CONFIG_SYSTEM_TRUSTED_KEYS="$(shell touch ${k.marker})"\n`,
  );
  const f = await kcross(k, [
    ...BUILD,
    "--config",
    base,
    "--fragment",
    frag,
    "drivers/",
  ]);
  assertEquals(f.code, 2, f.stderr);
  assertStringIncludes(
    f.stderr,
    "Refusing config fragment",
  );
  const set = await kcross(k, [
    ...BUILD,
    "--config",
    base,
    "--set",
    `CONFIG_EXTRA_FIRMWARE="$(shell touch ${k.marker})"`,
    "drivers/",
  ]);
  assertEquals(set.code, 2, set.stderr);
  assertStringIncludes(set.stderr, "Refusing override");
  assert(!(await exists(k.marker)));
});

Deno.test("repro refuses an outside config's $(shell …) value before the commit is fetched", async () => {
  await using k = await tree();
  const file = `${k.root}/hostile.config`;
  await Deno.writeTextFile(
    file,
    `CONFIG_ARM64=y\nCONFIG_EXTRA_FIRMWARE="$(shell touch ${k.marker})"\n`,
  );
  const report = await Deno.readTextFile(
    `${ROOT}/tests/fixtures/robot-reports/016.txt`,
  );
  await Deno.writeTextFile(`${k.root}/report.txt`, report);
  const r = await kcross(k, [
    "repro",
    "--offline",
    "--config",
    file,
    `${k.root}/report.txt`,
  ]);
  assertEquals(r.code, 2, r.stderr);
  assertStringIncludes(r.stderr, "CONFIG_EXTRA_FIRMWARE (line 2) has a value");
  assert(!r.stderr.includes("==> checkout"), r.stderr);
  assert(!(await exists(k.marker)));
});

Deno.test("refuseShellValues() names the first symbol and line, counts the rest, and passes everything when trusted", () => {
  const text =
    'CONFIG_A=y\nCONFIG_B="$(shell id)"\n# CONFIG_C is not set\nCONFIG_D="`id`"\nCONFIG_E="$${X}"\nCONFIG_F="$$HOME$(x)"\n';
  assertEquals(
    shellValuesIn(text).map((u) => `${u.symbol}:${u.line}`),
    ["CONFIG_B:2", "CONFIG_D:4", "CONFIG_E:5", "CONFIG_F:6"],
  );
  let error: unknown;
  try {
    refuseShellValues(text, "x");
  } catch (e) {
    error = e;
  }
  assert(error instanceof UserError);
  assertMatch(
    error.message,
    /^Refusing x: CONFIG_B \(line 2\) has a value with .*\(and 3 more\)$/,
  );
  assertEquals(refuseShellValues(text, "x", { trust: true }).length, 4);
  assertEquals(
    shellValuesIn('CONFIG_INITRAMFS_SOURCE="$$KERNEL_INITRAMFS_SOURCE"\n'),
    [],
  );
});

Deno.test({
  name: "no defconfig of the real 6.1 tree is refused",
  ignore: !haveKernelSource(),
  async fn() {
    const src = await ensureKernelSource();
    const list = await runTool([
      "find",
      `${src}/arch`,
      `${src}/kernel/configs`,
      "-path",
      "*configs/*",
      "-type",
      "f",
    ]);
    const files = list.trim().split("\n");
    assert(files.length > 400, `${files.length} configs`);
    const refused = files.filter((f) =>
      shellValuesIn(Deno.readTextFileSync(f)).length > 0
    );
    assertEquals(refused, []);
  },
});
