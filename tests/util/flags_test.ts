import { assertEquals, assertThrows } from "../_support/assert.ts";
import { parseArgs } from "../../src/util/args.ts";
import {
  ccacheOf,
  COMMON_FLAGS,
  commonSpecs,
  DEPRECATED,
  flagHelp,
  jobsOf,
} from "../../src/util/flags.ts";
import { UserError } from "../../src/errors.ts";

Deno.test("common flags: one spec each, typed values", () => {
  const p = parseArgs(
    ["-j", "3", "--no-ccache", "--json", "x"],
    commonSpecs("jobs", "ccache", "no-ccache", "json"),
  );
  const json: boolean | undefined = p.values.json;
  assertEquals(json, true);
  assertEquals(jobsOf(p), 3);
  assertEquals(ccacheOf(p, true), false);
  assertEquals(p.positionals, ["x"]);
});

Deno.test("common flags: --ccache with --no-ccache is a user error", () => {
  const p = parseArgs(
    ["--ccache", "--no-ccache"],
    commonSpecs("ccache", "no-ccache"),
  );
  assertThrows(() => ccacheOf(p, false), UserError, "not both");
});

Deno.test("common flags: a bad --jobs names the flag", () => {
  const p = parseArgs(["--jobs", "0"], commonSpecs("jobs"));
  assertThrows(() => jobsOf(p), UserError, "--jobs");
});

Deno.test("deprecated alias: value moves to the new name, one note", () => {
  const notes: string[] = [];
  const p = parseArgs(["--concurrency", "4"], commonSpecs("cells"), {
    aliases: [DEPRECATED.concurrency],
    warn: (l) => notes.push(l),
  });
  assertEquals(p.values.cells, "4");
  assertEquals(notes.length, 1);
  assertEquals(
    notes[0]!.includes("--concurrency is deprecated, use --cells"),
    true,
  );
});

Deno.test("deprecated alias: the new spelling wins when both are given", () => {
  const p = parseArgs(
    ["--make-jobs", "2", "--jobs", "5"],
    commonSpecs("jobs"),
    { aliases: [DEPRECATED.makeJobs] },
  );
  assertEquals(p.values.jobs, "5");
});

Deno.test("help lines come from the table and wrap at 79 columns", () => {
  for (
    const name of Object.keys(COMMON_FLAGS) as (keyof typeof COMMON_FLAGS)[]
  ) {
    const text = flagHelp(name, 25);
    for (const line of text.split("\n")) {
      assertEquals(line.length <= 79, true, line);
    }
    assertEquals(text.includes(COMMON_FLAGS[name].shown), true);
  }
});
