/**
 * runVerify() on a real git repository with a stand-in build engine: the
 * report's commit and the fix are built in one kcross worktree, the
 * report's build record is reused, and verify plans the same build as repro.
 */
import { fakeRecord } from "../_support/fake_record.ts";
import { runVerify } from "../../src/verify/run_verify.ts";
import { runRepro } from "../../src/repro/run_repro.ts";
import { defaultEngine } from "../../src/repro/default_engine.ts";
import type { ReproBuildInput, ReproEngine } from "../../src/repro/engine.ts";
import type { ReportFields } from "../../src/repro/types.ts";
import type { BuildPlan } from "../../src/build/types.ts";
import type { Diagnostic } from "../../src/diagnostics/mod.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { UserError } from "../../src/errors.ts";
import { assert, assertEquals, assertRejects } from "../_support/assert.ts";
import { sh, snapshot } from "../git/_repo.ts";
import { scopedEnv } from "../_support/env.ts";

interface Fake extends ReproEngine {
  inputs: ReproBuildInput[];
  built: string[];
  /** Whether each build found a.o in its build dir (left by the one before). */
  hadObject: boolean[];
}

const REPORT_TEXT = [
  "kernel test robot noticed the following build errors:",
  "",
  "If you fix the issue in a separate patch/commit (i.e. not just a new version of",
  "the same patch/commit), kindly add following tags",
  "| Reported-by: kernel test robot <lkp@intel.com>",
  "| Closes: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/",
  "",
  "All errors (new ones prefixed by >>):",
  "",
  ">> a.c:1:1: error: boom",
  "",
].join("\n");

function fields(tree: string, commit: string): ReportFields {
  return {
    tree_url: tree,
    branch: "main",
    head: commit,
    commit,
    config_name: "powerpc-allmodconfig",
    config_url: null,
    arch: "powerpc",
    compiler: {
      name: "gcc",
      version: "11.2.0",
      raw: "powerpc-linux-gcc (GCC) 11.2.0",
    },
    make_args: ["O=build_dir", "ARCH=powerpc", "W=1", "drivers/vfio/"],
    targets: ["drivers/vfio/"],
    w: 1,
    c: null,
    report_type: "branch",
    format: "new",
    diagnostics: [{
      file: "a.c",
      line: 1,
      column: 1,
      severity: "error",
      message: "boom",
      new: true,
    }],
  };
}

/** A build that prints `boom` for a.c while it says "bad", and `new` for b.c when it says "new". */
function fakeEngine(report: ReportFields, state: string): Fake {
  const inputs: ReproBuildInput[] = [];
  const built: string[] = [];
  const hadObject: boolean[] = [];
  const real = defaultEngine();
  let n = 0;
  return {
    inputs,
    built,
    hadObject,
    parse: () => ({ report, attachedConfig: null, configAttached: false }),
    fetchConfig: () => Promise.reject(new Error("no config fetches here")),
    resolveToolchain: (req) =>
      Promise.resolve({
        id: "gcc-11.2.0-nolibc/powerpc-linux",
        family: "gcc",
        requested: req.compiler,
        version: "11.2.0",
        provider: "crosstool",
        exact: true,
        triple: "powerpc-linux",
        binDir: "/opt/x/bin",
        crossCompile: "/opt/x/bin/powerpc-linux-",
      }),
    planBuild: async (input) => {
      inputs.push(input);
      hadObject.push(
        await Deno.stat(`${input.outDir}/a.o`).then(() => true, () => false),
      );
      const plan: BuildPlan = {
        mode: "native",
        arch: input.arch,
        srcTree: input.srcTree,
        cwd: input.srcTree,
        outDir: input.outDir,
        argv: ["make", `O=${input.outDir}`, ...input.makeVars],
        env: {},
        envUnset: [],
        toolchain: input.toolchain,
        triple: input.triple,
        tripleReason: input.tripleReason,
        config: null,
        targets: input.targets,
        jobs: 1,
        ccache: false,
        allowEmpty: true,
        notes: [],
      };
      return plan;
    },
    runBuild: async (plan) => {
      await Deno.writeTextFile(`${plan.outDir}/a.o`, "");
      const id = `2026-01-01T00-00-0${n++}Z-fake`;
      const recordDir = `${state}/builds/${id}`;
      await Deno.mkdir(recordDir, { recursive: true });
      const commit = (await sh(plan.srcTree, "rev-parse", "HEAD")).trim();
      built.push(commit);
      const diag = (file: string, message: string): Diagnostic => ({
        tool: "compiler",
        file,
        line: 1,
        column: 1,
        severity: "error",
        message,
        flag: null,
        count: 1,
        objects: [file.replace(/\.c$/, ".o")],
      });
      const a = await Deno.readTextFile(`${plan.srcTree}/a.c`);
      const b = await Deno.readTextFile(`${plan.srcTree}/b.c`);
      const diagnostics = [
        ...(a === "bad\n" ? [diag("a.c", "boom")] : []),
        ...(b === "new\n" ? [diag("b.c", "new trouble")] : []),
      ];
      const result = diagnostics.length ? "fail" as const : "pass" as const;
      await Deno.writeTextFile(
        `${recordDir}/metadata.json`,
        JSON.stringify({ id, result, tree: { commit } }),
      );
      await Deno.writeTextFile(
        `${recordDir}/diagnostics.json`,
        JSON.stringify(diagnostics),
      );
      await Deno.writeTextFile(
        `${recordDir}/build.log`,
        "  CC      a.o\n  CC      b.o\n",
      );
      return {
        record: fakeRecord(),
        result,
        reason: null,
        id,
        recordDir,
        exitCode: result === "pass" ? 0 : 2,
        timings: {},
        diagnostics,
      };
    },
    compare: real.compare,
  };
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
      good: await commit(repo, { "a.c": "good\n", "b.c": "ok\n" }, "base"),
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
    const engine = fakeEngine(fields(repo, s.bad!), `${t}/state`);
    const before = await snapshot(repo);
    const out = recordingOutput();
    const v = await runVerify(REPORT_TEXT, {
      out,
      signal,
      engine,
      tree: repo,
      rev: s.fix!,
    });
    assertEquals(v.verdict, "fixed");
    assertEquals(v.rows.map((r) => r.status), ["gone"]);
    assertEquals(engine.built, [s.bad, s.fix]);
    assertEquals(v.report.from, "built");
    assertEquals(v.trailers, [
      "Reported-by: kernel test robot <lkp@intel.com>",
      "Closes: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/",
    ]);
    assertEquals(v.trailersMissing, []);
    // one slot: the same tree and build dir, the second build incremental
    assertEquals(engine.inputs[0]!.srcTree, engine.inputs[1]!.srcTree);
    assertEquals(engine.inputs[0]!.outDir, engine.inputs[1]!.outDir);
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
    const engine = fakeEngine(fields(repo, s.bad!), `${t}/state`);
    const base = { out: recordingOutput(), signal, engine, tree: repo };
    await runVerify(REPORT_TEXT, { ...base, rev: s.fix! });
    const notFixed = await runVerify(REPORT_TEXT, { ...base, rev: s.noFix! });
    assertEquals(notFixed.verdict, "not-fixed");
    assertEquals(notFixed.rows[0]!.status, "still there");
    assertEquals(notFixed.report.from, "record");
    assertEquals(notFixed.trailersMissing.length, 2);
    // the report's commit was built once
    assertEquals(engine.built, [s.bad, s.fix, s.noFix]);
    // the reported file's object is compiled again in every verify build,
    // or an incremental make would print nothing for it
    assertEquals(engine.hadObject, [false, false, false]);

    const withNew = await runVerify(REPORT_TEXT, { ...base, rev: s.other! });
    assertEquals(withNew.verdict, "fixed-with-new-diagnostics");
    assertEquals(withNew.introduced.map((d) => d.message), ["new trouble"]);
  });
});

Deno.test("repro and verify plan the same build for the same report: verify reuses repro's record of the report's commit", async () => {
  await withState(async (t, repo, s) => {
    const engine = fakeEngine(fields(repo, s.bad!), `${t}/state`);
    const base = { out: recordingOutput(), signal, engine, tree: repo };
    await runRepro(REPORT_TEXT, base);
    // repro, too, compiles the reported file's object again: in a kept
    // build dir make would print nothing for it (a real second repro came
    // out not-reproduced)
    const r = await runRepro(REPORT_TEXT, base);
    assertEquals(r.verdict.verdict, "reproduced");
    assertEquals(engine.hadObject, [false, false]);
    engine.inputs.splice(1);
    const v = await runVerify(REPORT_TEXT, { ...base, rev: s.fix! });
    assertEquals(v.report.from, "record");
    assertEquals(v.report.recordDir, r.verdict.build!.recordDir);
    const [repro, fix] = engine.inputs;
    const { commitTime: _a, ...reproPlan } = repro!;
    const { commitTime: _b, ...verifyPlan } = fix!;
    assertEquals(verifyPlan, reproPlan);
  });
});

Deno.test("runVerify() stops on a revision the checkout does not have, before building anything", async () => {
  await withState(async (t, repo, s) => {
    const engine = fakeEngine(fields(repo, s.bad!), `${t}/state`);
    const e = await assertRejects(
      () =>
        runVerify(REPORT_TEXT, {
          out: recordingOutput(),
          signal,
          engine,
          tree: repo,
          rev: "no-such-branch",
        }),
      UserError,
    );
    assert(e.message.includes('"no-such-branch"'), e.message);
    assertEquals(engine.built, []);
  });
});

Deno.test("runVerify() of a patch report asks for --base, and compares with it when given", async () => {
  await withState(async (t, repo, s) => {
    const patch: ReportFields = {
      ...fields(repo, s.bad!),
      commit: null,
      head: null,
      branch: null,
      report_type: "patch",
      url: "https://github.com/intel-lab-lkp/linux/commits/x",
      base: "https://git.kernel.org/x.git main",
      patch_link: "https://lore.kernel.org/r/x@y",
    };
    const engine = fakeEngine(patch, `${t}/state`);
    const base = { out: recordingOutput(), signal, engine, tree: repo };
    const e = await assertRejects(
      () => runVerify(REPORT_TEXT, { ...base, rev: s.fix! }),
      UserError,
    );
    assert(e.hint?.includes("--base"), e.hint);
    assertEquals(engine.built, []);
    const v = await runVerify(REPORT_TEXT, {
      ...base,
      rev: s.fix!,
      base: s.bad!,
    });
    assertEquals(v.verdict, "fixed");
    assertEquals(v.report.commit, s.bad);
  });
});
