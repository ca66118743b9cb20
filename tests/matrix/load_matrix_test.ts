import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../_support/assert.ts";
import { parseMatrix } from "../../src/matrix/load_matrix.ts";
import { locateKey } from "../../src/matrix/_locate.ts";
import { UserError } from "../../src/errors.ts";
import { MINIMAL } from "./_helpers.ts";

Deno.test("parseMatrix() accepts the minimal form from the issue", () => {
  const m = parseMatrix(MINIMAL, "/x/m.toml");
  assertEquals(m.spec.matrix.arch, ["powerpc", "arm64"]);
  assertEquals(m.spec.make, { W: "1" });
  assertEquals(m.dir, "/x");
});

Deno.test("parseMatrix() accepts every shipped example in configs/", async () => {
  for await (const e of Deno.readDir("configs")) {
    if (!e.name.endsWith(".toml")) continue;
    const m = parseMatrix(
      await Deno.readTextFile(`configs/${e.name}`),
      `configs/${e.name}`,
    );
    assert(m.spec.matrix.arch.length > 0, e.name);
  }
});

Deno.test("parseMatrix() points a TOML syntax error at file:line:column", () => {
  const e = assertThrows(
    () => parseMatrix('[matrix]\narch = ["powerpc",\nconfig = x\n', "m.toml"),
    UserError,
  );
  assertStringIncludes(e.message, "m.toml:3:");
  assertStringIncludes(e.message, "invalid TOML");
});

Deno.test("parseMatrix() points a schema error at the key's line", async (t) => {
  await t.step("wrong type", () => {
    const text = MINIMAL.replace('W = "1"', "W = 1");
    const e = assertThrows(() => parseMatrix(text, "m.toml"), UserError);
    assertStringIncludes(e.message, "m.toml:7: make.W:");
  });
  await t.step("unknown top-level key", () => {
    const e = assertThrows(
      () => parseMatrix(`${MINIMAL}\n[[exlcude]]\narch = "x"\n`, "m.toml"),
      UserError,
    );
    assertStringIncludes(e.message, "m.toml:9:");
    assertStringIncludes(e.message, 'unknown key "exlcude"');
  });
  await t.step("unknown arch names the element's key", () => {
    const e = assertThrows(
      () => parseMatrix(MINIMAL.replace('"arm64"', '"ppc9"'), "m.toml"),
      UserError,
    );
    assertStringIncludes(
      e.message,
      'm.toml:2: matrix.arch[1]: unknown arch "ppc9"',
    );
  });
  await t.step("make variables kcross sets itself are refused", () => {
    const e = assertThrows(
      () =>
        parseMatrix(
          MINIMAL.replace('W = "1"', 'CROSS_COMPILE = "x-"'),
          "m.toml",
        ),
      UserError,
    );
    assertStringIncludes(e.message, "m.toml:7: make.CROSS_COMPILE:");
  });
  await t.step("bad CONFIG override in an override table", () => {
    const text =
      `${MINIMAL}[[override]]\nmatch = { arch = "arm64" }\nset = ["WERROR=y"]\n`;
    const e = assertThrows(() => parseMatrix(text, "m.toml"), UserError);
    assertStringIncludes(e.message, "m.toml:10: override[0].set[0]:");
  });
  await t.step("missing axis", () => {
    const e = assertThrows(
      () =>
        parseMatrix(
          '[matrix]\narch = ["powerpc"]\nconfig = ["defconfig"]\n',
          "m.toml",
        ),
      UserError,
    );
    assertStringIncludes(e.message, "m.toml:1: matrix.compiler: is required");
  });
});

Deno.test("locateKey() finds keys in arrays of tables and inline tables", () => {
  const text =
    '[matrix]\narch = ["a"]\n\n[[override]]\nmatch = { arch = "a" }\n[[override]]\nmatch = { config = "b" }\nwerror = "x"\n';
  assertEquals(locateKey(text, ["override", 1, "werror"]), 8);
  assertEquals(locateKey(text, ["override", 1, "match", "config"]), 7);
  assertEquals(locateKey(text, ["override", 0]), 4);
  assertEquals(locateKey(text, ["nothing"]), 1);
});
