import { assertEquals } from "../_support/assert.ts";
import { judgeStep } from "../../src/series/judge.ts";
import { parseDiagnosticLine as p } from "../../src/series/parse_diagnostic.ts";
import type { StepBuild } from "../../src/series/types.ts";

function build(result: StepBuild["result"], lines: string[]): StepBuild {
  return {
    result,
    recordId: "r",
    recordDir: "",
    diagnostics: lines.map((l) => p(l)),
    timings: {},
  };
}

const target = [
  p("include/uapi/linux/vfio.h:608:37: error: expected identifier before '(' token"),
];

Deno.test("judgeStep() marks bad when the diagnostic appears on another line", () => {
  const j = judgeStep(
    target,
    build("fail", [
      "include/uapi/linux/vfio.h:1003:37: error: expected identifier before \u2018(\u2019 token",
    ]),
  );
  assertEquals(j.mark, "bad");
  assertEquals(j.matched.length, 1);
});

Deno.test("judgeStep() marks good a build that passes without it", () => {
  assertEquals(
    judgeStep(target, build("pass", ["a.c:1: warning: x"])).mark,
    "good",
  );
  assertEquals(judgeStep(target, build("empty", [])).mark, "good");
});

Deno.test("judgeStep() skips a build that fails for another reason", () => {
  const j = judgeStep(target, build("fail", ["a.c:1: error: other"]));
  assertEquals(j.mark, "skip");
  assertEquals(j.reason, "fails for another reason (1 other errors)");
});

Deno.test("judgeStep() needs the same file, not just the same message", () => {
  const j = judgeStep(
    target,
    build("fail", [
      "include/linux/other.h:608:37: error: expected identifier before '(' token",
    ]),
  );
  assertEquals(j.mark, "skip");
});
