import { runRepro } from "../../src/repro/run_repro.ts";
import type {
  Comparison,
  ReproBuildInput,
  ReproEngine,
} from "../../src/repro/engine.ts";
import type { ReportFields } from "../../src/repro/types.ts";
import type { BuildPlan } from "../../src/build/types.ts";
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { InfraError, UserError } from "../../src/errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { makeRepo, sh, snapshot } from "../git/_repo.ts";

const TOOLCHAIN: ResolvedToolchain = {
  id: "gcc-11.2.0-nolibc/powerpc-linux",
  family: "gcc",
  requested: "gcc-11.2.0",
  version: "11.2.0",
  provider: "crosstool",
  exact: true,
  triple: "powerpc-linux",
  binDir: "/opt/x/bin",
  crossCompile: "/opt/x/bin/powerpc-linux-",
};

function report(tree: string, commit: string): ReportFields {
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
    diagnostics: [{
      file: "a.txt",
      line: 1,
      column: 1,
      severity: "error",
      message: "boom",
      new: true,
    }],
  };
}

interface Fake extends ReproEngine {
  inputs: ReproBuildInput[];
}

function fakeEngine(
  fields: ReportFields,
  recordDir: string,
  opts: { exact?: boolean; ccText?: string } = {},
): Fake {
  const inputs: ReproBuildInput[] = [];
  return {
    inputs,
    parse: () => ({
      report: fields,
      attachedConfig: null,
      configAttached: false,
    }),
    resolveToolchain: (req) =>
      Promise.resolve({
        ...TOOLCHAIN,
        requested: req.compiler,
        exact: opts.exact ?? true,
        ...(opts.exact === false
          ? { version: "12.2.0", provider: "system" as const }
          : {}),
      }),
    planBuild: (input) => {
      inputs.push(input);
      const plan: BuildPlan = {
        mode: "native",
        arch: input.arch,
        srcTree: input.srcTree,
        cwd: input.srcTree,
        outDir: input.outDir,
        argv: [
          "make",
          `O=${input.outDir}`,
          ...input.makeVars,
          ...input.targets,
        ],
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
      return Promise.resolve(plan);
    },
    runBuild: async (plan) => {
      await Deno.mkdir(recordDir, { recursive: true });
      await Deno.writeTextFile(
        `${plan.outDir}/.config`,
        `CONFIG_CC_VERSION_TEXT="${
          opts.ccText ?? "powerpc-linux-gcc (GCC) 11.2.0"
        }"\n`,
      );
      const content = await Deno.readTextFile(`${plan.srcTree}/a.txt`);
      return {
        result: "fail",
        id: "b1",
        recordDir,
        exitCode: 2,
        timings: {},
        diagnostics: content === "two\n"
          ? [{
            tool: "compiler",
            file: "a.txt",
            line: 1,
            column: 1,
            severity: "error",
            message: "boom",
            flag: null,
            count: 1,
            objects: [],
          }]
          : [],
      };
    },
    compare: (reported, found): Comparison => {
      const rows = reported.map((r) => ({
        reported: r,
        status: found.some((f) => f.message === r.message)
          ? "reproduced" as const
          : "missing" as const,
      }));
      return {
        rows,
        extra: [],
        verdict: rows.every((r) => r.status === "reproduced")
          ? "reproduced"
          : "not-reproduced",
      };
    },
  };
}

async function setup(t: string) {
  const upstream = `${t}/upstream`;
  const { one, two } = await makeRepo(upstream);
  const user = `${t}/user`;
  await sh(t, "clone", "-q", upstream, user);
  await sh(user, "reset", "-q", "--hard", one);
  await sh(user, "update-ref", "-d", "refs/remotes/origin/main");
  await sh(user, "tag", "-d", "two");
  await sh(user, "reflog", "expire", "--expire=now", "--all");
  await sh(user, "gc", "-q", "--prune=now");
  await Deno.writeTextFile(`${user}/a.txt`, "local edit\n");
  return { upstream, user, one, two };
}

Deno.test("runRepro() fetches the report's commit, builds it in a worktree and stores verdict.json, leaving the checkout alone", async () => {
  const t = await Deno.makeTempDir({ prefix: "kcross-repro-" });
  const prevState = Deno.env.get("KCROSS_STATE_DIR");
  Deno.env.set("KCROSS_STATE_DIR", `${t}/state`);
  try {
    const { upstream, user, two } = await setup(t);
    const before = await snapshot(user);
    const engine = fakeEngine(report(upstream, two), `${t}/record`);
    const out = recordingOutput();
    const r = await runRepro("report text", {
      out,
      signal: new AbortController().signal,
      engine,
      tree: user,
      jobs: 3,
    });
    assertEquals(r.verdict.verdict, "reproduced");
    assertEquals(r.verdict.commit, two);
    assertEquals(r.verdict.differences, []);
    const input = engine.inputs[0]!;
    assertEquals(input.triple, "powerpc-linux");
    assertEquals(input.tripleReason, "report");
    assertEquals(input.makeVars, ["W=1"]);
    assertEquals(input.targets, ["drivers/vfio/"]);
    assertEquals(input.config, { kind: "target", target: "allmodconfig" });
    assertEquals(input.jobs, 3);
    assertEquals(input.commitTime, 1672531200);
    assert(input.srcTree.startsWith(`${t}/state/worktrees/`), input.srcTree);
    const saved = JSON.parse(
      await Deno.readTextFile(`${t}/record/verdict.json`),
    );
    assertEquals(saved.verdict, "reproduced");
    assertEquals(saved.rows[0].status, "reproduced");
    assertStringIncludes(out.stderr.join("\n"), "git fetch --no-tags");
    assertEquals(await snapshot(user), before);
  } finally {
    if (prevState === undefined) Deno.env.delete("KCROSS_STATE_DIR");
    else Deno.env.set("KCROSS_STATE_DIR", prevState);
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("runRepro() says not-reproduced on another commit and lists setup differences", async () => {
  const t = await Deno.makeTempDir({ prefix: "kcross-repro-" });
  const prevState = Deno.env.get("KCROSS_STATE_DIR");
  Deno.env.set("KCROSS_STATE_DIR", `${t}/state`);
  try {
    const { upstream, user, one, two } = await setup(t);
    const engine = fakeEngine(report(upstream, two), `${t}/record`, {
      exact: false,
      ccText: "powerpc64-linux-gnu-gcc (Debian 12.2.0-13) 12.2.0",
    });
    const r = await runRepro("x", {
      out: recordingOutput(),
      signal: new AbortController().signal,
      engine,
      tree: user,
      commit: one,
      allowSubstitute: true,
    });
    assertEquals(r.verdict.verdict, "not-reproduced");
    assertEquals(r.verdict.rows[0]!.status, "missing");
    const diffs = r.verdict.differences.join("\n");
    assertStringIncludes(diffs, "compiler substituted");
    assertStringIncludes(diffs, `built commit ${one.slice(0, 12)}`);
    assertStringIncludes(diffs, "compiler version text");
  } finally {
    if (prevState === undefined) Deno.env.delete("KCROSS_STATE_DIR");
    else Deno.env.set("KCROSS_STATE_DIR", prevState);
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("runRepro() names the remote and commit it needs when it cannot fetch", async () => {
  const t = await Deno.makeTempDir({ prefix: "kcross-repro-" });
  const prevState = Deno.env.get("KCROSS_STATE_DIR");
  Deno.env.set("KCROSS_STATE_DIR", `${t}/state`);
  try {
    const { user, two } = await setup(t);
    const gone = `${t}/no-such-remote`;
    const engine = fakeEngine(report(gone, two), `${t}/record`);
    const base = {
      out: recordingOutput(),
      signal: new AbortController().signal,
      engine,
      tree: user,
    };
    const e = await assertRejects(() => runRepro("x", base), InfraError);
    assertStringIncludes(e.message, two);
    assertStringIncludes(e.message, gone);
    assertStringIncludes(e.hint ?? "", `git fetch --no-tags ${gone} main`);
    const off = await assertRejects(
      () => runRepro("x", { ...base, offline: true }),
      InfraError,
    );
    assertStringIncludes(off.message, two);
    const noTree = fakeEngine(
      { ...report(gone, two), tree_url: null },
      `${t}/r`,
    );
    await assertRejects(
      () => runRepro("x", { ...base, engine: noTree }),
      UserError,
      "names no tree",
    );
    await assertRejects(
      () => runRepro("x", { ...base, tree: t }),
      UserError,
      "Not a git",
    );
  } finally {
    if (prevState === undefined) Deno.env.delete("KCROSS_STATE_DIR");
    else Deno.env.set("KCROSS_STATE_DIR", prevState);
    await Deno.remove(t, { recursive: true });
  }
});
