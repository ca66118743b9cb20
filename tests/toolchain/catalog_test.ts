import { assertEquals, assertMatch, assertThrows } from "../_support/assert.ts";
import {
  compareVersions,
  knownVersions,
  matchesPartial,
  nearestVersions,
  parseCompiler,
  resolveVersion,
} from "../../src/toolchain/catalog.ts";
import { UserError } from "../../src/errors.ts";

Deno.test("parseCompiler() reads gcc, clang and llvm words", () => {
  assertEquals(parseCompiler("gcc"), {
    family: "gcc",
    partial: "",
    requested: "gcc",
  });
  assertEquals(parseCompiler("gcc-11.2.0").partial, "11.2.0");
  assertEquals(parseCompiler("clang-15").family, "clang");
  assertEquals(parseCompiler("llvm-15.0.7").family, "clang");
});

Deno.test("parseCompiler() rejects unknown compilers with a UserError", () => {
  const e = assertThrows(() => parseCompiler("icc-19"), UserError);
  assertMatch(e.message, /Unknown compiler "icc-19"/);
});

Deno.test("partial versions resolve to the newest known match, deterministically", () => {
  const newest = knownVersions("gcc")[0]!;
  assertEquals(resolveVersion(parseCompiler("gcc")).version, newest);
  assertEquals(resolveVersion(parseCompiler("gcc-11")).version, "11.5.0");
  assertEquals(resolveVersion(parseCompiler("gcc-11.2")).version, "11.2.0");
  assertEquals(resolveVersion(parseCompiler("gcc-11.2.0")), {
    version: "11.2.0",
    explicit: true,
  });
  assertEquals(resolveVersion(parseCompiler("clang-15")).version, "15.0.7");
});

Deno.test("an unknown version is a UserError naming the nearest releases", () => {
  const e = assertThrows(
    () => resolveVersion(parseCompiler("gcc-11.2.1")),
    UserError,
  );
  assertMatch(e.message, /Unknown gcc version "gcc-11\.2\.1"/);
  assertMatch(e.hint ?? "", /gcc-11\.2\.0/);
});

Deno.test("an installed version outside the catalog is accepted", () => {
  assertEquals(
    resolveVersion(parseCompiler("gcc-7.4.1"), ["7.4.1"]).version,
    "7.4.1",
  );
});

Deno.test("version helpers compare numerically", () => {
  assertEquals(compareVersions("10.1.0", "9.5.0") > 0, true);
  assertEquals(matchesPartial("11.2.0", "1"), false);
  assertEquals(nearestVersions("12.2.0", ["11.3.0", "12.1.0", "14.2.0"], 1), [
    "12.1.0",
  ]);
});
