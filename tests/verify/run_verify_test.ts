/**
 * runVerify() on a real git repository with the real builder over a fake
 * make (`tests/_support/fake_make.ts`): the report's commit and the fix are
 * built in one kcross worktree, the report's build record is reused, and
 * verify plans the same build as repro.
 */
import { runVerify } from "../../src/verify/run_verify.ts";
import { runRepro } from "../../src/repro/run_repro.ts";
import { buildContext } from "../../src/build/mod.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { UserError } from "../../src/errors.ts";
import { assert, assertEquals, assertRejects } from "../_support/assert.ts";
import {
  fakeMake,
  KERNEL_MAKEFILE,
  shimToolchain,
} from "../_support/fake_make.ts";
import { sh, snapshot } from "../git/_repo.ts";
import { scopedEnv } from "../_support/env.ts";
import { reportText } from "../repro/_report.ts";

/**
 * The real builder on a make that prints `boom` for a.c while it says
 * "bad", and `new trouble` for b.c when it says "new".
 */
async function fakeBuilds(t: string) {
  const toolchain = await shimToolchain(`${t}/0day`);
  const built: string[] = [];
  /** Whether each build found a.o in its build dir (left by the one before). */
  const hadObject: boolean[] = [];
  const make = fakeMake({
    config: () => 'CONFIG_CC_VERSION_TEXT="powerpc-linux-gcc (GCC) 11.2.0"\n',
    build: async (call) => {
      hadObject.push(
        await Deno.stat(`${call.outDir}/a.o`).then(() => true, () => false),
      );
      await Deno.writeTextFile(`${call.outDir}/a.o`, "");
      built.push((await sh(call.cwd, "rev-parse", "HEAD")).trim());
      const a = await Deno.readTextFile(`${call.cwd}/a.c`);
      const b = await Deno.readTextFile(`${call.cwd}/b.c`);
      const lines = [
        "  CC      a.o",
        "  CC      b.o",
        ...(a === "bad\n" ? ["a.c:1:1: error: boom"] : []),
        ...(b === "new\n" ? ["b.c:1:1: error: new trouble"] : []),
      ];
      return { lines, code: lines.length > 2 ? 2 : 0 };
    },
  });
  const context = buildContext({
    proc: make.proc,
    fetch: () => Promise.reject(new Error("no config fetches here")),
    resolveToolchain: (req) =>
      Promise.resolve({ ...toolchain, requested: req.compiler }),
  });
  return { context, built, hadObject, make };
}

async function commit(
  repo: string,
  files: Record<string, string>,
  msg: string,
) {
  for (const [f, text] of Object.entries(files)) {
    await Deno.writeTextFile(`${repo}/${f}`, text);
  }
  await sh(repo, "add", ...Object.keys(files));
  await sh(repo, "commit", "-q", "-m", msg);
  return (await sh(repo, "rev-parse", "HEAD")).trim();
}

async function withState(
  fn: (t: string, repo: string, shas: Record<string, string>) => Promise<void>,
) {
  const t = await Deno.makeTempDir({ prefix: "kcross-verify-" });
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${t}/state` });
  try {
    const repo = `${t}/linux`;
    await Deno.mkdir(repo);
    await sh(repo, "init", "-q", "-b", "main");
    const shas = {
      good: await commit(
        repo,
        { "Makefile": KERNEL_MAKEFILE, "a.c": "good\n", "b.c": "ok\n" },
        "base",
      ),
      bad: await commit(repo, { "a.c": "bad\n" }, "a: break it"),
      fix: await commit(
        repo,
        { "a.c": "fixed\n" },
        "a: fix it\n\nReported-by: kernel test robot <lkp@intel.com>\nCloses: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/\n",
      ),
      other: await commit(repo, { "b.c": "new\n" }, "b: something else"),
    };
    await sh(repo, "checkout", "-q", shas.bad);
    const noFix = await commit(repo, { "b.c": "still ok\n" }, "b: not a fix");
    await sh(repo, "checkout", "-q", "main");
    await Deno.writeTextFile(`${repo}/a.txt`, "the user's untracked file\n");
    await Deno.writeTextFile(`${repo}/a.c`, "the user's edit\n");
    await fn(t, repo, { ...shas, noFix });
  } finally {
    await Deno.remove(t, { recursive: true });
  }
}

const signal = new AbortController().signal;

Deno.test("runVerify() builds the report's commit and the fix in one worktree and says fixed, with the report's trailers", async () => {
  await withState(async (t, repo, s) => {
    const f = await fakeBuilds(t);
    const text = reportText({ tree: repo, commit: s.bad! });
    const before = await snapshot(repo);
    const out = recordingOutput();
    const v = await runVerify(text, {
      out,
      signal,
      context: f.context,
      tree: repo,
      rev: s.fix!,
    });
    assertEquals(v.verdict, "fixed");
    assertEquals(v.rows.map((r) => r.status), ["gone"]);
    assertEquals(f.built, [s.bad, s.fix]);
    assertEquals(v.report.from, "built");
    assertEquals(v.trailers, [
      "Reported-by: kernel test robot <lkp@intel.com>",
      "Closes: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/",
    ]);
    assertEquals(v.trailersMissing, []);
    // one slot: the same tree and build dir, the second build incremental
    const [first, second] = f.make.builds();
    assertEquals(first!.cwd, second!.cwd);
    assertEquals(first!.outDir, second!.outDir);
    // the fix is not "another commit than the report's" setup difference
    assertEquals(v.differences, []);
    const saved = JSON.parse(
      await Deno.readTextFile(`${v.fix.recordDir}/verify.json`),
    );
    assertEquals(saved.verdict, "fixed");
    assertEquals(await snapshot(repo), before);
  });
});

Deno.test("runVerify() reuses the report's build record the second time and says not-fixed or fixed-with-new-diagnostics", async () => {
  await withState(async (t, repo, s) => {
    const f = await fakeBuilds(t);
    const text = reportText({ tree: repo, commit: s.bad! });
    const base = {
      out: recordingOutput(),
      signal,
      context: f.context,
      tree: repo,
    };
    await runVerify(text, { ...base, rev: s.fix! });
    const notFixed = await runVerify(text, { ...base, rev: s.noFix! });
    assertEquals(notFixed.verdict, "not-fixed");
    assertEquals(notFixed.rows[0]!.status, "still there");
    assertEquals(notFixed.report.from, "record");
    assertEquals(notFixed.trailersMissing.length, 2);
    // the report's commit was built once
    assertEquals(f.built, [s.bad, s.fix, s.noFix]);
    // the reported file's object is compiled again in every verify build,
    // or an incremental make would print nothing for it
    assertEquals(f.hadObject, [false, false, false]);

    const withNew = await runVerify(text, { ...base, rev: s.other! });
    assertEquals(withNew.verdict, "fixed-with-new-diagnostics");
    assertEquals(withNew.introduced.map((d) => d.message), ["new trouble"]);
  });
});

Deno.test("repro and verify plan the same build for the same report: verify reuses repro's record of the report's commit", async () => {
  await withState(async (t, repo, s) => {
    const f = await fakeBuilds(t);
    const text = reportText({ tree: repo, commit: s.bad! });
    const base = {
      out: recordingOutput(),
      signal,
      context: f.context,
      tree: repo,
    };
    await runRepro(text, base);
    // repro, too, compiles the reported file's object again: in a kept
    // build dir make would print nothing for it (a real second repro came
    // out not-reproduced)
    const r = await runRepro(text, base);
    assertEquals(r.verdict.verdict, "reproduced");
    assertEquals(f.hadObject, [false, false]);
    const v = await runVerify(text, { ...base, rev: s.fix! });
    assertEquals(v.report.from, "record");
    assertEquals(v.report.recordDir, r.verdict.build!.recordDir);
    // the fix is built with the make call repro built the report's with
    const [repro, , fix] = f.make.builds();
    assertEquals(fix!.argv, repro!.argv);
    assertEquals(fix!.cwd, repro!.cwd);
  });
});

Deno.test("runVerify() stops on a revision the checkout does not have, before building anything", async () => {
  await withState(async (t, repo, s) => {
    const f = await fakeBuilds(t);
    const text = reportText({ tree: repo, commit: s.bad! });
    const e = await assertRejects(
      () =>
        runVerify(text, {
          out: recordingOutput(),
          signal,
          context: f.context,
          tree: repo,
          rev: "no-such-branch",
        }),
      UserError,
    );
    assert(e.message.includes('"no-such-branch"'), e.message);
    assertEquals(f.built, []);
  });
});

Deno.test("runVerify() of a patch report asks for --base, and compares with it when given", async () => {
  await withState(async (t, repo, s) => {
    const f = await fakeBuilds(t);
    const text = reportText({ tree: repo, commit: null });
    const base = {
      out: recordingOutput(),
      signal,
      context: f.context,
      tree: repo,
    };
    const e = await assertRejects(
      () => runVerify(text, { ...base, rev: s.fix! }),
      UserError,
    );
    assert(e.hint?.includes("--base"), e.hint);
    assertEquals(f.built, []);
    const v = await runVerify(text, {
      ...base,
      rev: s.fix!,
      base: s.bad!,
    });
    assertEquals(v.verdict, "fixed");
    assertEquals(v.report.commit, s.bad);
  });
});
