import { assertEquals, assertStringIncludes } from "../_support/assert.ts";
import { recordingOutput } from "../../src/util/output.ts";
import {
  runBisect,
  type RunBisectOptions,
} from "../../src/series/run_bisect.ts";
import { parseDiagnosticLine } from "../../src/series/parse_diagnostic.ts";
import {
  fakeBuilder,
  type FakeCall,
  gitIn,
  makeRepo,
  tempRepo,
} from "./_fake.ts";

const TARGET = "vfio.h:608:37: error: expected identifier before '(' token";

function setup(commits: Parameters<typeof makeRepo>[1]) {
  return tempRepo("kcross-bisect-", commits);
}

/** The options every test passes: good is the first commit, bad the `bad`-th. */
function bisectOptions(
  t: Awaited<ReturnType<typeof setup>>,
  bad: number,
  extra: Partial<RunBisectOptions> = {},
): RunBisectOptions {
  return {
    repo: t.repo,
    good: t.shas[0]!,
    bad: t.shas[bad]!,
    targets: [parseDiagnosticLine(TARGET)],
    build: fakeBuilder(),
    worktree: `${t.dir}/wt`,
    outDir: `${t.dir}/build`,
    out: recordingOutput(),
    signal: new AbortController().signal,
    ...extra,
  };
}

function series(n: number, bad: number, skip: number[] = []) {
  return Array.from({ length: n }, (_, i) => {
    const k = i + 1;
    const lines = [
      ...(k >= bad && !skip.includes(k)
        ? [TARGET.replace("608", String(600 + k))]
        : []),
      ...(skip.includes(k) ? ["other.c:1:1: error: unrelated breakage"] : []),
    ];
    return {
      subject: `commit ${k}`,
      files: { [`f${k}.c`]: `${k}\n`, "diag.txt": lines.join("\n") },
    };
  });
}

Deno.test("runBisect() finds the commit that introduces the diagnostic, despite line moves", async () => {
  await using t = await setup(series(8, 5));
  const calls: FakeCall[] = [];
  const userHead = await gitIn(t.repo, ["rev-parse", "HEAD"]);
  const r = await runBisect(bisectOptions(t, 7, { build: fakeBuilder(calls) }));
  assertEquals(r.firstBad?.sha, t.shas[4]);
  assertEquals(r.firstBad?.subject, "commit 5");
  assertEquals(r.firstBad?.recordId?.startsWith("rec-"), true);
  assertEquals(calls.length, 3); // log2(7)
  assertEquals(new Set(calls.map((c) => c.outDir)).size, 1);
  assertStringIncludes(r.log, "first bad commit");
  assertEquals(await gitIn(t.repo, ["rev-parse", "HEAD"]), userHead);
  assertEquals(
    await gitIn(t.repo, ["worktree", "list", "--porcelain"]).then((s) =>
      s.split("\n\n").length
    ),
    1,
  );
});

Deno.test("runBisect() skips commits that fail for another reason and says so", async () => {
  await using t = await setup(series(8, 3, [4, 5, 6]));
  const out = recordingOutput();
  const r = await runBisect(bisectOptions(t, 7, { out }));
  assertEquals(r.firstBad?.sha, t.shas[2]);
  const skipped = r.steps.filter((s) => s.mark === "skip");
  assertEquals(skipped.length > 0, true);
  assertStringIncludes(out.stderr.join("\n"), "(git bisect skip)");
});

Deno.test("runBisect() gives the candidates when only skipped commits are left", async () => {
  await using t = await setup(series(4, 3, [2]));
  const r = await runBisect(bisectOptions(t, 2));
  assertEquals(r.firstBad, null);
  assertEquals(
    r.candidates.map((c) => c.sha).sort(),
    [t.shas[1]!, t.shas[2]!].sort(),
  );
});

Deno.test("runBisect() builds the given bad commit when git names it untested", async () => {
  await using t = await setup(series(2, 2));
  const calls: FakeCall[] = [];
  const r = await runBisect(bisectOptions(t, 1, { build: fakeBuilder(calls) }));
  assertEquals(r.firstBad?.sha, t.shas[1]);
  assertEquals(calls.map((c) => c.sha), [t.shas[1]]);
  assertEquals(r.firstBad?.recordId, "rec-1-" + t.shas[1]!.slice(0, 7));
});
