import {
  diagnosticKey,
  movedKey,
  normalizeDiagnostic,
  normalizeMessage,
  normalizePath,
  normalizeSeverity,
} from "../../src/diagnostics/mod.ts";
import { assertEquals } from "../_support/assert.ts";

Deno.test("normalizePath() strips srctree, O= dir, ./ and ../ and inner ..", () => {
  assertEquals(normalizePath("./drivers/a.c"), "drivers/a.c");
  assertEquals(normalizePath("../../drivers/a.c"), "drivers/a.c");
  assertEquals(normalizePath("drivers/x/../a.c"), "drivers/a.c");
  assertEquals(
    normalizePath("/k/drivers/a.c", { srcTree: "/k/" }),
    "drivers/a.c",
  );
  assertEquals(
    normalizePath("/k/out/include/generated/x.h", {
      srcTree: "/k",
      outDir: "/k/out",
    }),
    "include/generated/x.h",
  );
  assertEquals(
    normalizePath("/usr/include/stdio.h", { srcTree: "/k" }),
    "/usr/include/stdio.h",
  );
  assertEquals(normalizePath(null), null);
});

Deno.test("normalizeMessage() makes quotes ASCII and collapses whitespace", () => {
  assertEquals(
    normalizeMessage(
      "  \u2018VFIO_DEVICE_STATE_STOP_COPY\u2019 undeclared\n (first use)  ",
    ),
    "'VFIO_DEVICE_STATE_STOP_COPY' undeclared (first use)",
  );
  assertEquals(normalizeMessage("\u201cx\u201d"), '"x"');
});

Deno.test("normalizeSeverity(): sparse is `sparse` whatever sparse printed", () => {
  assertEquals(
    normalizeSeverity({ severity: "warning", tool: "sparse" }),
    "sparse",
  );
  assertEquals(
    normalizeSeverity({ severity: "ERROR", tool: "modpost" }),
    "error",
  );
  assertEquals(normalizeSeverity({ severity: "fatal error" }), "fatal error");
});

Deno.test("normalizeDiagnostic() keeps the other fields", () => {
  const d = normalizeDiagnostic({
    file: "../drivers/a.c",
    line: 3,
    column: 4,
    severity: "error",
    message: "expected \u2018;\u2019",
    new: true,
  });
  assertEquals(d, {
    file: "drivers/a.c",
    line: 3,
    column: 4,
    severity: "error",
    message: "expected ';'",
    new: true,
  });
});

Deno.test("diagnosticKey() equal across spellings; movedKey() ignores line and column", () => {
  const a = {
    file: "./a.c",
    line: 1,
    column: 2,
    severity: "error",
    message: "x  y",
  };
  const b = {
    file: "a.c",
    line: 1,
    column: 2,
    severity: "error",
    message: "x y",
  };
  const c = { ...b, line: 9, column: 1 };
  assertEquals(diagnosticKey(a), diagnosticKey(b));
  assertEquals(diagnosticKey(b) === diagnosticKey(c), false);
  assertEquals(movedKey(b), movedKey(c));
  assertEquals(
    diagnosticKey({ ...b, tool: "linker" }) === diagnosticKey(b),
    false,
  );
});
