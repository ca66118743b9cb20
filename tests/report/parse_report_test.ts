import { parseReport } from "../../src/report/mod.ts";
import { UserError } from "../../src/errors.ts";
import { assert, assertEquals, assertThrows } from "../_support/assert.ts";
import { loadFixtures } from "./_fixtures.ts";

/** Keys of expected.json that are not extracted from the report text. */
const IGNORED = new Set(["file", "message_id", "meta"]);
/** reproduce_file keys that describe the fixture, not the script. */
const IGNORED_IN_REPRODUCE = new Set(["file", "origin"]);

function withoutKeys(value: unknown, keys: Set<string>): unknown {
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).filter(([k]) => !keys.has(k)),
  );
}

Deno.test("parseReport() gives every shared fixture its expected parse, field by field", async (t) => {
  const fixtures = loadFixtures();
  assert(fixtures.length >= 30, `only ${fixtures.length} fixtures found`);
  for (const f of fixtures) {
    await t.step(`${f.id}.txt`, () => {
      const got = parseReport(
        f.text,
        f.reproduce === undefined ? {} : { reproduceText: f.reproduce },
      ) as unknown as Record<string, unknown>;
      for (const [key, want] of Object.entries(f.expected)) {
        if (IGNORED.has(key)) continue;
        if (key === "reproduce_file") {
          assertEquals(
            withoutKeys(got[key], IGNORED_IN_REPRODUCE),
            withoutKeys(want, IGNORED_IN_REPRODUCE),
            `${f.id}: ${key}`,
          );
          continue;
        }
        assertEquals(got[key], want, `${f.id}: ${key}`);
      }
      if (!("reproduce_file" in f.expected)) {
        assertEquals(got["reproduce_file"], null, `${f.id}: reproduce_file`);
      }
    });
  }
});

Deno.test("parseReport() flags a truncated config URL from a web archive but keeps it verbatim", () => {
  const f = loadFixtures().find((x) => x.id === "000")!;
  const r = parseReport(f.text);
  assert(r.config_url!.endsWith("..."));
  assert(
    r.warnings.some((w) => w.includes("config URL is truncated")),
    JSON.stringify(r.warnings),
  );
});

Deno.test("parseReport() refuses input that is not a robot report, naming what is missing", () => {
  const e = assertThrows(
    () => parseReport("Hello,\n\nthis is just a letter.\n"),
    UserError,
  );
  assert(/no "tree:" or "url:" line/.test(e.message), e.message);
});

Deno.test("parseReport() refuses the top half of a report without its diagnostics section", () => {
  const f = loadFixtures().find((x) => x.id === "026")!;
  const half = f.text.slice(0, f.text.indexOf("All errors"));
  const e = assertThrows(() => parseReport(half), UserError);
  assert(/no diagnostics section/.test(e.message), e.message);
  const lenient = parseReport(half, { lenient: true });
  assertEquals(lenient.commit, "99b619b37ae151dc0fcdffcae48b5a5ad90ebde8");
  assertEquals(lenient.diagnostics, []);
});

Deno.test("parseReport() refuses the bottom half of a report without its tree", () => {
  const f = loadFixtures().find((x) => x.id === "026")!;
  const half = f.text.slice(f.text.indexOf("All errors"));
  const e = assertThrows(() => parseReport(half), UserError);
  assert(/no "tree:" or "url:" line/.test(e.message), e.message);
});

Deno.test("parseReport() refuses binary data", () => {
  const bin = String.fromCharCode(
    ...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256),
  );
  const e = assertThrows(() => parseReport(bin), UserError);
  assert(/binary/.test(e.message), e.message);
});

Deno.test("parseReport() refuses a 50 MB input quickly", () => {
  const big = "x".repeat(50 * 1024 * 1024);
  const e = assertThrows(() => parseReport(big), UserError);
  assert(/too large/.test(e.message), e.message);
});

Deno.test("parseReport() reads a bare reproduce script as build steps", () => {
  const f = loadFixtures().find((x) => x.id === "044")!;
  const r = parseReport(f.reproduce!);
  assertEquals(r.report_type, null);
  assertEquals(r.commit, "86731a2a651e58953fc949573895f2fa6d456841");
  assertEquals(r.arch, "mips");
  assertEquals(r.w, 1);
  assertEquals(
    r.reproduce_file?.b4_shazam,
    "https://lore.kernel.org/r/20250708-smp_calib-v3-1-6dabf01a7d9f@bootlin.com",
  );
});

Deno.test("parseReport() stays linear on pathological lines (no regex backtracking blow-up)", async (t) => {
  const N = 60_000;
  const lines: [string, string][] = [
    ["a path of dots", "a.".repeat(N)],
    ["a marked line then dots", "> x.c:1:2: error: m\n" + "a.".repeat(N)],
    [
      "calls closed at the end",
      "> x.c:1:2: error: m\n" + "f(".repeat(N) + ")x",
    ],
    ["repeated flag openers", "> x.c:1:2: error: m\n" + "[-W".repeat(N) + "x"],
    ["unclosed curly quotes", "> x.c:1:2: error: m\n" + "\u2018".repeat(N)],
    ["colons", ">> " + "a:".repeat(N) + "1:"],
    ["include chain", "from " + "a:1".repeat(N) + "x"],
    ["sparse markers", "x" + "@@".repeat(N)],
    ["carets", "^ ".repeat(N) + "x"],
  ];
  for (const [name, line] of lines) {
    await t.step(name, () => {
      const text = [
        "tree: https://example.org/linux.git main",
        "reproduce:",
        "        " + "/a".repeat(N),
        "        make " + "A=".repeat(N),
        "",
        "All errors (new ones prefixed by >>):",
        line,
        "vim +1 x.c",
      ].join("\n");
      const r = parseReport(text);
      assertEquals(r.report_type, "branch");
    });
  }
});
