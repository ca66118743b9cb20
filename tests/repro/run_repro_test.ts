/**
 * runRepro() on real git repositories with the real report parser, planner
 * and builder over a fake make (`tests/_support/fake_make.ts`): the
 * report's commit is fetched and built in a kcross worktree, and the
 * verdict is stored in the build record.
 */
import { runRepro } from "../../src/repro/run_repro.ts";
import { buildContext } from "../../src/build/mod.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { InfraError, UserError } from "../../src/errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import {
  fakeMake,
  KERNEL_MAKEFILE,
  shimToolchain,
} from "../_support/fake_make.ts";
import { makeRepo, sh, snapshot } from "../git/_repo.ts";
import { scopedEnv } from "../_support/env.ts";
import { reportText, type ReportTextOptions } from "./_report.ts";

/**
 * The real builder on a make whose build prints the reported error when
 * a.txt says "two"; the toolchain is a gcc shim, config downloads go to
 * `fetchConfig`.
 */
async function fakeRepro(
  t: string,
  opts: {
    exact?: boolean;
    ccText?: string;
    fetchConfig?: (url: string) => Promise<Response>;
    /** The build cannot run (the runner throws). */
    infra?: boolean;
    /** make stopped in its config step. */
    configFailed?: boolean;
  } = {},
) {
  const toolchain = await shimToolchain(`${t}/0day`);
  const make = fakeMake({
    config: () =>
      `CONFIG_CC_VERSION_TEXT="${
        opts.ccText ?? "powerpc-linux-gcc (GCC) 11.2.0"
      }"\n`,
    ...(opts.configFailed ? { configCode: 2 } : {}),
    build: async (call) => {
      if (opts.infra) throw new InfraError("disk full");
      const content = await Deno.readTextFile(`${call.cwd}/a.txt`);
      return content === "two\n"
        ? { lines: ["a.txt:1:1: error: boom"], code: 2 }
        : { lines: [], code: 0 };
    },
  });
  const context = buildContext({
    proc: make.proc,
    fetch: (input) =>
      opts.fetchConfig?.(String(input)) ??
        Promise.resolve(new Response("", { status: 404 })),
    resolveToolchain: (req) =>
      Promise.resolve({
        ...toolchain,
        requested: req.compiler,
        exact: opts.exact ?? true,
        ...(opts.exact === false
          ? { version: "12.2.0", provider: "system" as const }
          : {}),
      }),
  });
  return { context, make };
}

/** The report on `tree` at `commit`, reporting a.txt's error. */
function report(
  tree: string | null,
  commit: string,
  more: Partial<ReportTextOptions> = {},
): string {
  return reportText({
    tree,
    commit,
    diagnostic: "a.txt:1:1: error: boom",
    ...more,
  });
}

async function setup(t: string) {
  const upstream = `${t}/upstream`;
  const { one, two } = await makeRepo(upstream, { Makefile: KERNEL_MAKEFILE });
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
    const { context, make } = await fakeRepro(t);
    const out = recordingOutput();
    const r = await runRepro(report(upstream, two), {
      out,
      signal: new AbortController().signal,
      context,
      tree: user,
      jobs: 3,
    });
    assertEquals(r.verdict.verdict, "reproduced");
    assertEquals(r.verdict.commit, two);
    assertEquals(r.verdict.differences, []);
    const meta = JSON.parse(
      await Deno.readTextFile(`${r.verdict.build!.recordDir}/metadata.json`),
    );
    assertEquals(meta.plan.triple, "powerpc-linux");
    assertEquals(meta.plan.tripleReason, "report");
    const [configure] = make.calls;
    assertEquals(configure!.goals, ["allmodconfig"]);
    const [build] = make.builds();
    assertEquals(build!.goals, ["drivers/vfio/"]);
    assert(build!.argv.includes("W=1"), build!.argv.join(" "));
    assert(build!.argv.includes("--jobs=3"), build!.argv.join(" "));
    // the robot builds allmodconfig with CONFIG_WERROR off
    assertEquals(r.verdict.werror.mode, "off");
    assertEquals(r.verdict.werror.from, "robot policy");
    assert(build!.cwd.startsWith(`${t}/state/worktrees/`), build!.cwd);
    const saved = JSON.parse(await Deno.readTextFile(r.verdictPath));
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
    const { context } = await fakeRepro(t, {
      exact: false,
      ccText: "powerpc64-linux-gnu-gcc (Debian 12.2.0-13) 12.2.0",
    });
    const r = await runRepro(report(upstream, two), {
      out: recordingOutput(),
      signal: new AbortController().signal,
      context,
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
    const { context } = await fakeRepro(t);
    const base = {
      out: recordingOutput(),
      signal: new AbortController().signal,
      context,
      tree: user,
    };
    const text = report(gone, two);
    const e = await assertRejects(() => runRepro(text, base), InfraError);
    assertStringIncludes(e.message, two);
    assertStringIncludes(e.message, gone);
    assertStringIncludes(e.hint ?? "", `git fetch --no-tags ${gone} main`);
    const off = await assertRejects(
      () => runRepro(text, { ...base, offline: true }),
      InfraError,
    );
    assertStringIncludes(off.message, two);
    await assertRejects(
      () => runRepro(report(null, two), base),
      UserError,
      'no "tree:"',
    );
    await assertRejects(
      () => runRepro(text, { ...base, tree: t }),
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
    const text = report(upstream, two, {
      configUrl: "https://download.01.org/0day-ci/archive/20220122/x/config",
    });
    const { context, make } = await fakeRepro(t);
    const r = await runRepro(text, {
      out: recordingOutput(),
      signal: new AbortController().signal,
      context,
      tree: user,
    });
    assertEquals(r.verdict.verdict, "reproduced");
    assertEquals(make.calls[0]!.goals, ["allmodconfig"]);
    assertEquals(r.verdict.werror.mode, "off");
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
    const { context, make } = await fakeRepro(t, {
      fetchConfig:
        () => (fetched++, Promise.resolve(new Response("CONFIG_WERROR=y\n"))),
    });
    const text = report(upstream, two, { configUrl: url });
    const base = {
      out: recordingOutput(),
      signal: new AbortController().signal,
      context,
      tree: user,
    };
    const r = await runRepro(text, base);
    assertStringIncludes(r.verdict.config, url);
    assertEquals(r.verdict.werror.mode, "keep");
    assertEquals(r.verdict.differences, []);
    // the download is the config file the build starts from
    const configs = [...Deno.readDirSync(`${t}/state/repro/configs`)];
    assertEquals(configs.length, 1);
    const path = `${t}/state/repro/configs/${configs[0]!.name}`;
    assertEquals(await Deno.readTextFile(path), "CONFIG_WERROR=y\n");
    assertEquals(make.calls[0]!.goals, ["olddefconfig"]);
    // a second run, even offline, reads the download
    const again = await runRepro(text, {
      ...base,
      offline: true,
      werror: "off",
    });
    assertEquals(fetched, 1);
    assertStringIncludes(again.verdict.config, url);
    assertEquals(again.verdict.werror.mode, "off");
  });
});

Deno.test("runRepro() refuses a forged report whose config URL points at the metadata service or loopback: exit 2, no request, nothing cached or built", async () => {
  const t = await Deno.makeTempDir({ prefix: "kcross-repro-" });
  await using _env = await scopedEnv({
    KCROSS_STATE_DIR: `${t}/state`,
    KCROSS_ALLOW_PRIVATE_URLS: undefined,
  });
  try {
    const { upstream, user, two } = await setup(t);
    for (
      const url of [
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "http://2130706433:8080/config",
        "http://[::ffff:10.0.0.1]/config",
      ]
    ) {
      const asked: string[] = [];
      const { context, make } = await fakeRepro(t, {
        fetchConfig: (u) => (asked.push(u), Promise.resolve(new Response(""))),
      });
      const e = await assertRejects(
        () =>
          runRepro(report(upstream, two, { configUrl: url }), {
            out: recordingOutput(),
            signal: new AbortController().signal,
            context,
            tree: user,
          }),
        UserError,
        "Refusing to fetch config",
      );
      assertStringIncludes(e.hint ?? "", "--config FILE");
      assertEquals(asked, [], url);
      assertEquals(make.calls.length, 0);
    }
    let cached = 0;
    try {
      cached = [...Deno.readDirSync(`${t}/state/repro/configs`)].length;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    assertEquals(cached, 0);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});

Deno.test("runRepro() stops on a randconfig URL it cannot fetch: exit 3 online, 2 offline, with where to get it", async () => {
  await withRepo(async (t, { upstream, user, two }) => {
    const url = "https://download.01.org/0day-ci/archive/20200813/z/config";
    const text = report(upstream, two, {
      configName: "s390-randconfig-r012-20200813",
      configUrl: url,
    });
    const { context, make } = await fakeRepro(t, {
      fetchConfig: () => Promise.reject(new TypeError("connection refused")),
    });
    const base = {
      out: recordingOutput(),
      signal: new AbortController().signal,
      context,
      tree: user,
    };
    const e = await assertRejects(() => runRepro(text, base), InfraError);
    assertStringIncludes(e.message, "connection refused");
    assertStringIncludes(e.hint ?? "", "--config FILE");
    await assertRejects(
      () => runRepro(text, { ...base, offline: true }),
      UserError,
      "--offline",
    );
    assertEquals(make.calls.length, 0);
  });
});

Deno.test("runRepro() turns a build that could not run into an infrastructure error, not a verdict", async () => {
  await withRepo(async (t, { upstream, user, two }) => {
    const { context } = await fakeRepro(t, { infra: true });
    const e = await assertRejects(
      () =>
        runRepro(report(upstream, two), {
          out: recordingOutput(),
          signal: new AbortController().signal,
          context,
          tree: user,
        }),
      InfraError,
    );
    assertStringIncludes(e.message, "disk full");
  });
});

Deno.test("runRepro() turns a build that stopped in its config step into an infrastructure error, not a verdict", async () => {
  await withRepo(async (t, { upstream, user, two }) => {
    const { context } = await fakeRepro(t, { configFailed: true });
    const e = await assertRejects(
      () =>
        runRepro(report(upstream, two), {
          out: recordingOutput(),
          signal: new AbortController().signal,
          context,
          tree: user,
        }),
      InfraError,
    );
    assertStringIncludes(
      e.message,
      "The build stopped in its config step, before compiling anything: config step",
    );
    assertStringIncludes(e.hint ?? "", "no verdict on the report");
    assertStringIncludes(e.hint ?? "", "/config.log");
  });
});
