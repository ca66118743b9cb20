import {
  type Diagnostic,
  diagnosticKey,
  formatDiagnostic,
  formatRobot,
} from "../../src/diagnostics/mod.ts";
import { assertEquals } from "../_support/assert.ts";

function d(extra: Partial<Diagnostic>): Diagnostic {
  return {
    tool: "compiler",
    file: "drivers/a.c",
    line: 3,
    column: 7,
    severity: "error",
    message: "boom",
    flag: null,
    count: 1,
    objects: [],
    ...extra,
  };
}

Deno.test("formatDiagnostic(): each tool in the shape the robot prints", () => {
  assertEquals(formatDiagnostic(d({})), "drivers/a.c:3:7: error: boom");
  assertEquals(
    formatDiagnostic(
      d({ tool: "kernel-doc", column: null, severity: "warning" }),
    ),
    "drivers/a.c:3: warning: boom",
  );
  assertEquals(
    formatDiagnostic(d({ tool: "sparse", severity: "warning" })),
    "drivers/a.c:3:7: sparse: sparse: boom",
  );
  assertEquals(
    formatDiagnostic(
      d({
        tool: "modpost",
        file: null,
        line: null,
        column: null,
        severity: "ERROR",
        message: '"x" [a.ko] undefined!',
      }),
    ),
    'ERROR: modpost: "x" [a.ko] undefined!',
  );
  assertEquals(
    formatDiagnostic(
      d({
        tool: "objtool",
        file: "a.o",
        line: null,
        column: null,
        severity: "warning",
        message: "f()+0x1: x",
      }),
    ),
    "a.o: warning: objtool: f()+0x1: x",
  );
  assertEquals(
    formatDiagnostic(
      d({
        tool: "linker",
        file: null,
        line: null,
        column: null,
        message: "undefined reference to `g'",
      }),
    ),
    "ld: undefined reference to `g'",
  );
  assertEquals(
    formatDiagnostic(
      d({
        tool: "linker",
        file: null,
        line: null,
        column: null,
        message: "undefined symbol: g",
      }),
    ),
    "ld: error: undefined symbol: g",
  );
  assertEquals(
    formatDiagnostic(
      d({
        tool: "make",
        file: null,
        line: null,
        column: null,
        message: "No rule to make target 'x'",
      }),
    ),
    "make: *** No rule to make target 'x'",
  );
});

Deno.test("formatRobot(): `>> ` for new ones by object or by key, three spaces otherwise", () => {
  const a = d({ line: 1 });
  const b = d({ line: 2 });
  const c = d({ line: 3 });
  assertEquals(
    formatRobot([a, b, c], { newSet: new Set([a, diagnosticKey(c)]) }),
    [
      ">> drivers/a.c:1:7: error: boom",
      "   drivers/a.c:2:7: error: boom",
      ">> drivers/a.c:3:7: error: boom",
    ],
  );
  assertEquals(formatRobot([a]), ["   drivers/a.c:1:7: error: boom"]);
});
