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
