import { assertEquals } from "../_support/assert.ts";
import {
  evalKconfigExpr,
  explainDropped,
  readKconfigDefinitions,
} from "../../src/config/kconfig_deps.ts";
import { parseConfig } from "../../src/config/merge_config.ts";

Deno.test("evalKconfigExpr() uses tristate logic with comparisons", () => {
  const cfg = parseConfig("CONFIG_A=y\nCONFIG_B=m\nCONFIG_N=5\n");
  assertEquals(evalKconfigExpr("A", cfg), 2);
  assertEquals(evalKconfigExpr("B", cfg), 1);
  assertEquals(evalKconfigExpr("A && B", cfg), 1);
  assertEquals(evalKconfigExpr("C || B", cfg), 1);
  assertEquals(evalKconfigExpr("!C", cfg), 2);
  assertEquals(evalKconfigExpr("!B", cfg), 1);
  assertEquals(evalKconfigExpr("B=m && A!=n", cfg), 2);
  assertEquals(evalKconfigExpr("N >= 4 && (C || A)", cfg), 2);
});

Deno.test("readKconfigDefinitions() follows source, if and menu, skipping help text", async () => {
  const root = await Deno.makeTempDir({ prefix: "kcross-kconfig-" });
  try {
    await Deno.mkdir(`${root}/arch/ppc`, { recursive: true });
    await Deno.mkdir(`${root}/drivers`, { recursive: true });
    await Deno.writeTextFile(
      `${root}/Kconfig`,
      'source "arch/$(SRCARCH)/Kconfig"\nsource "drivers/Kconfig"\n',
    );
    await Deno.writeTextFile(
      `${root}/arch/ppc/Kconfig`,
      "config PPC\n\tdef_bool y\n",
    );
    await Deno.writeTextFile(
      `${root}/drivers/Kconfig`,
      [
        'menu "x"',
        "\tdepends on PPC",
        "if PCI",
        "config FOO",
        '\ttristate "foo" # trailing comment',
        "\tdepends on BAR && \\",
        "\t  !BAZ",
        "\thelp",
        "\t  depends on NOT_A_DEP",
        "",
        "\t  still help",
        "config OTHER",
        "\tbool",
        "endif",
        "endmenu",
        'rsource "missing/Kconfig"',
      ].join("\n"),
    );
    const defs = await readKconfigDefinitions(
      root,
      "ppc",
      new Set(["FOO", "PPC", "OTHER"]),
    );
    assertEquals(defs.get("FOO"), [{
      symbol: "FOO",
      file: "drivers/Kconfig",
      line: 4,
      dependsOn: ["PPC", "PCI", "BAR &&  !BAZ"],
    }]);
    assertEquals(defs.get("OTHER")?.[0]?.dependsOn, ["PPC", "PCI"]);
    assertEquals(defs.get("PPC")?.[0]?.file, "arch/ppc/Kconfig");
    const cfg = parseConfig("CONFIG_PPC=y\nCONFIG_PCI=y\nCONFIG_BAZ=y\n");
    assertEquals(
      explainDropped("CONFIG_FOO", "m", defs.get("FOO"), cfg),
      "depends on BAR &&  !BAZ (BAR=n, BAZ=y)",
    );
    assertEquals(
      explainDropped("CONFIG_NOPE", "y", undefined, cfg),
      "NOPE is not defined by any Kconfig file for this architecture",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
