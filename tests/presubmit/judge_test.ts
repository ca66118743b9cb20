import { assertEquals } from "../_support/assert.ts";
import {
  judgeCell,
  presubmitExitCode,
  totalsOf,
} from "../../src/presubmit/judge.ts";
import { cell, commits, diag, notStarted, step } from "./_fakes.ts";

const OLD = diag("drivers/vfio/a.c", 10, "warning", "old warning");
const BOOM = diag(
  "include/uapi/linux/vfio.h",
  608,
  "error",
  "expected identifier",
);

Deno.test("judgeCell() reports what is new relative to the base, once, at the first commit that shows it", async (t) => {
  const v = judgeCell(cell(), commits(3), [
    step([OLD]),
    step([OLD]),
    step([OLD, BOOM]),
    step([{ ...OLD, line: 42 }, { ...BOOM, line: 611 }]),
  ]);
  await t.step("reported at commit 2 only", () => {
    assertEquals(v.status, "reported");
    assertEquals(v.reports.map((r) => r.commit.index), [2]);
    assertEquals(v.reports[0]!.kind, "error");
    assertEquals(v.reports[0]!.failed, true);
    assertEquals(v.reports[0]!.newDiagnostics, [BOOM]);
  });
  await t.step("line moves are not new; counts per commit", () => {
    assertEquals(v.newCounts, [0, 0, 1, 1]);
  });
  await t.step("robot-style lines: the new one >>", () => {
    assertEquals(v.reports[0]!.lines, [
      ">> include/uapi/linux/vfio.h:608:5: error: expected identifier",
    ]);
  });
});

Deno.test("judgeCell() quotes the other diagnostics of the files concerned, and a later new one separately", () => {
  const fresh = diag("drivers/vfio/a.c", 20, "warning", "unused variable 'x'");
  const later = diag("drivers/vfio/b.c", 3, "warning", "shadowed");
  const v = judgeCell(cell(), commits(2), [
    step([OLD]),
    step([OLD, fresh]),
    step([OLD, fresh, later]),
  ]);
  assertEquals(v.reports.map((r) => [r.commit.index, r.kind]), [
    [1, "warning"],
    [2, "warning"],
  ]);
  assertEquals(v.reports[0]!.lines, [
    "   drivers/vfio/a.c:10:5: warning: old warning",
    ">> drivers/vfio/a.c:20:5: warning: unused variable 'x'",
  ]);
  assertEquals(v.reports[1]!.lines, [
    ">> drivers/vfio/b.c:3:5: warning: shadowed",
  ]);
});

Deno.test("judgeCell() reports a diagnostic a later commit fixes (the robot builds every commit)", () => {
  const v = judgeCell(cell(), commits(2), [step([]), step([BOOM]), step([])]);
  assertEquals(v.status, "reported");
  assertEquals(v.reports[0]!.commit.index, 1);
});

Deno.test("judgeCell() ignores make's own lines, unless they are all a broken build has", () => {
  const make = diag("", 0, "error", "[Makefile:1: all] Error 2", "make");
  const quiet = judgeCell(cell(), commits(1), [
    step([]),
    step([OLD, make]),
  ]);
  assertEquals(quiet.reports[0]!.newDiagnostics, [OLD]);
  const broken = judgeCell(cell(), commits(1), [
    step([]),
    step([make], { result: "fail" }),
  ]);
  assertEquals(broken.status, "reported");
  assertEquals(broken.reports[0]!.newDiagnostics, [make]);
  const clean = judgeCell(cell(), commits(2), [
    step([OLD]),
    step([OLD]),
    step([
      OLD,
    ]),
  ]);
  assertEquals(clean.status, "clean");
  assertEquals(clean.reports, []);
});

Deno.test("judgeCell() says a cell whose base could not start was not run, with the reason", () => {
  const v = judgeCell(cell("x86_64", "allyesconfig", "clang-20"), commits(2), [
    notStarted('Cannot get clang 20: Cannot reach "https://cdn.kernel.org/"'),
    null,
    null,
  ]);
  assertEquals(v.status, "not-run");
  assertEquals(
    v.reason,
    'Cannot get clang 20: Cannot reach "https://cdn.kernel.org/"',
  );
});

Deno.test("judgeCell() marks infra and interrupted builds, and keeps a report found before them", () => {
  const infra = judgeCell(cell(), commits(2), [
    step([]),
    step([]),
    step([], { result: "infra", message: "disk full" }),
  ]);
  assertEquals([infra.status, infra.reason], [
    "infra",
    "commit 2/2: disk full",
  ]);
  const stopped = judgeCell(cell(), commits(2), [step([]), step([]), null]);
  assertEquals(stopped.status, "interrupted");
  const both = judgeCell(cell(), commits(2), [
    step([]),
    step([BOOM]),
    step([], { result: "infra", message: "disk full" }),
  ]);
  assertEquals([both.status, both.reason], [
    "reported",
    "commit 2/2: disk full",
  ]);
});

Deno.test("totalsOf() and presubmitExitCode(): 1 new, else 3 unchecked, else 0", () => {
  const reported = judgeCell(cell(), commits(1), [step([]), step([BOOM])]);
  const clean = judgeCell(cell(), commits(1), [step([]), step([])]);
  const notRun = judgeCell(cell(), commits(1), [notStarted("no gcc-15"), null]);
  const t = totalsOf([reported, clean, notRun]);
  assertEquals(t, {
    cells: 3,
    reported: 1,
    clean: 1,
    notRun: 1,
    infra: 0,
    interrupted: 0,
    newDiagnostics: 1,
  });
  assertEquals(presubmitExitCode(t), 1);
  assertEquals(presubmitExitCode(totalsOf([clean, notRun])), 3);
  assertEquals(presubmitExitCode(totalsOf([clean])), 0);
});
