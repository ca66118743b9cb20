import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { InfraError, InterruptedError } from "../../src/errors.ts";
import { listRange } from "../../src/git/rev_list.ts";
import { formatSeries, seriesJson } from "../../src/series/format_series.ts";
import { runSeries } from "../../src/series/run_series.ts";
import {
  loadState,
  newSeriesId,
  type SeriesState,
} from "../../src/series/state.ts";
import type { BuildCommit } from "../../src/series/types.ts";
import { fakeBuilder, type FakeCall, gitIn, tempRepo } from "./_fake.ts";

const FOUR = [
  { subject: "ok: add a helper", files: { "a.c": "a1\n", "b.c": "b\n" } },
  {
    subject: "vfio: add the colliding macro",
    files: {
      "vfio.h": "#define X\n",
      "diag.txt":
        "vfio.h:608:37: error: expected identifier before '(' token\n",
    },
  },
  { subject: "unrelated: touch a.c", files: { "a.c": "a2\n" } },
  {
    subject: "vfio: fix the collision",
    files: { "vfio.h": "ok\n", "diag.txt": "" },
  },
];

async function newState(
  repo: string,
  root: string,
  extra: Partial<SeriesState> = {},
): Promise<SeriesState> {
  const commits = await listRange(repo, { base: "base", head: "master" });
  const id = newSeriesId(commits.at(-1)!.sha);
  return {
    version: 1,
    id,
    repo,
    range: "base..master",
    base: await gitIn(repo, ["rev-parse", "base"]),
    head: commits.at(-1)!.sha,
    commits,
    buildArgs: [],
    cwd: repo,
    matrix: null,
    cells: [""],
    worktree: `${root}/${id}/src`,
    buildDir: `${root}/${id}/build`,
    failFast: false,
    status: "running",
    createdAt: new Date().toISOString(),
    updatedAt: "",
    steps: [],
    ...extra,
  };
}

async function setup() {
  const t = await tempRepo("kcross-series-", FOUR);
  return { ...t, root: `${t.dir}/state` };
}

Deno.test("runSeries() finds commit 2 breaking and commit 4 fixing, in one worktree and build dir", async () => {
  await using t = await setup();
  const userHead = await gitIn(t.repo, ["rev-parse", "HEAD"]);
  const calls: FakeCall[] = [];
  const out = recordingOutput();
  const state = await runSeries(await newState(t.repo, t.root), {
    cells: [{ name: "", build: fakeBuilder(calls) }],
    out,
    signal: new AbortController().signal,
    root: t.root,
    keep: true,
  });
  assertEquals(calls.map((c) => c.sha), t.shas);
  assertEquals(new Set(calls.map((c) => c.worktree)).size, 1);
  assertEquals(new Set(calls.map((c) => c.outDir)).size, 1);
  // incremental: after the first build only the files a commit touched change
  assertEquals(calls.map((c) => c.compiled), [4, 2, 1, 2]);
  const json = seriesJson(state) as {
    verdicts: Record<
      string,
      { breaks: { index: number; fixedBy: { index: number } }[] }
    >;
    bisectable: boolean;
  };
  assertEquals(json.bisectable, false);
  assertEquals(
    json.verdicts[""]!.breaks.map((b) => [b.index, b.fixedBy.index]),
    [[2, 4]],
  );
  const text = formatSeries(state).join("\n");
  assertStringIncludes(
    text,
    "not bisectable: commit 2 breaks the build, fixed by commit 4",
  );
  assertStringIncludes(
    text,
    ">> vfio.h:608:37: error: expected identifier before '(' token",
  );
  // the >> line shows under commit 2 only
  assertEquals(text.split("\n").filter((l) => l.includes(">> ")).length, 1);
  // the user's checkout is untouched
  assertEquals(await gitIn(t.repo, ["rev-parse", "HEAD"]), userHead);
  assertEquals(await gitIn(t.repo, ["status", "--porcelain"]), "");
  assertEquals((await loadState(state.id, t.root)).status, "done");
});

Deno.test("runSeries() removes its worktree and build dir when done unless kept", async () => {
  await using t = await setup();
  const state = await runSeries(await newState(t.repo, t.root), {
    cells: [{ name: "", build: fakeBuilder() }],
    out: recordingOutput(),
    signal: new AbortController().signal,
    root: t.root,
  });
  assertEquals(state.status, "done");
  await assertRejects(() => Deno.stat(state.worktree), Deno.errors.NotFound);
  await assertRejects(() => Deno.stat(state.buildDir), Deno.errors.NotFound);
  assertEquals(
    await gitIn(t.repo, ["worktree", "list", "--porcelain"]).then((s) =>
      s.split("\n\n").length
    ),
    1,
  );
});

Deno.test("runSeries() with fail-fast stops at the first failing commit", async () => {
  await using t = await setup();
  const calls: FakeCall[] = [];
  const state = await runSeries(
    await newState(t.repo, t.root, { failFast: true }),
    {
      cells: [{ name: "", build: fakeBuilder(calls) }],
      out: recordingOutput(),
      signal: new AbortController().signal,
      root: t.root,
    },
  );
  assertEquals(calls.length, 2);
  assertEquals(state.status, "stopped");
  assertStringIncludes(
    formatSeries(state).join("\n"),
    "stopped after 2 of 4 commits",
  );
});

Deno.test("runSeries() resumes an interrupted series where it stopped", async () => {
  await using t = await setup();
  const calls: FakeCall[] = [];
  const fake = fakeBuilder(calls);
  const controller = new AbortController();
  const interrupting: BuildCommit = async (req) => {
    const r = await fake(req);
    if (calls.length === 2) {
      controller.abort();
      return { ...r, result: "interrupted" };
    }
    return r;
  };
  const first = await newState(t.repo, t.root);
  await assertRejects(
    () =>
      runSeries(first, {
        cells: [{ name: "", build: interrupting }],
        out: recordingOutput(),
        signal: controller.signal,
        root: t.root,
      }),
    InterruptedError,
  );
  const saved = await loadState(first.id, t.root);
  assertEquals(saved.status, "interrupted");
  assertEquals(saved.steps.map((s) => s.index), [1]);
  const state = await runSeries(saved, {
    cells: [{ name: "", build: fake }],
    out: recordingOutput(),
    signal: new AbortController().signal,
    root: t.root,
  });
  assertEquals(calls.map((c) => c.sha), [
    t.shas[0],
    t.shas[1],
    t.shas[1],
    t.shas[2],
    t.shas[3],
  ]);
  assertEquals(state.steps.map((s) => s.index), [1, 2, 3, 4]);
  // >> of commit 2 is still relative to commit 1 after the resume
  assertEquals(state.steps[1]!.newDiagnostics.length, 1);
  assertEquals(state.status, "done");
});

Deno.test("runSeries() stops on an infrastructure failure and keeps the state resumable", async () => {
  await using t = await setup();
  await Deno.writeTextFile(`${t.repo}/INFRA`, "");
  await gitIn(t.repo, ["add", "INFRA"]);
  await gitIn(t.repo, ["commit", "-q", "-m", "infra"]);
  const state = await newState(t.repo, t.root);
  const e = await assertRejects(
    () =>
      runSeries(state, {
        cells: [{ name: "", build: fakeBuilder() }],
        out: recordingOutput(),
        signal: new AbortController().signal,
        root: t.root,
      }),
    InfraError,
    "Building commit 5/5",
  );
  assertStringIncludes(e.hint ?? "", `kcross series --resume ${state.id}`);
  assertEquals((await loadState(state.id, t.root)).steps.length, 4);
});

Deno.test("runSeries() builds every commit on every matrix cell, each cell with its own build dir", async () => {
  await using t = await setup();
  const a: FakeCall[] = [];
  const b: FakeCall[] = [];
  const state = await runSeries(
    await newState(t.repo, t.root, { cells: ["powerpc", "arm64"] }),
    {
      cells: [
        { name: "powerpc", build: fakeBuilder(a) },
        { name: "arm64", build: fakeBuilder(b) },
      ],
      out: recordingOutput(),
      signal: new AbortController().signal,
      root: t.root,
      keep: true,
    },
  );
  assertEquals(a.length, 4);
  assertEquals(b.length, 4);
  assert(a[0]!.outDir !== b[0]!.outDir);
  assertEquals(a.map((c) => c.compiled), [4, 2, 1, 2]);
  const text = formatSeries(state).join("\n");
  assertStringIncludes(
    text,
    "Verdict [powerpc]: not bisectable: commit 2 breaks the build, fixed by commit 4",
  );
  assertStringIncludes(text, "Verdict [arm64]: not bisectable");
});
