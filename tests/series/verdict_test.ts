import { assertEquals } from "../_support/assert.ts";
import { seriesVerdict } from "../../src/series/verdict.ts";
import type { Diagnostic } from "../../src/diagnostics/types.ts";
import type { SeriesStep, StepResult } from "../../src/series/types.ts";

function diag(message: string, line = 1, severity = "error"): Diagnostic {
  return {
    tool: "compiler",
    file: "a.c",
    line,
    column: 1,
    severity,
    message,
    flag: null,
    count: 1,
    objects: [],
  };
}

/** Steps from (result, diagnostics) pairs, with `>>` computed like runSeries. */
function steps(
  spec: [StepResult, Diagnostic[]][],
): SeriesStep[] {
  const out: SeriesStep[] = [];
  let prev: Diagnostic[] = [];
  spec.forEach(([result, diagnostics], i) => {
    const keys = new Set(prev.map((d) => d.message + d.severity));
    out.push({
      index: i + 1,
      sha: String(i + 1).repeat(40),
      subject: `commit ${i + 1}`,
      result,
      recordId: `r${i + 1}`,
      recordDir: "",
      errors: diagnostics.filter((d) => d.severity === "error").length,
      warnings: 0,
      newDiagnostics: diagnostics.filter((d) =>
        !keys.has(d.message + d.severity)
      ),
      diagnostics,
      timings: {},
    });
    if (result === "pass" || result === "fail") prev = diagnostics;
  });
  return out;
}

Deno.test("seriesVerdict() calls a series where every commit builds bisectable", () => {
  const v = seriesVerdict(
    steps([["pass", []], ["pass", [diag("w", 1, "warning")]]]),
    2,
  );
  assertEquals(v.bisectable, true);
  assertEquals(v.breaks, []);
  assertEquals(v.summary, "bisectable: all 2 commits build");
});

Deno.test("seriesVerdict() names the breaking commit and the one that fixes it", () => {
  const v = seriesVerdict(
    steps([
      ["pass", []],
      ["fail", [diag("boom", 10)]],
      ["fail", [diag("boom", 14)]], // moved, still the same break
      ["pass", []],
    ]),
    4,
  );
  assertEquals(v.bisectable, false);
  assertEquals(v.breaks.length, 1);
  assertEquals(v.breaks[0]!.index, 2);
  assertEquals(v.breaks[0]!.fixedBy?.index, 4);
  assertEquals(v.breaks[0]!.errors, ["a.c:10: error: boom"]);
  assertEquals(
    v.summary,
    "not bisectable: commit 2 breaks the build, fixed by commit 4",
  );
});

Deno.test("seriesVerdict() reports a break head never fixes", () => {
  const v = seriesVerdict(steps([["pass", []], ["fail", [diag("x")]]]), 2);
  assertEquals(v.breaks[0]!.fixedBy, null);
  assertEquals(
    v.summary,
    "not bisectable: commit 2 breaks the build, never fixed",
  );
});

Deno.test("seriesVerdict() treats a failing first commit as a break", () => {
  const v = seriesVerdict(steps([["fail", [diag("x")]], ["pass", []]]), 2);
  assertEquals(v.breaks.map((b) => [b.index, b.fixedBy?.index]), [[1, 2]]);
});

Deno.test("seriesVerdict() keeps a second break stacked on a broken build apart", async (t) => {
  const v = seriesVerdict(
    steps([
      ["pass", []],
      ["fail", [diag("A")]],
      ["fail", [diag("A"), diag("B")]],
      ["fail", [diag("B")]], // fixes A only
      ["pass", []], // fixes B
    ]),
    5,
  );
  await t.step("two breaks", () => {
    assertEquals(v.breaks.map((b) => b.index), [2, 3]);
  });
  await t.step("each with its own fix", () => {
    assertEquals(v.breaks.map((b) => b.fixedBy?.index), [4, 5]);
  });
});

Deno.test("seriesVerdict() says a stopped series is incomplete, not bisectable", () => {
  const v = seriesVerdict(steps([["pass", []], ["fail", [diag("x")]]]), 4);
  assertEquals(v.complete, false);
  assertEquals(v.bisectable, false);
  assertEquals(
    v.summary,
    "not bisectable: commit 2 breaks the build, never fixed (stopped after 2 of 4 commits)",
  );
  const clean = seriesVerdict(steps([["pass", []]]), 3);
  assertEquals(
    clean.summary,
    "no break found so far (stopped after 1 of 3 commits)",
  );
});

Deno.test("seriesVerdict() lists commits it could not judge", () => {
  const v = seriesVerdict(
    steps([["pass", []], ["infra-error", []], ["pass", []]]),
    3,
  );
  assertEquals(v.unknown, [2]);
  assertEquals(v.bisectable, false);
  assertEquals(v.breaks, []);
});

Deno.test("seriesVerdict() counts a failure without diagnostics (link error) as a break", () => {
  const v = seriesVerdict(steps([["pass", []], ["fail", []], ["pass", []]]), 3);
  assertEquals(v.breaks.map((b) => [b.index, b.fixedBy?.index]), [[2, 3]]);
});
