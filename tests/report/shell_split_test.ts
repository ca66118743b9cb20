import { shellSplit } from "../../src/report/mod.ts";
import { assertEquals } from "../_support/assert.ts";

Deno.test("shellSplit() removes quotes and keeps $VAR and ~ literal", () => {
  assertEquals(
    shellSplit(
      `COMPILER_INSTALL_PATH=$HOME/0day make.cross C=1 CF='-fdiagnostic-prefix -D__CHECK_ENDIAN__' O=build_dir ~/x "a \\"b\\" $c"`,
    ),
    [[
      "COMPILER_INSTALL_PATH=$HOME/0day",
      "make.cross",
      "C=1",
      "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__",
      "O=build_dir",
      "~/x",
      'a "b" $c',
    ]],
  );
});

Deno.test("shellSplit() splits at &&, ; and | and drops comments", () => {
  assertEquals(
    shellSplit(
      "mkdir build_dir && cp config build_dir/.config; echo x | y # c",
    ),
    [["mkdir", "build_dir"], ["cp", "config", "build_dir/.config"], [
      "echo",
      "x",
    ], [
      "y",
    ]],
  );
  assertEquals(shellSplit("# just a comment"), []);
  assertEquals(shellSplit("a\\ b 'c"), [["a b", "c"]]);
});
