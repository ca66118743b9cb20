/**
 * kcross's own argument scanner against node's parseArgs (strict, with
 * positionals), whose rules it keeps: the same values and positionals for
 * every accepted command line, and an error wherever node gives one.
 */
import { assertEquals, assertThrows } from "../_support/assert.ts";
import { parseArgs as nodeParseArgs } from "node:util";
import { type OptionSpecs, parseArgs } from "../../src/util/args.ts";
import { UserError } from "../../src/errors.ts";

const specs = {
  json: { type: "boolean" },
  quiet: { type: "boolean", short: "q" },
  verbose: { type: "boolean", short: "v" },
  jobs: { type: "string", short: "j" },
  out: { type: "string", short: "o" },
  fragment: { type: "string", multiple: true, short: "f" },
} as const satisfies OptionSpecs;

function node(args: string[]) {
  try {
    const p = nodeParseArgs({
      args,
      options: specs,
      allowPositionals: true,
      strict: true,
    });
    return { values: { ...p.values }, positionals: p.positionals };
  } catch {
    return null;
  }
}

function ours(args: string[]) {
  try {
    const p = parseArgs(args, specs);
    return { values: { ...p.values }, positionals: p.positionals };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return null;
  }
}

const lines: string[][] = [
  [],
  ["x"],
  ["--json", "x", "y"],
  ["a", "--json", "b"],
  ["--jobs", "4"],
  ["--jobs=4"],
  ["--jobs="],
  ["-j4"],
  ["-j", "4"],
  ["-j=4"],
  ["-qv"],
  ["-qvj4"],
  ["-qvj", "4"],
  ["-vq", "x"],
  ["--out", "a b", "--out", "c"],
  ["-f", "a", "--fragment", "b", "--fragment=c", "-fd"],
  ["--", "--json", "-j"],
  ["x", "--", "--", "y"],
  ["-"],
  ["--out", "-"],
  ["--jobs", "-1"],
  ["--jobs=-1"],
  ["-j", "-1"],
  ["-j-1"],
  ["--jobs"],
  ["-j"],
  ["--json=yes"],
  ["--nope"],
  ["-x"],
  ["-qx"],
  ["--constructor"],
  ["--__proto__"],
  ["--toString=1"],
  ["-1"],
  ["--JSON"],
  ["--json", "--json"],
];

Deno.test("args: the same parse as node's strict parseArgs on every line", () => {
  for (const line of lines) {
    assertEquals(ours(line), node(line), JSON.stringify(line));
  }
});

Deno.test("args: errors name the option and what is wrong", () => {
  const cases: [string[], string][] = [
    [["--nope"], "Bad arguments: unknown option --nope"],
    [["-x"], "Bad arguments: unknown option -x"],
    [["--json=1"], "Bad arguments: --json takes no value"],
    [["--jobs"], "Bad arguments: --jobs needs a value"],
    [["-j"], "Bad arguments: -j needs a value"],
    [["--out", "--json"], 'not the option-like "--json"'],
  ];
  for (const [line, text] of cases) {
    const e = assertThrows(() => parseArgs(line, specs), UserError);
    if (!e.message.includes(text)) {
      throw new Error(`${JSON.stringify(line)}: ${e.message}`);
    }
    assertEquals(e.hint, "run with --help to see the options");
  }
});

Deno.test("args: a deprecated alias lands on its new name, with a note", () => {
  const notes: string[] = [];
  const p = parseArgs(["--make-jobs", "3", "x"], specs, {
    aliases: [{
      name: "make-jobs",
      spec: { type: "string" },
      to: "jobs",
      spelling: "--make-jobs",
    }],
    warn: (l) => notes.push(l),
  });
  assertEquals(p.values.jobs, "3");
  assertEquals("make-jobs" in p.values, false);
  assertEquals(p.positionals, ["x"]);
  assertEquals(notes.length, 1);
});
