import { assertEquals, assertThrows } from "../_support/assert.ts";
import { parseBuildArgs, splitArgs } from "../../src/series/build_args.ts";
import { UserError } from "../../src/errors.ts";

Deno.test("parseBuildArgs() reads the native build options and targets", () => {
  const o = parseBuildArgs([
    "--arch",
    "powerpc",
    "--config",
    "allmodconfig",
    "--compiler",
    "gcc-12.2.0",
    "-W",
    "1",
    "--jobs",
    "4",
    "--ccache",
    "--set",
    "WERROR=n",
    "--werror=off",
    "drivers/vfio/",
  ]);
  assertEquals(
    [
      o.arch,
      o.config,
      o.compiler,
      o.w,
      o.jobs,
      o.ccache,
      o.sets,
      o.werror,
      o.targets,
    ],
    [
      "powerpc",
      "allmodconfig",
      "gcc-12.2.0",
      "1",
      4,
      true,
      ["CONFIG_WERROR=n"],
      "off",
      ["drivers/vfio/"],
    ],
  );
});

Deno.test("parseBuildArgs() refuses --out, a missing --arch and bad values", async (t) => {
  const cases: [string[], string][] = [
    [["--arch", "x", "--out", "d"], "--out is not accepted"],
    [["--config", "defconfig"], "Missing --arch"],
    [["--arch", "x"], "Missing --config"],
    [
      ["--arch", "x", "--config", "c", "--werror", "maybe"],
      'Bad value for --werror: "maybe"',
    ],
    [
      ["--arch", "x", "--config", "c", "--jobs", "0"],
      'Bad value for --jobs: "0"',
    ],
    [["--arch", "x", "--config", "c", "--set", "=n"], 'Bad --set value "=n"'],
    [["--arch", "x", "--frobnicate"], "Bad arguments"],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), () => {
      assertThrows(() => parseBuildArgs(args), UserError, message);
    });
  }
});

Deno.test("splitArgs() separates the command's options, the range and the build words", () => {
  const s = splitArgs(
    [
      "--arch",
      "powerpc",
      "v6.1..topic",
      "--fail-fast",
      "--fragment",
      "../frag..config",
      "--matrix=m.toml",
      "-W",
      "1",
      "drivers/vfio/",
    ],
    { "fail-fast": false, matrix: true },
    true,
  );
  assertEquals(s.range, "v6.1..topic");
  assertEquals(s.own, { "fail-fast": true, matrix: "m.toml" });
  assertEquals(s.build, [
    "--arch",
    "powerpc",
    "--fragment",
    "../frag..config",
    "-W",
    "1",
    "drivers/vfio/",
  ]);
});

Deno.test("splitArgs() wants a value for an own option that takes one", () => {
  assertThrows(
    () => splitArgs(["--resume"], { resume: true }, true),
    UserError,
    '"--resume" needs a value',
  );
});

Deno.test("--kconfig-add is --fragment, in command-line order, and its value is no make word", () => {
  const s = splitArgs(
    [
      "--arch",
      "x",
      "--kconfig-add",
      "CONFIG_A=y",
      "--fragment",
      "f.config",
      "--kconfig-add=make:kvm_guest.config",
    ],
    {},
    false,
  );
  assertEquals(s.build.length, 7);
  const p = parseBuildArgs([...s.build, "--config", "defconfig"]);
  assertEquals(p.fragments, [
    "CONFIG_A=y",
    "f.config",
    "make:kvm_guest.config",
  ]);
  assertEquals(p.makeArgs, []);
});
