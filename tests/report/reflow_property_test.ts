import { parseReport } from "../../src/report/mod.ts";
import type { ParsedReport } from "../../src/report/mod.ts";
import { assertEquals } from "../_support/assert.ts";
import { loadFixtures } from "./_fixtures.ts";
import { hardWrap, prng, reflow } from "./_reflow.ts";

const squash = (s: string) => s.replace(/\s+/g, " ").trim();

function diagnosticsOf(r: ParsedReport) {
  return r.diagnostics.map((d) => ({
    file: d.file,
    line: d.line,
    column: d.column,
    severity: d.severity,
    message: squash(d.message),
    new: d.new,
  }));
}

function keyFields(r: ParsedReport) {
  return {
    tree_url: r.tree_url,
    branch: r.branch,
    commit: r.commit,
    commit_subject: r.commit_subject && squash(r.commit_subject),
    config_name: r.config_name,
    config_url: r.config_url,
    compiler: r.compiler && squash(r.compiler.raw),
    arch: r.arch,
    w: r.w,
    c: r.c,
    make_invocations: r.make_invocations,
    reproduce_url: r.reproduce_url,
    marked: r.marked_lines.map(squash),
  };
}

const SEED = 20260511;
const ROUNDS = 12;

// A mail client wraps at 72-80 columns. A hard wrap wider than every header
// line wraps no header value, so the copy shows no reflow signature and is
// read as pristine mail (never joined): those widths are not a reflow case.
for (
  const [name, rewrap, minWidth, maxWidth] of [
    ["a web-archive reflow", reflow, 40, 130],
    ["a mail client's hard wrap", hardWrap, 60, 100],
  ] as const
) {
  Deno.test(`a report re-wrapped at random widths (${name}) parses to the same diagnostics and build fields`, async (t) => {
    const random = prng(SEED);
    for (const f of loadFixtures()) {
      const pristine = parseReport(f.text);
      const want = diagnosticsOf(pristine);
      const widths = Array.from(
        { length: ROUNDS },
        () => minWidth + Math.floor(random() * (maxWidth - minWidth)),
      );
      await t.step(`${f.id}.txt at widths ${widths.join(",")}`, () => {
        for (const width of widths) {
          const copy = parseReport(rewrap(f.text, width));
          assertEquals(diagnosticsOf(copy), want, `${f.id} at width ${width}`);
          assertEquals(
            keyFields(copy),
            keyFields(pristine),
            `${f.id} at width ${width}`,
          );
        }
      });
    }
  });
}
