import { fakeRecord } from "../_support/fake_record.ts";
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
import { scopedEnv } from "../_support/env.ts";

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
  opts: {
    exact?: boolean;
    ccText?: string;
    fetchConfig?: (url: string) => Promise<string>;
    result?: "fail" | "infra-error";
    /** make stopped in its config step (the record has no config section). */
    configFailed?: boolean;
  } = {},
): Fake {
  const inputs: ReproBuildInput[] = [];
  return {
    inputs,
    fetchConfig: (url) =>
      opts.fetchConfig?.(url) ??
        Promise.reject(
          new InfraError(`Cannot fetch config "${url}": HTTP 404`),
        ),
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
        record: fakeRecord(opts.configFailed ? { config: null } : {}),
        result: opts.result ?? "fail",
        reason: opts.result === "infra-error"
          ? "disk full"
          : opts.configFailed
          ? 'config step "olddefconfig" failed (make exit 2)'
          : null,
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
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${t}/state` });
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
    // the robot builds allmodconfig with CONFIG_WERROR off
    assertEquals(input.werror, "off");
    assertEquals(r.verdict.werror.mode, "off");
    assertEquals(r.verdict.werror.from, "robot policy");
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
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("runRepro() says not-reproduced on another commit and lists setup differences", async () => {
  const t = await Deno.makeTempDir({ prefix: "kcross-repro-" });
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${t}/state` });
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
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("runRepro() names the remote and commit it needs when it cannot fetch", async () => {
  const t = await Deno.makeTempDir({ prefix: "kcross-repro-" });
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${t}/state` });
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
    await Deno.remove(t, { recursive: true });
  }
});

async function withRepo(
  fn: (t: string, r: Awaited<ReturnType<typeof setup>>) => Promise<void>,
): Promise<void> {
  const t = await Deno.makeTempDir({ prefix: "kcross-repro-" });
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${t}/state` });
  try {
    await fn(t, await setup(t));
  } finally {
    await Deno.remove(t, { recursive: true });
  }
}

Deno.test("runRepro() regenerates a named config whose URL cannot be fetched, and names it a setup difference", async () => {
  await withRepo(async (t, { upstream, user, two }) => {
    const fields = {
      ...report(upstream, two),
      config_url: "https://download.01.org/0day-ci/archive/20220122/x/config",
    };
    const engine = fakeEngine(fields, `${t}/record`);
    const r = await runRepro("x", {
      out: recordingOutput(),
      signal: new AbortController().signal,
      engine,
      tree: user,
    });
    assertEquals(r.verdict.verdict, "reproduced");
    assertEquals(engine.inputs[0]!.config, {
      kind: "target",
      target: "allmodconfig",
    });
    assertEquals(engine.inputs[0]!.werror, "off");
    const diffs = r.verdict.differences.join("\n");
    assertStringIncludes(diffs, "config URL not fetched (HTTP 404)");
    assertStringIncludes(diffs, "regenerated powerpc-allmodconfig");
    assertStringIncludes(diffs, "CONFIG_WERROR off");
  });
});

Deno.test("runRepro() downloads a config URL once and builds the file with its own CONFIG_WERROR; --werror=off overrides", async () => {
  await withRepo(async (t, { upstream, user, two }) => {
    const url = "https://download.01.org/0day-ci/archive/20220122/y/config";
    let fetched = 0;
    const engine = fakeEngine(
      { ...report(upstream, two), config_url: url },
      `${t}/record`,
      { fetchConfig: () => (fetched++, Promise.resolve("CONFIG_WERROR=y\n")) },
    );
    const base = {
      out: recordingOutput(),
      signal: new AbortController().signal,
      engine,
      tree: user,
    };
    const r = await runRepro("x", base);
    const input = engine.inputs[0]!;
    assertEquals(input.config.kind, "file");
    assertEquals(input.werror, "keep");
    assertEquals(r.verdict.differences, []);
    const path = (input.config as { path: string }).path;
    assertEquals(await Deno.readTextFile(path), "CONFIG_WERROR=y\n");
    // a second run, even offline, reads the download
    await runRepro("x", { ...base, offline: true, werror: "off" });
    assertEquals(fetched, 1);
    assertEquals(engine.inputs[1]!.config, input.config);
    assertEquals(engine.inputs[1]!.werror, "off");
  });
});

Deno.test("runRepro() stops on a randconfig URL it cannot fetch: exit 3 online, 2 offline, with where to get it", async () => {
  await withRepo(async (t, { upstream, user, two }) => {
    const url = "https://download.01.org/0day-ci/archive/20200813/z/config";
    const engine = fakeEngine(
      {
        ...report(upstream, two),
        config_name: "s390-randconfig-r012-20200813",
        config_url: url,
      },
      `${t}/record`,
      {
        fetchConfig: () =>
          Promise.reject(
            new InfraError(`Cannot fetch config "${url}": connection refused`),
          ),
      },
    );
    const base = {
      out: recordingOutput(),
      signal: new AbortController().signal,
      engine,
      tree: user,
    };
    const e = await assertRejects(() => runRepro("x", base), InfraError);
    assertStringIncludes(e.message, "connection refused");
    assertStringIncludes(e.hint ?? "", "--config FILE");
    await assertRejects(
      () => runRepro("x", { ...base, offline: true }),
      UserError,
      "--offline",
    );
    assertEquals(engine.inputs.length, 0);
  });
});

Deno.test("runRepro() turns a build that could not run into an infrastructure error, not a verdict", async () => {
  await withRepo(async (t, { upstream, user, two }) => {
    const engine = fakeEngine(report(upstream, two), `${t}/record`, {
      result: "infra-error",
    });
    const e = await assertRejects(
      () =>
        runRepro("x", {
          out: recordingOutput(),
          signal: new AbortController().signal,
          engine,
          tree: user,
        }),
      InfraError,
    );
    assertStringIncludes(e.message, "disk full");
  });
});

Deno.test("runRepro() turns a build that stopped in its config step into an infrastructure error, not a verdict", async () => {
  await withRepo(async (t, { upstream, user, two }) => {
    const engine = fakeEngine(report(upstream, two), `${t}/record`, {
      configFailed: true,
    });
    const e = await assertRejects(
      () =>
        runRepro("x", {
          out: recordingOutput(),
          signal: new AbortController().signal,
          engine,
          tree: user,
        }),
      InfraError,
    );
    assertStringIncludes(
      e.message,
      'The build stopped in its config step, before compiling anything: config step "olddefconfig" failed',
    );
    assertStringIncludes(e.hint ?? "", "no verdict on the report");
    assertStringIncludes(e.hint ?? "", `${t}/record/config.log`);
  });
});
