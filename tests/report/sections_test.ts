import { parseSections } from "../../src/report/sections.ts";
import { assertEquals } from "../_support/assert.ts";

const messages = (lines: string[]) =>
  parseSections([
    "All errors (new ones prefixed by >>):",
    ...lines,
    "vim +1 a.c",
  ])
    .diagnostics.map((d) =>
      `${d.new ? ">>" : ""}${d.file}:${d.line}: ${d.message}`
    );

Deno.test("parseSections() joins wrapped tails of reflowed diagnostics back", () => {
  assertEquals(
    messages([
      "> a.c:1:2: fatal error:",
      "b.h: No such file or directory",
      "compilation terminated.",
      "> a.c:3:4: warning: right shift count",
      ">= width of type [-Wshift-count-overflow]",
      "a.c:5:6: error: storage size of 'imode' isn't",
      "known",
      "5 | enum x imode;",
      "| ^~~~~",
    ]),
    [
      ">>a.c:1: b.h: No such file or directory",
      ">>a.c:3: right shift count >= width of type [-Wshift-count-overflow]",
      "a.c:5: storage size of 'imode' isn't known",
    ],
  );
});

Deno.test("parseSections() stops a reflowed message at bare code, a caret below, or a new sentence after a question", () => {
  assertEquals(
    messages([
      "> a.c:1:2: error: conflicting types for 'f'",
      "void f(struct",
      "foo *p)",
      "^",
      "> a.c:3:4: warning: assignment makes integer from pointer without a",
      "cast [-Wint-conversion]",
      "x->y = g(x->z,",
      "^",
      "> a.c:5:6: sparse: sparse: symbol 'q' was not declared. Should it be",
      "static?",
      "Please review and possibly fold the followup patch.",
    ]),
    [
      ">>a.c:1: conflicting types for 'f'",
      ">>a.c:3: assignment makes integer from pointer without a cast [-Wint-conversion]",
      ">>a.c:5: symbol 'q' was not declared. Should it be static?",
    ],
  );
});

Deno.test("parseSections() never joins lines in a pristine mail", () => {
  assertEquals(
    messages([
      ">> a.c:1:2: error: short",
      "Unrelated prose at column 0",
      "   a.c:3:4: warning: old one [-Wx]",
      "--",
      ">> b.c:5:6: error: next group",
    ]),
    [">>a.c:1: short", "a.c:3: old one [-Wx]", ">>b.c:5: next group"],
  );
});

Deno.test("parseSections() reads quoted and paren-less tool headers, and skips Kconfig sections", () => {
  const p = parseSections([
    '"sparse warnings: (new ones prefixed by >>)"',
    ">> a.c:1:2: sparse: sparse: bad",
    "smatch warnings:",
    "a.c:3 f() warn: odd",
    "Kconfig warnings: (for reference only)",
    ">> x.c:1:1: error: not read here",
    "vim +1 a.c",
  ]);
  assertEquals(p.sections, [
    '"sparse warnings: (new ones prefixed by >>)"',
    "smatch warnings:",
    "Kconfig warnings: (for reference only)",
  ]);
  assertEquals(p.diagnostics.length, 1);
  assertEquals(p.hasSparse, true);
});
