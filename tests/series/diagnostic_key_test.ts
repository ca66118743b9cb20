import { assertEquals, assertThrows } from "../_support/assert.ts";
import {
  diagnosticKey,
  formatDiagnostic,
  newDiagnostics,
} from "../../src/series/diagnostic_key.ts";
import { parseDiagnosticLine } from "../../src/series/parse_diagnostic.ts";
import { UserError } from "../../src/errors.ts";

const p = parseDiagnosticLine;

Deno.test("newDiagnostics() ignores diagnostics that only moved lines", () => {
  const before = [
    p("drivers/vfio/vfio.c:1600:26: error: array index in initializer not of integer type"),
  ];
  const after = [
    p("drivers/vfio/vfio.c:1604:26: error: array index in initializer not of integer type"),
    p("drivers/vfio/vfio.c:1609:53: warning: initialized field overwritten [-Woverride-init]"),
  ];
  assertEquals(newDiagnostics(before, after).map((d) => d.line), [1609]);
});

Deno.test("newDiagnostics() sees a warning turned error as new", () => {
  const fresh = newDiagnostics([p("a.c:1: warning: x")], [
    p("a.c:1: error: x"),
  ]);
  assertEquals(fresh.length, 1);
});

Deno.test("diagnosticKey() normalises quotes, spaces and ./", () => {
  assertEquals(
    diagnosticKey(p("./a.c:1:2: error: \u2018x\u2019  undeclared")),
    diagnosticKey(p("a.c:9: error: 'x' undeclared")),
  );
});

Deno.test("parseDiagnosticLine() reads robot lines with or without >>", async (t) => {
  await t.step("with column and flag", () => {
    const d = p(
      ">> drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c:112:18: error: variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
    );
    assertEquals(
      [d.file, d.line, d.column, d.severity, d.flag],
      [
        "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
        112,
        18,
        "error",
        "-Werror=unused-but-set-variable",
      ],
    );
    assertEquals(
      formatDiagnostic(d),
      "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c:112:18: error: variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
    );
  });
  await t.step("without column, fatal error", () => {
    const d = p("a.h:3: fatal error: b.h: No such file or directory");
    assertEquals([d.column, d.severity, d.message], [
      null,
      "fatal error",
      "b.h: No such file or directory",
    ]);
  });
  await t.step("sparse", () => {
    const d = p("a.c:3:4: sparse: sparse: incorrect type in assignment");
    assertEquals([d.tool, d.message], [
      "sparse",
      "incorrect type in assignment",
    ]);
  });
  await t.step("garbage is a user error with a hint", () => {
    const e = assertThrows(
      () => p("it broke"),
      UserError,
      'Cannot read the diagnostic "it broke"',
    );
    assertEquals(typeof e.hint, "string");
  });
});
