import { assertEquals } from "../_support/assert.ts";
import { judgeCell, totalsOf } from "../../src/presubmit/judge.ts";
import {
  answerLine,
  configLabel,
  reportLines,
} from "../../src/presubmit/render.ts";
import { cell, commits, diag, notStarted, step } from "./_fakes.ts";

const T = totalsOf([]);

Deno.test("answerLine() gives the one-line answer for every outcome", () => {
  const at = "/s/presubmit/x/summary.html";
  assertEquals(
    answerLine(
      { ...T, cells: 12, reported: 2, clean: 10, newDiagnostics: 3 },
      at,
    ),
    `presubmit: 2 of 12 cells would be reported (3 new diagnostics) — see ${at}`,
  );
  assertEquals(
    answerLine({ ...T, cells: 4, clean: 4 }, at),
    `presubmit: clean: none of the 4 cells would be reported — see ${at}`,
  );
  assertEquals(
    answerLine({ ...T, cells: 12, clean: 4, notRun: 8 }, at),
    `presubmit: nothing new in the 4 cells that ran; 8 of 12 not checked (8 not run) — see ${at}`,
  );
  assertEquals(
    answerLine({ ...T, cells: 12, notRun: 11, infra: 1 }, at),
    `presubmit: no cell could be checked; 12 of 12 not checked (11 not run, 1 infra) — see ${at}`,
  );
  assertEquals(
    answerLine({ ...T, cells: 1, reported: 1, newDiagnostics: 1 }, at),
    `presubmit: 1 of 1 cells would be reported (1 new diagnostic) — see ${at}`,
  );
});

Deno.test("reportLines() renders a likely report the way the robot writes it", () => {
  const boom = diag(
    "include/uapi/linux/vfio.h",
    608,
    "error",
    "expected identifier before '(' token",
  );
  const v = judgeCell(cell(), commits(1), [step([]), step([boom])]);
  assertEquals(reportLines(v, v.reports[0]!, 1), [
    "kernel test robot noticed the following build errors:",
    "",
    `commit: ${"1".repeat(12)} ("commit 1") [1/1]`,
    "config: powerpc-allmodconfig",
    "compiler: gcc-12.2.0 (gcc-12.2.0-nolibc)",
    "reproduce (this is a W=1 build): kcross build --arch powerpc --config allmodconfig",
    "",
    "All errors (new ones prefixed by >>):",
    "",
    ">> include/uapi/linux/vfio.h:608:5: error: expected identifier before '(' token",
  ]);
  assertEquals(
    configLabel({ inputs: { ...cell().inputs, config: "/x/my.config" } }),
    "my.config",
  );
  const nr = judgeCell(cell(), commits(1), [notStarted("no"), null]);
  assertEquals(nr.reports, []);
});
