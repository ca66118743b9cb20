import {
  compareReported,
  type Diagnostic,
  formatComparison,
  type ReportedDiagnostic,
} from "../../src/diagnostics/mod.ts";
import { assertEquals, assertStringIncludes } from "../_support/assert.ts";
import { goldenDiagnostics } from "./_golden.ts";

/** The seed report's diagnostics (shared/robot-reports/000, as parsed). */
const SEED_REPORT: ReportedDiagnostic[] = [
  {
    file: "include/uapi/linux/vfio.h",
    line: 608,
    column: 37,
    severity: "error",
    message: "expected identifier before '(' token",
    new: true,
  },
  {
    file: "drivers/vfio/vfio.c",
    line: 1600,
    column: 26,
    severity: "error",
    message:
      "'VFIO_DEVICE_STATE_STOP_COPY' undeclared (first use in this function); did you mean 'VFIO_DEVICE_STATE_STOP'?",
    new: true,
  },
  {
    file: "drivers/vfio/vfio.c",
    line: 1607,
    column: 26,
    severity: "error",
    message: "array index in initializer not of integer type",
    new: false,
  },
  {
    file: "include/uapi/linux/vfio.h",
    line: 608,
    column: 37,
    severity: "error",
    message: "expected identifier before '(' token",
    new: true,
  },
];

function found(extra: Partial<Diagnostic>): Diagnostic {
  return {
    tool: "compiler",
    file: "drivers/a.c",
    line: 10,
    column: 3,
    severity: "error",
    message: "boom",
    flag: null,
    count: 1,
    objects: [],
    ...extra,
  };
}

function rep(extra: Partial<ReportedDiagnostic>): ReportedDiagnostic {
  return {
    file: "drivers/a.c",
    line: 10,
    column: 3,
    severity: "error",
    message: "boom",
    new: true,
    ...extra,
  };
}

Deno.test("the seed report against linux-6.1 + the collision: moved header error, renamed file missing → partial", () => {
  const c = compareReported(
    SEED_REPORT,
    goldenDiagnostics("gcc12-powerpc-vfio-seed-intree"),
  );
  assertEquals(c.matches.map((m) => [m.status, m.movedBy]), [
    ["moved", 376],
    ["missing", null],
    ["missing", null],
    ["moved", 376], // the report repeats the line: the same match
  ]);
  assertEquals(c.basis, "new");
  assertEquals(c.verdict, "partial");
  assertEquals(c.counts.moved, 2);
  const text = formatComparison(c).join("\n");
  assertStringIncludes(
    text,
    "moved      >> include/uapi/linux/vfio.h:608:37: error:",
  );
  assertStringIncludes(
    text,
    "moved by +376 lines: include/uapi/linux/vfio.h:984:32",
  );
  assertStringIncludes(text, "verdict: partial");
});

Deno.test("a report of the same tree is reproduced exactly; other build errors are extra", () => {
  const c = compareReported(
    [rep({
      file: "include/uapi/linux/vfio.h",
      line: 984,
      column: 32,
      message: "expected identifier before \u2018(\u2019 token",
    })],
    goldenDiagnostics("gcc12-powerpc-vfio-seed-intree"),
  );
  assertEquals(c.matches[0]?.status, "reproduced");
  assertEquals(c.verdict, "reproduced");
  assertEquals(c.counts.extra, 86);
});

Deno.test("on the base tree the collision is not reproduced; hwirq is extra", () => {
  const c = compareReported(
    SEED_REPORT,
    goldenDiagnostics("gcc12-powerpc-vfio-outoftree"),
  );
  assertEquals(c.verdict, "not-reproduced");
  assertEquals(c.extra.map((d) => d.file), [
    "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
  ]);
});

Deno.test("paths, quotes and whitespace are normalised; a reported null column matches any", () => {
  const c = compareReported(
    [rep({
      file: "./drivers/a.c",
      column: null,
      message: "  \u2018x\u2019  undeclared ",
    })],
    [found({ file: "/k/drivers/a.c", message: "'x' undeclared", column: 9 })],
    { srcTree: "/k" },
  );
  assertEquals(c.matches[0]?.status, "reproduced");
});

Deno.test("a different column on the same line is moved by 0, and still counts as seen", () => {
  const c = compareReported([rep({})], [found({ column: 4 })]);
  assertEquals([c.matches[0]?.status, c.matches[0]?.movedBy], ["moved", 0]);
  assertEquals(c.verdict, "reproduced");
  assertStringIncludes(formatComparison(c).join("\n"), "column moved");
});

Deno.test("moved picks the nearest line and never steals an exact match", () => {
  const c = compareReported(
    [rep({ line: 10 }), rep({ line: 50 })],
    [found({ line: 10 }), found({ line: 40 }), found({ line: 90 })],
  );
  assertEquals(c.matches.map((m) => [m.status, m.found?.line]), [
    ["reproduced", 10],
    ["moved", 40],
  ]);
  assertEquals(c.extra.map((d) => d.line), [90]);
});

Deno.test("verdict rests on all reported lines when none is marked new", () => {
  const c = compareReported(
    [rep({ new: false }), rep({ new: false, message: "other" })],
    [found({})],
  );
  assertEquals([c.basis, c.verdict], ["all", "partial"]);
  const none = compareReported([], [found({})]);
  assertEquals([none.basis, none.verdict], ["none", "not-reproduced"]);
});

Deno.test("only new lines decide: a missing old line does not spoil `reproduced`", () => {
  const c = compareReported(
    [rep({}), rep({ new: false, message: "old" })],
    [found({})],
  );
  assertEquals(c.verdict, "reproduced");
  assertEquals(c.counts.missing, 1);
});

Deno.test("sparse: reported `sparse` severity matches a sparse diagnostic, head-only when types print differently", () => {
  const reported = rep({
    severity: "sparse",
    message:
      "incorrect type in assignment (different base types) @@     expected unsigned long pmd @@     got struct pmd_t [usertype] * @@",
  });
  const exact = found({
    tool: "sparse",
    severity: "warning",
    message: reported.message,
  });
  assertEquals(compareReported([reported], [exact]).verdict, "reproduced");
  const reworded = found({
    tool: "sparse",
    severity: "warning",
    message:
      "incorrect type in assignment (different base types) @@     expected unsigned long [usertype] pmd @@     got struct pmd_t * @@",
  });
  assertEquals(compareReported([reported], [reworded]).verdict, "reproduced");
  const gcc = found({ message: reported.message });
  assertEquals(compareReported([reported], [gcc]).verdict, "not-reproduced");
});

Deno.test("-Werror: a reported warning the build turned into an error is reproduced, with both severities", async (t) => {
  await t.step("gcc [-Werror=x] against the report's [-Wx]", () => {
    // 000's W=1 lines are warnings (the robot's CONFIG_WERROR off); a
    // CONFIG_WERROR=y build of the same line prints an error
    const c = compareReported(
      [rep({
        file: "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
        line: 112,
        column: 18,
        severity: "warning",
        message:
          "variable 'hwirq' set but not used [-Wunused-but-set-variable]",
      })],
      goldenDiagnostics("gcc12-powerpc-vfio-outoftree"),
    );
    assertEquals(c.matches[0]?.status, "reproduced");
    assertEquals(c.matches[0]?.severityHere, "error");
    assertEquals(c.verdict, "reproduced");
    assertEquals(c.counts.extra, 0);
    const text = formatComparison(c).join("\n");
    assertStringIncludes(text, "error here, warning in the report");
  });
  await t.step("clang [-Werror,-Wx], and the line moved", () => {
    const c = compareReported(
      [rep({
        file: "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
        line: 110,
        column: 11,
        severity: "warning",
        message:
          "variable 'hwirq' set but not used [-Wunused-but-set-variable]",
      })],
      goldenDiagnostics("clang15-arm64-vfio-seed"),
    );
    assertEquals(c.matches[0]?.status, "moved");
    assertEquals(c.matches[0]?.movedBy, 2);
    assertEquals(c.matches[0]?.severityHere, "error");
  });
  await t.step(
    "the reverse: the report's [-Werror=x] error, a warning here",
    () => {
      const c = compareReported(
        [rep({
          severity: "error",
          message: "initialized field overwritten [-Werror=override-init]",
        })],
        [found({
          severity: "warning",
          message: "initialized field overwritten [-Woverride-init]",
        })],
      );
      assertEquals(c.matches[0]?.status, "reproduced");
      assertEquals(c.matches[0]?.severityHere, "warning");
    },
  );
  await t.step("gcc's bare [-Werror] against a flagless warning", () => {
    const c = compareReported(
      [rep({
        severity: "warning",
        message: "excess elements in array initializer",
      })],
      [found({
        severity: "error",
        message: "excess elements in array initializer [-Werror]",
      })],
    );
    assertEquals(c.matches[0]?.severityHere, "error");
  });
  await t.step("an error that is not -Werror's stays missing", () => {
    // clang's implicit declarations are errors by default (038): not a
    // -Werror difference, so a warning of the same text does not match
    const c = compareReported(
      [rep({
        severity: "error",
        message:
          "call to undeclared function 'kfree'; ISO C99 and later do not support implicit function declarations [-Wimplicit-function-declaration]",
      })],
      [found({
        severity: "warning",
        message:
          "call to undeclared function 'kfree'; ISO C99 and later do not support implicit function declarations [-Wimplicit-function-declaration]",
      })],
    );
    assertEquals(c.matches[0]?.status, "missing");
  });
  await t.step(
    "on the same line a -Werror twin wins; elsewhere the same severity does",
    () => {
      const c = compareReported(
        [rep({ severity: "warning", message: "m [-Wx]" })],
        [
          found({ severity: "error", message: "m [-Werror=x]" }),
          found({ severity: "warning", message: "m [-Wx]", line: 12 }),
        ],
      );
      assertEquals(c.matches[0]?.status, "reproduced");
      assertEquals(c.matches[0]?.severityHere, "error");
      const elsewhere = compareReported(
        [rep({ severity: "warning", message: "m [-Wx]", line: 20 })],
        [
          found({ severity: "error", message: "m [-Werror=x]", line: 19 }),
          found({ severity: "warning", message: "m [-Wx]", line: 12 }),
        ],
      );
      assertEquals(elsewhere.matches[0]?.status, "moved");
      assertEquals(elsewhere.matches[0]?.severityHere, null);
    },
  );
});

Deno.test("kernel-doc: no column, wording of other kernel-doc releases, moved lines", () => {
  // 041 (a 2025 tree) prints "or struct member"; linux-6.1's kernel-doc
  // (the sparse/kerneldoc golden log) prints "or member"
  const reported = rep({
    file: "drivers/mcb/mcb-core.c",
    line: 270,
    column: null,
    severity: "warning",
    message:
      "Function parameter or struct member 'carrier' not described in 'mcb_alloc_bus'",
  });
  const golden = goldenDiagnostics("gcc12-powerpc-sparse-kerneldoc");
  const c = compareReported([reported], golden);
  assertEquals(c.matches[0]?.status, "reproduced");
  assertEquals(c.matches[0]?.found?.column, null);
  const older = compareReported([{ ...reported, line: 262 }], golden);
  assertEquals(older.matches[0]?.status, "moved");
  assertEquals(older.matches[0]?.movedBy, 8);
});
