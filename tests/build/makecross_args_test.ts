import { assertEquals, assertThrows } from "../_support/assert.ts";
import { parseMakeCrossArgs } from "../../src/build/makecross_args.ts";
import { UserError } from "../../src/errors.ts";

Deno.test("parseMakeCrossArgs() takes COMPILER/COMPILER_INSTALL_PATH/URL only as leading words, around kcross options", () => {
  const a = parseMakeCrossArgs([
    "--kcross-dry-run",
    "COMPILER=gcc-12.2.0",
    "--kcross-allow-substitute",
    "COMPILER_INSTALL_PATH=/0day",
    "O=build_dir",
    "COMPILER=clang",
    "ARCH=powerpc",
  ]);
  assertEquals(a.envWords, {
    COMPILER: "gcc-12.2.0",
    COMPILER_INSTALL_PATH: "/0day",
  });
  assertEquals(a.options.dryRun, true);
  assertEquals(a.options.allowSubstitute, true);
  assertEquals(a.makeArgs, ["O=build_dir", "COMPILER=clang", "ARCH=powerpc"]);
});

Deno.test("parseMakeCrossArgs() reads make's words: last ARCH=/O= wins, -C dirs, goals after --", () => {
  const a = parseMakeCrossArgs([
    "SUBARCH=i386",
    "ARCH=um",
    "-C",
    "linux",
    "--directory=sub",
    "O=a",
    "O=b",
    "-f",
    "Makefile",
    "--",
    "-j",
  ]);
  assertEquals(a.arch, "um");
  assertEquals(a.o, "b");
  assertEquals(a.dirs, ["linux", "sub"]);
  assertEquals(a.jobsGiven, false);
  assertEquals(a.goals, ["-j"]);
  assertEquals(a.vars.SUBARCH, "i386");
});

Deno.test("parseMakeCrossArgs() rejects an unknown --kcross- option", () => {
  assertThrows(() => parseMakeCrossArgs(["--kcross-frobnicate"]), UserError);
});
