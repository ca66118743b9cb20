import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import type { RecordingOutput } from "../../src/util/output.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { progressView, resultLine } from "../../src/matrix/progress.ts";
import type { CellRecord } from "../../src/matrix/types.ts";

function rec(
  key: string,
  result: CellRecord["result"],
  extra: Partial<CellRecord> = {},
): CellRecord {
  return {
    key,
    digest: "d",
    index: 0,
    axes: {},
    inputs: {} as CellRecord["inputs"],
    commit: null,
    result,
    message: null,
    errors: result === "fail" ? 2 : 0,
    warnings: 1,
    durationMs: 1500,
    attempts: 1,
    ranOn: "local",
    reusedFrom: null,
    outcome: {} as CellRecord["outcome"],
    finishedAt: "",
    ...extra,
  };
}

function ttyOutput(): RecordingOutput {
  const o = recordingOutput();
  return { ...o, isTty: true };
}

Deno.test("progressView() prints plain start/result lines off a terminal", () => {
  const out = recordingOutput();
  const p = progressView(out, 2);
  p.started("a/b/c");
  p.status("a/b/c", "CC drivers/vfio/vfio_main.o");
  p.finished(rec("a/b/c", "fail"));
  p.close();
  assertEquals(out.stderr, [
    "[0/2] start a/b/c",
    "[1/2] a/b/c: fail (2 errors, 1 warnings) 1.5 s",
  ]);
});

Deno.test("progressView() on a terminal keeps one redrawn line per running cell", () => {
  const out = ttyOutput();
  let now = 0;
  const p = progressView(out, 3, () => now);
  p.started("powerpc/allmodconfig/gcc");
  p.started("arm64/defconfig/gcc", "host:1");
  now = 5000;
  p.status("arm64/defconfig/gcc", "CC kernel/fork.o");
  p.finished(rec("powerpc/allmodconfig/gcc", "pass"));
  p.close();
  const text = out.stderr.join("");
  assertStringIncludes(
    text,
    "⏵ arm64/defconfig/gcc @host:1 5s CC kernel/fork.o",
  );
  assertStringIncludes(text, "\x1b[");
  assertStringIncludes(text, "[1/3] powerpc/allmodconfig/gcc: pass");
  assertStringIncludes(text, "[1/3] 1 running");
  const last = out.stderr.at(-1)!;
  assert(last.startsWith("\x1b["), "the live block is erased at the end");
});

Deno.test("resultLine() names retries, the worker and reuse", () => {
  const line = resultLine(
    rec("k", "infra", { attempts: 2, ranOn: "h:9", message: "mirror down" }),
  );
  assertEquals(line, "k: infra: mirror down 1.5 s [2 attempts, on h:9]");
});

Deno.test("progressView().drop() shrinks the total for work that will not run", () => {
  const out = recordingOutput();
  const p = progressView(out, 6);
  p.started("a");
  p.finished(rec("a", "infra"));
  p.drop(3);
  p.started("b");
  p.finished(rec("b", "pass"));
  p.drop(10); // never below what is done
  p.close();
  assertEquals(out.stderr, [
    "[0/6] start a",
    "[1/6] a: infra 1.5 s",
    "[1/3] start b",
    "[2/3] b: pass (0 errors, 1 warnings) 1.5 s",
  ]);
});
