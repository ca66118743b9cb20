import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import type { BuildPlan } from "../../src/build/types.ts";
import type { ConfigInputs } from "../../src/config/run_config.ts";
import {
  RECORD_DIR_TOKEN,
  renderReproducer,
} from "../../src/record/reproducer.ts";
import {
  makeCrossLines,
  reproducerSteps,
} from "../../src/build/reproducer_steps.ts";
import { shellQuote } from "../../src/util/shell_quote.ts";
import { rerunInvocations } from "../../src/logs/logs_rerun.ts";

function seedPlan(over: Partial<BuildPlan> = {}): BuildPlan {
  return {
    mode: "make.cross",
    arch: "powerpc",
    srcTree: "/home/me/linux",
    cwd: "/home/me/linux",
    outDir: "/home/me/linux/build_dir",
    argv: [
      "make",
      "--keep-going",
      "CONFIG_OF_ALL_DTBS=y",
      "CONFIG_DTC=y",
      "CROSS_COMPILE=/home/me/0day/gcc-11.2.0-nolibc/powerpc-linux/bin/powerpc-linux-",
      "--jobs=8",
      "KCFLAGS=-Wtautological-compare",
      "O=/home/me/linux/build_dir",
      "ARCH=powerpc",
      "SHELL=/bin/bash",
      "W=1",
      "drivers/vfio/",
    ],
    env: {},
    envUnset: [],
    toolchain: {
      id: "gcc-11.2.0-nolibc/powerpc-linux",
      family: "gcc",
      requested: "gcc-11.2.0",
      version: "11.2.0",
      provider: "crosstool",
      exact: true,
      triple: "powerpc-linux",
      binDir: "/home/me/0day/gcc-11.2.0-nolibc/powerpc-linux/bin",
      crossCompile:
        "/home/me/0day/gcc-11.2.0-nolibc/powerpc-linux/bin/powerpc-linux-",
    },
    triple: "powerpc-linux",
    tripleReason: "no .config yet",
    config: null,
    targets: ["drivers/vfio/"],
    jobs: 8,
    ccache: false,
    allowEmpty: false,
    notes: [],
    ...over,
  };
}

const ALLMOD: ConfigInputs = {
  source: { kind: "target", target: "allmodconfig", seed: null },
  fragments: [{
    kind: "file",
    path: "/abs/frag",
    sha256: "x",
    text: "CONFIG_A=y\n# CONFIG_B is not set\n",
  }],
  sets: ["CONFIG_C=m"],
  werror: "off",
};

Deno.test("reproducerSteps() names arch, exact compiler, config, overrides, W=, out dir and targets", () => {
  const steps = reproducerSteps(seedPlan(), ALLMOD);
  assertEquals(steps, [{
    command: "build",
    args: [
      "--arch",
      "powerpc",
      "--compiler",
      "gcc-11.2.0",
      "--config",
      "allmodconfig",
      "--kconfig-add",
      "CONFIG_A=y",
      "--kconfig-add",
      "# CONFIG_B is not set",
      "--set",
      "CONFIG_C=m",
      "--werror=off",
      "-W",
      "1",
      "--out",
      "build_dir",
      "SHELL=/bin/bash",
      "drivers/vfio/",
    ],
  }]);
});

Deno.test("a local config file, random config or existing .config is reproduced from the record's config", () => {
  for (
    const source of [
      { kind: "file", path: "/abs/my.config", sha256: "x" },
      { kind: "target", target: "randconfig", seed: "0x1" },
      { kind: "existing", sha256: null },
    ] as ConfigInputs["source"][]
  ) {
    const [step] = reproducerSteps(seedPlan(), { ...ALLMOD, source });
    const i = step!.args.indexOf("--config");
    assertEquals(step!.args[i + 1], `${RECORD_DIR_TOKEN}/config`);
    assert(!step!.args.includes("--set"), "overrides are in the config");
  }
});

Deno.test("makeCrossLines() gives the robot-style make.cross lines without what make.cross adds itself", () => {
  assertEquals(
    makeCrossLines(seedPlan(), { ...ALLMOD, fragments: [], sets: [] }),
    [
      "COMPILER=gcc-11.2.0 make.cross O=build_dir ARCH=powerpc allmodconfig",
      "COMPILER=gcc-11.2.0 make.cross O=build_dir ARCH=powerpc SHELL=/bin/bash W=1 drivers/vfio/",
    ],
  );
  assertEquals(makeCrossLines(seedPlan(), null), [
    "mkdir -p build_dir",
    'cp "$here/config" build_dir/.config',
    "COMPILER=gcc-11.2.0 make.cross O=build_dir ARCH=powerpc olddefconfig",
    "COMPILER=gcc-11.2.0 make.cross O=build_dir ARCH=powerpc SHELL=/bin/bash W=1 drivers/vfio/",
  ]);
});

Deno.test("renderReproducer() writes a portable script with the record dir relative to itself", () => {
  const plan = seedPlan({ outDir: "/tmp/elsewhere" });
  const script = renderReproducer({
    id: "20261127T142233Z-abcdef",
    commit: "0123456789abcdef",
    dirty: true,
    kernelVersion: "6.1.0",
    steps: reproducerSteps(plan, {
      ...ALLMOD,
      source: { kind: "existing", sha256: null },
    }),
    makeCross: makeCrossLines(plan, null),
  });
  assertStringIncludes(script, "#!/bin/sh\n");
  assertStringIncludes(script, "at commit 0123456789abcdef (kernel 6.1.0)");
  assertStringIncludes(script, "uncommitted changes");
  assertStringIncludes(
    script,
    'kcross build --arch powerpc --compiler gcc-11.2.0 --config "$here/config" --werror=off -W 1 --out build_dir SHELL=/bin/bash drivers/vfio/\n',
  );
  assertStringIncludes(
    script,
    "#   COMPILER=gcc-11.2.0 make.cross O=build_dir",
  );
  assert(!script.includes("/home/me"), script);
  assert(!script.includes("/tmp/elsewhere"), script);
});

Deno.test("shellQuote() leaves plain words and quotes the rest", () => {
  assertEquals(shellQuote("drivers/vfio/"), "drivers/vfio/");
  assertEquals(shellQuote("CONFIG_X=y"), "CONFIG_X=y");
  assertEquals(shellQuote("# CONFIG_X is not set"), "'# CONFIG_X is not set'");
  assertEquals(shellQuote(""), "''");
  assertEquals(shellQuote("$(rm -rf /)"), "'$(rm -rf /)'");
});

Deno.test("rerunInvocations() fills in the record dir and the real out dir", () => {
  const steps = reproducerSteps(seedPlan(), {
    ...ALLMOD,
    source: { kind: "existing", sha256: null },
  });
  const r = rerunInvocations(
    {
      reproduce: {
        steps,
        makeCross: [],
        cwd: "/home/me/linux",
        outDir: "/home/me/linux/build_dir",
      },
    },
    { recordDir: "/state/builds/x", tree: "/other/linux" },
  );
  assertEquals(r.cwd, "/other/linux");
  const args = r.steps[0]!.args;
  assertEquals(args[args.indexOf("--config") + 1], "/state/builds/x/config");
  assertEquals(args[args.indexOf("--out") + 1], "/home/me/linux/build_dir");
});
