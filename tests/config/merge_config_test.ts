import { assertEquals, assertThrows } from "../_support/assert.ts";
import {
  findDropped,
  mergeConfig,
  parseConfig,
  parseSet,
  requestedValues,
} from "../../src/config/merge_config.ts";
import { UserError } from "../../src/errors.ts";

Deno.test("parseConfig() reads set, =n and 'is not set' lines, last one winning", () => {
  const m = parseConfig(
    'CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=n\nCONFIG_S="x y"\n# comment\nCONFIG_A=m\n',
  );
  assertEquals([...m], [
    ["CONFIG_A", "m"],
    ["CONFIG_B", null],
    ["CONFIG_C", null],
    ["CONFIG_S", '"x y"'],
  ]);
});

Deno.test("parseSet() accepts the override forms and rejects anything else", () => {
  assertEquals(parseSet("CONFIG_X=y"), { symbol: "CONFIG_X", value: "y" });
  assertEquals(parseSet("X=m"), { symbol: "CONFIG_X", value: "m" });
  assertEquals(parseSet("CONFIG_X=n"), { symbol: "CONFIG_X", value: null });
  assertEquals(parseSet("# CONFIG_X is not set"), {
    symbol: "CONFIG_X",
    value: null,
  });
  assertThrows(() => parseSet("enable X"), UserError, "Bad config override");
});

Deno.test("mergeConfig() removes each fragment symbol from the base and appends the fragment, like merge_config.sh", () => {
  const base = "CONFIG_A=y\nCONFIG_B=y\n# CONFIG_C is not set\nCONFIG_D=y\n";
  const merged = mergeConfig(base, [
    { name: "one.config", text: "# frag one\nCONFIG_B=m\nCONFIG_C=y\n" },
    { name: "two.config", text: "# CONFIG_B is not set\nCONFIG_E=y\n" },
  ]);
  assertEquals(
    merged.text,
    "CONFIG_A=y\nCONFIG_D=y\n# frag one\nCONFIG_C=y\n# CONFIG_B is not set\nCONFIG_E=y\n",
  );
  assertEquals(
    merged.notes.map((n) => [n.from, n.symbol, n.previous, n.value]),
    [
      ["one.config", "CONFIG_B", "y", "m"],
      ["one.config", "CONFIG_C", null, "y"],
      ["two.config", "CONFIG_B", "m", null],
    ],
  );
});

Deno.test("findDropped() reports requested values the final config does not have", () => {
  const requested = requestedValues([
    { name: "f", text: "CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\n" },
    { name: "--set", text: 'CONFIG_S="v"\nCONFIG_A=m\n' },
  ]);
  const final = parseConfig('CONFIG_A=m\nCONFIG_B=y\nCONFIG_S="v"\n');
  assertEquals(findDropped(requested, final), [
    { symbol: "CONFIG_B", requested: "m", actual: "y", reason: null },
  ]);
});
