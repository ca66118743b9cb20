/**
 * The robot's own diagnostic lines (tests/fixtures/robot-reports, real
 * reports from 2019 to 2026: gcc, clang, sparse, kernel-doc, many arches)
 * read by the extractor, and compared with what the report parser expects.
 */
import {
  compareReported,
  diagnosticKey,
  extractDiagnostics,
  type ReportedDiagnostic,
} from "../../src/diagnostics/mod.ts";
import { assert, assertEquals } from "../_support/assert.ts";

const dir = new URL("../fixtures/robot-reports/", import.meta.url).pathname;

function reports(): {
  id: string;
  text: string;
  expected: ReportedDiagnostic[];
}[] {
  // A missing folder throws here, at load: a moved fixture set must fail,
  // not register no tests and pass.
  return [...Deno.readDirSync(dir)].map((e) => e.name)
    .map((n) => /^(\d+)\.expected\.json$/.exec(n)?.[1])
    .filter((id): id is string => id !== undefined && id !== "000") // 000 is reflowed
    .sort()
    .map((id) => ({
      id,
      text: Deno.readTextFileSync(`${dir}${id}.txt`),
      expected: (JSON.parse(
        Deno.readTextFileSync(`${dir}${id}.expected.json`),
      ) as { diagnostics: ReportedDiagnostic[] }).diagnostics,
    }));
}

/** The report's lines with the robot's `>> `/`<< `/three-space prefix removed. */
function unprefixed(text: string): string {
  return text.split("\n").map((l) => /^(>> |<< | {3})/.test(l) ? l.slice(3) : l)
    .join("\n");
}

const all = reports();

Deno.test("robot reports: the fixture set is there (at least 30 reports)", () => {
  assert(all.length >= 30, `only ${all.length} robot reports in ${dir}`);
});

for (const r of all) {
  Deno.test(`robot report ${r.id}: every reported diagnostic is extracted, and compares as reproduced`, () => {
    const found = extractDiagnostics(unprefixed(r.text));
    const keys = new Set(found.map(diagnosticKey));
    for (const d of r.expected) {
      assert(keys.has(diagnosticKey(d)), `not extracted: ${diagnosticKey(d)}`);
    }
    const c = compareReported(r.expected, found);
    assertEquals(c.counts.missing, 0);
    assertEquals(c.counts.moved, 0);
    if (r.expected.length > 0) assertEquals(c.verdict, "reproduced");
  });
}
