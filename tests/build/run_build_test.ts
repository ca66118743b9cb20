import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { exitCodeForResult, runBuild } from "../../src/build/run_build.ts";
import { recordingOutput } from "../../src/util/output.ts";
import type { RecordMetadata } from "../../src/record/types.ts";
import { fakePlan, makeFakeTree } from "./_run_fake_tree.ts";
import { scopedEnv } from "../_support/env.ts";
import { sha256Hex } from "../../src/util/digest.ts";
import { waitGone } from "../_support/procs.ts";
import { UserError } from "../../src/errors.ts";
import { exists } from "../_support/temp.ts";

const BASE_ENV = {
  PATH: "/usr/bin:/bin",
  HOME: "/nonexistent",
  LC_ALL: "de_DE.UTF-8",
  LC_MESSAGES: "de_DE.UTF-8",
};

function readMeta(dir: string): RecordMetadata {
  return JSON.parse(Deno.readTextFileSync(`${dir}/metadata.json`));
}

Deno.test("runBuild() records a passing build: log, timed log, config, metadata, reproducer", async () => {
  await using tree = await makeFakeTree();
  const out = recordingOutput();
  const rec = `${tree.root}/rec`;
  const outcome = await runBuild(fakePlan(tree, ["drivers/foo/"]), {
    out,
    signal: new AbortController().signal,
    recordDir: rec,
    baseEnv: BASE_ENV,
  });
  assertEquals(outcome.result, "pass");
  assertEquals(outcome.exitCode, 0);
  assertEquals(outcome.recordDir, rec);
  assertEquals(outcome.id, "rec");
  assertEquals(exitCodeForResult(outcome.result), 0);

  const log = await Deno.readTextFile(`${rec}/build.log`);
  assertStringIncludes(log, "  CC      drivers/foo/main.o\n");
  // Pinned environment: C locale, fixed user/host, a timestamp.
  assertMatch(log, /env: LANG=C TS=\S+ USER=kcross HOST=kcross/);
  const timed = await Deno.readTextFile(`${rec}/build.timed.log`);
  assertMatch(timed, /^\[\s+\d+\.\d{3}\] {3}CC {6}drivers\/foo\/main\.o$/m);
  // Echoed live to the output, line by line.
  assert(out.stdout.includes("  CC      drivers/foo/main.o"));

  const meta = readMeta(rec);
  assertEquals(meta.result, "pass");
  assertEquals(meta.exit, { code: 0, signal: null });
  assertEquals(meta.tree.kernelVersion, "6.1.0-fake");
  assertEquals(meta.tree.commit, null);
  assertEquals(meta.plan.env.LANG, "C");
  assertEquals(meta.plan.env.KBUILD_BUILD_USER, "kcross");
  assert(meta.plan.envUnset.includes("LC_MESSAGES"));
  assertEquals(meta.toolchain?.ccVersionText, "fake-gcc (Fake) 1.0");
  assertEquals(meta.toolchain?.provider, "system");
  assertEquals(meta.config?.werror, "keep");
  assertEquals(meta.config?.werrorEnabled, true);
  assertEquals(meta.config?.reused, false);
  assertMatch(meta.config?.sha256 ?? "", /^[0-9a-f]{64}$/);
  assert(typeof meta.timings.build === "number");
  assert(typeof meta.timings.config === "number");
  assertEquals(meta.files, [
    "build.log",
    "build.timed.log",
    "config",
    "config.log",
    "diagnostics.json",
    "metadata.json",
    "reproducer.sh",
  ]);
  assertStringIncludes(
    await Deno.readTextFile(`${rec}/config`),
    "CONFIG_FOO=y",
  );
  const script = await Deno.readTextFile(`${rec}/reproducer.sh`);
  assertStringIncludes(
    script,
    "kcross build --arch fake --compiler gcc-1.0 --config allmodconfig -W 1 --out build_dir drivers/foo/\n",
  );
  assertStringIncludes(
    script,
    "#   COMPILER=gcc-1.0 make.cross O=build_dir ARCH=fake W=1 drivers/foo/",
  );
  assert(!script.includes(tree.root), "no absolute paths from this machine");
  for await (const e of Deno.readDir(rec)) {
    assert(!e.name.endsWith(".tmp"), `leftover ${e.name}`);
  }
});

Deno.test("runBuild() records a failing build as fail, stdout and stderr in order", async () => {
  await using tree = await makeFakeTree();
  const rec = `${tree.root}/rec`;
  const plan = fakePlan(tree, ["drivers/foo/"]);
  plan.env = { FAKE_FAIL: "1" };
  const outcome = await runBuild(plan, {
    out: recordingOutput(),
    signal: new AbortController().signal,
    recordDir: rec,
    baseEnv: BASE_ENV,
  });
  assertEquals(outcome.result, "fail");
  assertEquals(outcome.exitCode, 2);
  assertEquals(exitCodeForResult(outcome.result), 1);
  const log = await Deno.readTextFile(`${rec}/build.log`);
  const cc = log.indexOf("  CC      drivers/foo/main.o");
  const warning = log.indexOf("drivers/foo/main.c:5:1: warning: unused thing");
  const error = log.indexOf("drivers/foo/main.c:12:3: error: boom");
  assert(cc >= 0 && cc < warning && warning < error, log);
  const meta = readMeta(rec);
  assertEquals(meta.result, "fail");
  assertEquals(meta.reason, "make exited with 2");
  assertEquals(meta.plan.env.FAKE_FAIL, "1");
});

Deno.test("a directory target whose Kconfig symbol is off is an empty build, unless allowed", async (t) => {
  await using tree = await makeFakeTree();
  const config = {
    source: { kind: "target" as const, target: "allnoconfig" },
    fragments: [],
    sets: [],
    werror: "keep" as const,
  };
  await t.step("empty without allowEmpty", async () => {
    const rec = `${tree.root}/rec1`;
    const outcome = await runBuild(fakePlan(tree, ["drivers/foo/"], config), {
      out: recordingOutput(),
      signal: new AbortController().signal,
      recordDir: rec,
      baseEnv: BASE_ENV,
    });
    assertEquals(outcome.result, "empty");
    assertEquals(outcome.exitCode, 0);
    assertEquals(exitCodeForResult(outcome.result), 1);
    assertEquals(
      outcome.reason,
      "drivers/foo/: nothing was built: CONFIG_FOO is not set",
    );
    assertEquals(readMeta(rec).result, "empty");
  });
  await t.step("pass with allowEmpty", async () => {
    const plan = fakePlan(tree, ["drivers/foo/"], config);
    plan.allowEmpty = true;
    const outcome = await runBuild(plan, {
      out: recordingOutput(),
      signal: new AbortController().signal,
      recordDir: `${tree.root}/rec2`,
      baseEnv: BASE_ENV,
    });
    assertEquals(outcome.result, "pass");
  });
});

Deno.test("the empty-target verdict and the config digest are the final .config's when make rewrites it (syncconfig)", async (t) => {
  await using tree = await makeFakeTree();
  const base = (target: string) => ({
    source: { kind: "target" as const, target },
    fragments: [],
    sets: [],
    werror: "keep" as const,
  });
  const cases = [
    // Off when make starts, on after its syncconfig: something was built.
    ["allnoconfig", "CONFIG_FOO=y", "pass", null],
    // On when make starts, off after it: nothing was built.
    [
      "allmodconfig",
      "# CONFIG_FOO is not set",
      "empty",
      "drivers/foo/: nothing was built: CONFIG_FOO is not set",
    ],
    // Not rewritten: the digest worked out while make ran is the one kept.
    [
      "allnoconfig",
      "",
      "empty",
      "drivers/foo/: nothing was built: CONFIG_FOO is not set",
    ],
  ] as const;
  for (const [i, [start, appended, result, reason]] of cases.entries()) {
    await t.step(
      `${start} + "${appended}" during make: ${result}`,
      async () => {
        const plan = fakePlan(tree, ["drivers/foo/"], base(start));
        plan.env = { FAKE_SYNCCONFIG: appended };
        const outcome = await runBuild(plan, {
          out: recordingOutput(),
          signal: new AbortController().signal,
          recordDir: `${tree.root}/sync${i}`,
          baseEnv: BASE_ENV,
        });
        assertEquals(outcome.result, result);
        assertEquals(outcome.reason, reason);
        const meta = readMeta(`${tree.root}/sync${i}`);
        const final = Deno.readTextFileSync(`${plan.outDir}/.config`);
        assertEquals(final.includes(appended), true);
        assertEquals(
          Deno.readTextFileSync(`${tree.root}/sync${i}/config`),
          final,
        );
        assertEquals(meta.config?.sha256, sha256Hex(final));
      },
    );
  }
});

Deno.test("Ctrl-C during make ends its process group and records the build as interrupted", async () => {
  await using tree = await makeFakeTree();
  const rec = `${tree.root}/rec`;
  const pids = `${tree.root}/pids`;
  const plan = fakePlan(tree, ["drivers/foo/"]);
  plan.env = { FAKE_SLEEP: "120", FAKE_PIDS: pids };
  const controller = new AbortController();
  let metaWhileRunning: RecordMetadata | null = null;
  const out = recordingOutput();
  const origOut = out.out;
  const outcome = await runBuild(plan, {
    out: {
      ...out,
      out: (line) => {
        origOut(line);
        // Printed once the sleeps run and their pids are written.
        if (line === "sleeping") {
          metaWhileRunning = readMeta(rec);
          controller.abort();
        }
      },
    },
    signal: controller.signal,
    recordDir: rec,
    baseEnv: BASE_ENV,
  });
  assertEquals(outcome.result, "interrupted");
  assertEquals(exitCodeForResult(outcome.result), 130);
  // metadata.json existed (complete, parseable) while make was running.
  assertEquals(
    (metaWhileRunning as RecordMetadata | null)?.result,
    "running",
  );
  assertEquals(readMeta(rec).result, "interrupted");
  const started = (await Deno.readTextFile(pids)).trim().split("\n").map(
    Number,
  );
  assertEquals(started.length, 3);
  assertEquals(await waitGone(started), [], "no stray processes");
});

Deno.test("infrastructure failures are infra-error, not fail", async (t) => {
  await using tree = await makeFakeTree();
  const opts = (name: string) => ({
    out: recordingOutput(),
    signal: new AbortController().signal,
    recordDir: `${tree.root}/${name}`,
    baseEnv: BASE_ENV,
  });
  await t.step("toolchain missing", async () => {
    const plan = fakePlan(tree, ["drivers/foo/"]);
    plan.toolchain = {
      ...tree.toolchain,
      crossCompile: `${tree.root}/nowhere/fake-linux-`,
    };
    const outcome = await runBuild(plan, opts("tc"));
    assertEquals(outcome.result, "infra-error");
    assertEquals(exitCodeForResult(outcome.result), 3);
    assertStringIncludes(outcome.reason ?? "", "missing its compiler");
    assertEquals(readMeta(`${tree.root}/tc`).result, "infra-error");
  });
  await t.step("make not found", async () => {
    const plan = fakePlan(tree, ["drivers/foo/"]);
    plan.argv[0] = "kcross-no-such-make";
    const outcome = await runBuild(plan, opts("make"));
    assertEquals(outcome.result, "infra-error");
    assertStringIncludes(outcome.reason ?? "", "not found on PATH");
  });
  await t.step("disk full during the build", async () => {
    const plan = fakePlan(tree, ["drivers/foo/"]);
    plan.env = { FAKE_NOSPACE: "1" };
    const outcome = await runBuild(plan, opts("nospace"));
    assertEquals(outcome.result, "infra-error");
    assertEquals(outcome.reason, "disk full");
  });
});

Deno.test("runBuild() names the commit, dirty flag and commit-time timestamp of a git tree", async () => {
  await using tree = await makeFakeTree();
  const git = async (...args: string[]) => {
    const r = await new Deno.Command("git", {
      args,
      cwd: tree.srcTree,
      env: {
        GIT_AUTHOR_NAME: "t",
        GIT_AUTHOR_EMAIL: "t@t.invalid",
        GIT_COMMITTER_NAME: "t",
        GIT_COMMITTER_EMAIL: "t@t.invalid",
        GIT_COMMITTER_DATE: "2023-01-02T03:04:05+00:00",
        GIT_AUTHOR_DATE: "2023-01-02T03:04:05+00:00",
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(r.success, new TextDecoder().decode(r.stderr));
    return new TextDecoder().decode(r.stdout).trim();
  };
  await git("init", "-q");
  await git("add", "-A");
  await git("commit", "-q", "-m", "base");
  const head = await git("rev-parse", "HEAD");
  const run = async (name: string) => {
    await runBuild(fakePlan(tree, ["drivers/foo/"]), {
      out: recordingOutput(),
      signal: new AbortController().signal,
      recordDir: `${tree.root}/${name}`,
      baseEnv: BASE_ENV,
    });
    return readMeta(`${tree.root}/${name}`);
  };
  const clean = await run("clean");
  assertEquals(clean.tree.commit, head);
  assertEquals(clean.tree.dirty, false);
  assertEquals(
    clean.plan.env.KBUILD_BUILD_TIMESTAMP,
    "2023-01-02T03:04:05+00:00",
  );
  const script = await Deno.readTextFile(`${tree.root}/clean/reproducer.sh`);
  assertStringIncludes(script, `at commit ${head}`);
  await Deno.writeTextFile(`${tree.srcTree}/drivers/foo/main.c`, "int z;\n");
  const dirty = await run("dirty");
  assertEquals(dirty.tree.dirty, true);
});

Deno.test("--ccache runs the compiler through ccache with kcross's own CCACHE_DIR and records hits and misses", async () => {
  await using tree = await makeFakeTree();
  await using _env = await scopedEnv({
    KCROSS_CACHE_DIR: `${tree.root}/cache`,
  });
  const run = async (name: string) => {
    const plan = fakePlan(tree, ["drivers/foo/"]);
    plan.ccache = true;
    const outcome = await runBuild(plan, {
      out: recordingOutput(),
      signal: new AbortController().signal,
      recordDir: `${tree.root}/${name}`,
      baseEnv: BASE_ENV,
    });
    assertEquals(outcome.result, "pass");
    return readMeta(`${tree.root}/${name}`);
  };
  const first = await run("first");
  assertEquals(first.plan.env.CCACHE_DIR, `${tree.root}/cache/ccache`);
  assert(
    first.plan.argv.includes(`CC=ccache ${tree.toolchain.crossCompile}gcc`),
    first.plan.argv.join(" "),
  );
  assertEquals(first.ccache?.misses, 1);
  assertEquals(first.ccache?.hits, 0);
  await Deno.remove(`${tree.outDir}/drivers/foo/main.o`);
  const second = await run("second");
  assertEquals(second.ccache?.hits, 1);
  assertEquals(second.ccache?.misses, 0);
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`a real ${signal} to kcross ends make's group and exits 130 with an interrupted record`, async () => {
    await using tree = await makeFakeTree();
    const rec = `${tree.root}/rec`;
    const pids = `${tree.root}/pids`;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--no-check",
        new URL("./_run_interrupt_child.ts", import.meta.url).pathname,
        tree.srcTree,
        tree.outDir,
        `${tree.root}/bin`,
        rec,
        pids,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let seen = "";
    while (!seen.includes("sleeping\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    assertStringIncludes(seen, "sleeping");
    child.kill(signal);
    while (!(await reader.read()).done) { /* drain */ }
    const status = await child.status;
    assertEquals(status.code, 130);
    assertEquals(readMeta(rec).result, "interrupted");
    const started = (await Deno.readTextFile(pids)).trim().split("\n").map(
      Number,
    );
    assertEquals(await waitGone(started), [], "no stray processes");
  });
}

Deno.test("runBuild() stopped by a user error removes a record dir it made, never a --record-dir that was there before (it may be the tree or $HOME)", async () => {
  await using tree = await makeFakeTree();
  const refused = {
    source: { kind: "target" as const, target: "allmodconfig" },
    fragments: [],
    sets: ['CONFIG_LOCALVERSION="$(shell id)"'],
    werror: "keep" as const,
  };
  const run = (recordDir: string) =>
    assertRejects(
      () =>
        runBuild(fakePlan(tree, ["drivers/foo/"], refused), {
          out: recordingOutput(),
          signal: new AbortController().signal,
          recordDir,
          baseEnv: BASE_ENV,
        }),
      UserError,
      "CONFIG_LOCALVERSION",
    );
  await run(`${tree.root}/fresh`);
  assertEquals(exists(`${tree.root}/fresh`), false);
  const mine = `${tree.root}/mine`;
  await Deno.mkdir(mine);
  await Deno.writeTextFile(`${mine}/precious`, "keep me\n");
  await run(mine);
  assertEquals(await Deno.readTextFile(`${mine}/precious`), "keep me\n");
});
