import { parseReport } from "../../src/report/mod.ts";
import type { Diagnostic } from "../../src/diagnostics/mod.ts";
import { judgeFix } from "../../src/verify/judge_fix.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { loadFixtures } from "../report/_fixtures.ts";

// The seed report: powerpc-allmodconfig, the VFIO_DEVICE_STATE_STOP collision.
const seed = loadFixtures().find((f) => f.id === "000")!;
const reported = parseReport(seed.text).diagnostics;

/** The report's diagnostics as a build prints them (the report's commit). */
function asBuilt(shift = 0): Diagnostic[] {
  return reported.map((r) => ({
    tool: "compiler",
    file: r.file,
    line: r.line + shift,
    column: r.column,
    severity: r.severity,
    message: r.message,
    flag: null,
    count: 1,
    objects: ["drivers/vfio/vfio.o"],
  }));
}

const unrelated: Diagnostic = {
  tool: "compiler",
  file: "drivers/vfio/vfio.c",
  line: 40,
  column: 5,
  severity: "warning",
  message: "unused variable 'x' [-Wunused-variable]",
  flag: "-Wunused-variable",
  count: 1,
  objects: ["drivers/vfio/vfio.o"],
};

Deno.test("the seed report has >> errors and an old warning to judge", () => {
  assert(reported.filter((r) => r.new).length >= 3);
  assert(reported.some((r) => !r.new));
});

Deno.test("judgeFix() says fixed when every >> diagnostic is gone and nothing is new", () => {
  const j = judgeFix(reported, { base: asBuilt(), fix: [] });
  assertEquals(j.verdict, "fixed");
  assertEquals(j.basis, "new");
  assert(j.rows.every((r) => r.status === "gone" && r.seenAtReport));
  assertEquals(j.introduced, []);
});

Deno.test("judgeFix() says not-fixed when a >> diagnostic is still there, and moved when only its line changed", () => {
  const base = asBuilt();
  const still = judgeFix(reported, { base, fix: base.slice(0, 1) });
  assertEquals(still.verdict, "not-fixed");
  assertEquals(still.rows[0]!.status, "still there");
  assertEquals(still.rows[1]!.status, "gone");

  const moved = judgeFix(reported, { base, fix: asBuilt(12) });
  assertEquals(moved.verdict, "not-fixed");
  assertEquals(moved.rows[0]!.status, "moved");
  assertEquals(moved.rows[0]!.movedBy, 12);
  // moved lines are not new diagnostics
  assertEquals(moved.introduced, []);
});

Deno.test("judgeFix() judges on the >> lines: an old warning left in place does not make it not-fixed", () => {
  const base = asBuilt();
  const oldOnes = base.filter((_, i) => !reported[i]!.new);
  const j = judgeFix(reported, { base, fix: oldOnes });
  assertEquals(j.verdict, "fixed");
  assert(j.rows.some((r) => !r.new && r.status === "still there"));
});

Deno.test("judgeFix() says fixed-with-new-diagnostics when the fix brings a diagnostic the report's commit did not have", () => {
  const j = judgeFix(reported, { base: asBuilt(), fix: [unrelated] });
  assertEquals(j.verdict, "fixed-with-new-diagnostics");
  assertEquals(j.introduced.map((d) => d.message), [unrelated.message]);
  // the same diagnostic at the report's commit too is not introduced
  const k = judgeFix(reported, {
    base: [...asBuilt(), unrelated],
    fix: [{ ...unrelated, line: 41 }],
  });
  assertEquals(k.verdict, "fixed");
});

Deno.test("judgeFix() does not call it fixed when the report's commit did not show the diagnostics here either", () => {
  const j = judgeFix(reported, { base: [], fix: [] });
  assertEquals(j.verdict, "not-fixed");
  assert(j.rows.every((r) => r.status === "gone" && !r.seenAtReport));
  assert(j.notes.some((n) => n.includes("proves nothing")), j.notes.join());
});

Deno.test("judgeFix() keeps a diagnostic still there when the incremental fix build left its object up to date", () => {
  const base = asBuilt();
  const j = judgeFix(reported, {
    base,
    fix: [],
    rebuilt: new Set(["drivers/vfio/pci/vfio_pci.o"]),
  });
  assertEquals(j.verdict, "not-fixed");
  assert(j.rows.every((r) => r.status === "still there" && r.notRebuilt));
  // rebuilt: gone is gone
  const k = judgeFix(reported, {
    base,
    fix: [],
    rebuilt: new Set(["drivers/vfio/vfio.o"]),
  });
  assertEquals(k.verdict, "fixed");
});

Deno.test("judgeFix() has nothing to check against a report without file:line diagnostics", () => {
  const j = judgeFix([], { base: [], fix: [] });
  assertEquals(j.verdict, "not-fixed");
  assertEquals(j.basis, "none");
});
