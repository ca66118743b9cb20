/**
 * `runPresubmit()` on a small git repository with a fake cell runner: which
 * builds happen where (one pooled worktree moved from commit to commit, one
 * build dir per cell), what is judged new, the summaries, the progress and
 * the answer; and the command on a `BuildContext` (the real cell runner and
 * builder over a fake make).
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { gitIn, tempRepo } from "../series/_fake.ts";
import { parseDiagnosticLine } from "../../src/series/parse_diagnostic.ts";
import { InfraError, UserError } from "../../src/errors.ts";
import type { CellRunner } from "../../src/matrix/runner.ts";
import { infraOutcome } from "../../src/matrix/runner.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { runPresubmit } from "../../src/presubmit/run_presubmit.ts";
import { presubmitCommandWith } from "../../src/presubmit/presubmit_command.ts";
import type { PresubmitResult } from "../../src/presubmit/types.ts";
import { scopedEnv } from "../_support/env.ts";
import { recording, subcommands } from "../_support/recording_runner.ts";
import { fakeMake, shimToolchain } from "../_support/fake_make.ts";
import { type BuildContext, buildContext } from "../../src/build/mod.ts";

const PROFILE = `name = "test-profile"
[make]
W = "1"
[matrix]
arch = ["powerpc", "arm64"]
config = ["allnoconfig"]
compiler = ["gcc-12.2.0"]
[[include]]
arch = "x86_64"
config = "allyesconfig"
compiler = "gcc-99"
`;

interface Call {
  key: string;
  srcTree: string;
  buildDir: string;
  commit: string | null;
  ccache: boolean;
}

/**
 * Diagnostics are the `<arch>: <diagnostic>` lines of the tree's diag.txt
 * for the cell's arch; gcc-99 cannot be had.
 */
function fakeRunner(calls: Call[]): CellRunner {
  return {
    async run(cell, ctx) {
      calls.push({
        key: cell.key,
        srcTree: ctx.srcTree,
        buildDir: ctx.buildDir,
        commit: ctx.commit,
        ccache: ctx.ccache,
      });
      if (cell.inputs.compiler === "gcc-99") {
        throw new InfraError(
          `Cannot get gcc 99 for "x86_64-linux": no such release`,
        );
      }
      const head = await gitIn(ctx.srcTree, ["rev-parse", "HEAD"]);
      if (head !== ctx.commit) throw new Error("worktree not at the commit");
      const text = await Deno.readTextFile(`${ctx.srcTree}/diag.txt`);
      const diagnostics = text.split("\n")
        .filter((l) => l.startsWith(`${cell.inputs.arch}: `))
        .map((l) => parseDiagnosticLine(l.slice(l.indexOf(": ") + 2)));
      return {
        ...infraOutcome(""),
        result: diagnostics.some((d) => d.severity === "error")
          ? "fail"
          : "pass",
        diagnostics,
        recordId: `rec-${calls.length}`,
        recordDir: `${ctx.buildDir}/rec-${calls.length}`,
        toolchain: { id: "gcc-12.2.0-system", version: "12.2.0", exact: false },
        reproducer: `kcross build --arch ${cell.inputs.arch}`,
      };
    },
  };
}

/**
 * The command's context: the real builder over a fake make whose builds
 * print the `<arch>: <diagnostic>` lines of the tree's diag.txt for their
 * ARCH; gcc-99 cannot be had, gcc-12.2.0 is a stand-in of the same version.
 */
async function diagContext(dir: string): Promise<BuildContext> {
  const toolchain = await shimToolchain(`${dir}/0day`);
  const make = fakeMake({
    build: async (call) => {
      const arch = call.argv.find((w) => w.startsWith("ARCH="))?.slice(5);
      const text = await Deno.readTextFile(`${call.cwd}/diag.txt`);
      const lines = text.split("\n")
        .filter((l) => l.startsWith(`${arch}: `))
        .map((l) => l.slice(l.indexOf(": ") + 2));
      return { lines, code: lines.some((l) => l.includes(" error: ")) ? 2 : 0 };
    },
  });
  return buildContext({
    proc: make.proc,
    resolveToolchain: (req) =>
      req.compiler === "gcc-99"
        ? Promise.reject(
          new InfraError(
            `Cannot get gcc 99 for "${req.triple}": no such release`,
          ),
        )
        : Promise.resolve({
          ...toolchain,
          id: "gcc-12.2.0-system",
          requested: req.compiler,
          version: "12.2.0",
          exact: false,
          triple: req.triple,
        }),
  });
}

const SERIES = [
  { subject: "vfio: a comment", files: { "a.c": "/* a */\n" } },
  {
    subject: "vfio: define VFIO_DEVICE_STATE_STOP",
    files: {
      "diag.txt":
        "powerpc: include/uapi/linux/vfio.h:608:37: error: expected identifier before '(' token\n",
    },
  },
  { subject: "README: unrelated", files: { README: "x\n" } },
];

async function run(
  repo: string,
  dir: string,
  calls: Call[],
  extra: Partial<Parameters<typeof runPresubmit>[0]> = {},
) {
  await Deno.writeTextFile(`${dir}/profile.toml`, PROFILE);
  const out = recordingOutput();
  const result = await runPresubmit({
    range: "base..master",
    profile: `${dir}/profile.toml`,
    cwd: repo,
    out,
    signal: new AbortController().signal,
    runner: fakeRunner(calls),
    ccache: true,
    stateDir: `${dir}/state`,
    cacheDir: `${dir}/cache`,
    cores: 2,
    ...extra,
  });
  return { result, out };
}

Deno.test("runPresubmit() builds base + every commit per cell in one moved worktree and judges what is new", async (t) => {
  await using r = await tempRepo("kcross-presubmit-", SERIES);
  const calls: Call[] = [];
  const userHead = await gitIn(r.repo, ["rev-parse", "HEAD"]);
  const rec = recording();
  const { result, out } = await run(r.repo, r.dir, calls, { proc: rec.proc });

  await t.step("every git call goes through the runner it was given", () => {
    const ran = subcommands(rec.argv);
    for (const sub of ["log --reverse", "log -1", "worktree add"]) {
      assert(ran.some((s) => s.startsWith(sub)), `${sub}: ${ran}`);
    }
  });

  await t.step(
    "the verdicts: powerpc reported at commit 2, arm64 clean, gcc-99 not run",
    () => {
      assertEquals(result.cells.map((c) => [c.key, c.status]), [
        ["powerpc/allnoconfig/gcc-12.2.0", "reported"],
        ["arm64/allnoconfig/gcc-12.2.0", "clean"],
        ["x86_64/allyesconfig/gcc-99", "not-run"],
      ]);
      const ppc = result.cells[0]!;
      assertEquals(ppc.reports.map((x) => x.commit.index), [2]);
      assertEquals(ppc.reports[0]!.lines, [
        ">> include/uapi/linux/vfio.h:608:37: error: expected identifier before '(' token",
      ]);
      assertStringIncludes(result.cells[2]!.reason ?? "", "Cannot get gcc 99");
      assertEquals(result.exitCode, 1);
      assertEquals(result.commits.map((c) => c.index), [0, 1, 2, 3]);
      assertEquals(result.commits.slice(1).map((c) => c.sha), r.shas);
    },
  );

  await t.step(
    "each cell builds base and 3 commits; the not-run cell is tried at the base only",
    () => {
      const per = (key: string) => calls.filter((c) => c.key === key);
      assertEquals(per("powerpc/allnoconfig/gcc-12.2.0").length, 4);
      assertEquals(per("arm64/allnoconfig/gcc-12.2.0").length, 4);
      // an infrastructure error is retried once, as in a matrix run
      assertEquals(per("x86_64/allyesconfig/gcc-99").length, 2);
      assert(calls.every((c) => c.ccache));
    },
  );

  await t.step(
    "one worktree for every commit, one build dir per cell kept across commits",
    () => {
      const trees = new Set(calls.map((c) => c.srcTree));
      assertEquals(trees.size, 1);
      assert([...trees][0]!.startsWith(`${r.dir}/state/presubmit/worktrees/`));
      for (
        const key of [
          "powerpc/allnoconfig/gcc-12.2.0",
          "arm64/allnoconfig/gcc-12.2.0",
        ]
      ) {
        const dirs = new Set(
          calls.filter((c) => c.key === key).map((c) => c.buildDir),
        );
        assertEquals(dirs.size, 1, key);
      }
      assertEquals(
        calls.filter((c) => c.key.startsWith("powerpc")).map((c) => c.commit),
        [result.commits[0]!.sha, ...r.shas],
      );
    },
  );

  await t.step(
    "summary.md and summary.html next to each other, result.json",
    async () => {
      const md = await Deno.readTextFile(`${result.dir}/summary.md`);
      assertStringIncludes(
        md,
        "1 of 3 cells would be reported (1 new diagnostic)",
      );
      assertStringIncludes(md, ">> include/uapi/linux/vfio.h:608:37: error:");
      assertStringIncludes(md, "not run: Cannot get gcc 99");
      const html = await Deno.readTextFile(`${result.dir}/summary.html`);
      assertStringIncludes(html, "kcross presubmit: base..master");
      assertStringIncludes(html, "&gt;&gt; include/uapi/linux/vfio.h:608:37");
      assertStringIncludes(html, 'data-result="not-run"');
      const json = JSON.parse(
        await Deno.readTextFile(`${result.dir}/result.json`),
      ) as PresubmitResult;
      assertEquals(json.totals.reported, 1);
    },
  );

  await t.step(
    "progress counts every build of the run and names cell and commit",
    () => {
      const err = out.stderr.join("\n");
      assertStringIncludes(err, "base + 3 commit(s) x 3 cell(s) = 12 builds");
      assertMatch(
        err,
        /\[\d+\/(12|9)\] powerpc\/allnoconfig\/gcc-12\.2\.0 @base [0-9a-f]{12}: pass/,
      );
      // the not-run cell's 3 later builds leave the total
      assertMatch(err, /\[9\/9\] \S+ @3\/3 [0-9a-f]{12}: /);
      assertStringIncludes(
        err,
        "x86_64/allyesconfig/gcc-99: not run at the series' commits",
      );
    },
  );

  await t.step("the user's checkout is untouched", async () => {
    assertEquals(await gitIn(r.repo, ["rev-parse", "HEAD"]), userHead);
    assertEquals(await gitIn(r.repo, ["status", "--porcelain"]), "");
  });
});

Deno.test("runPresubmit() on a clean series answers 0, and a second run reuses the worktree", async () => {
  await using r = await tempRepo("kcross-presubmit-clean-", [
    SERIES[0]!,
    SERIES[2]!,
  ]);
  await Deno.writeTextFile(
    `${r.dir}/clean.toml`,
    PROFILE.replace(/\[\[include\]\][^]*$/, ""),
  );
  const calls: Call[] = [];
  const first = await run(r.repo, r.dir, calls, {
    profile: `${r.dir}/clean.toml`,
  });
  assertEquals(first.result.exitCode, 0);
  assertEquals(first.result.totals.clean, 2);
  const again = await run(r.repo, r.dir, calls, {
    profile: `${r.dir}/clean.toml`,
  });
  assertEquals(again.result.exitCode, 0);
  assertEquals(new Set(calls.map((c) => c.srcTree)).size, 1);
  assert(first.result.id !== again.result.id);
});

Deno.test("runPresubmit() passes --allow-substitute/--allow-distro to every cell", async () => {
  await using r = await tempRepo("kcross-presubmit-allow-", [SERIES[0]!]);
  const seen: boolean[] = [];
  await Deno.writeTextFile(`${r.dir}/profile.toml`, PROFILE);
  await runPresubmit({
    range: "base..master",
    profile: `${r.dir}/profile.toml`,
    cwd: r.repo,
    out: recordingOutput(),
    signal: new AbortController().signal,
    runner: {
      run(cell) {
        seen.push(!!cell.inputs.allowDistro && !!cell.inputs.allowSubstitute);
        return Promise.resolve({
          ...infraOutcome(""),
          result: "pass",
          recordId: "r",
        });
      },
    },
    ccache: false,
    allowDistro: true,
    allowSubstitute: true,
    stateDir: `${r.dir}/state`,
    cacheDir: `${r.dir}/cache`,
    cores: 2,
  });
  assertEquals(seen.length, 6);
  assert(seen.every((x) => x));
});

Deno.test("runPresubmit() refuses bad ranges and profiles before building anything", async (t) => {
  await using r = await tempRepo("kcross-presubmit-bad-", [SERIES[0]!]);
  const calls: Call[] = [];
  await t.step("no range and no upstream", async () => {
    const e = await assertRejects(
      () => run(r.repo, r.dir, calls, { range: null }),
      UserError,
    );
    assertStringIncludes(e.message, "no upstream");
  });
  await t.step("an empty range", async () => {
    const e = await assertRejects(
      () => run(r.repo, r.dir, calls, { range: "master..base" }),
      UserError,
    );
    assertStringIncludes(e.message, 'No commits in "master..base"');
  });
  await t.step("a missing profile", async () => {
    await assertRejects(
      () => run(r.repo, r.dir, calls, { profile: `${r.dir}/nope.toml` }),
      UserError,
    );
  });
  assertEquals(calls, []);
});

Deno.test("kcross presubmit prints the cells, the robot-style report and the answer last; --json", async (t) => {
  await using r = await tempRepo("kcross-presubmit-cli-", SERIES);
  await Deno.writeTextFile(`${r.dir}/profile.toml`, PROFILE);
  const env = {
    KCROSS_STATE_DIR: `${r.dir}/state`,
    KCROSS_CACHE_DIR: `${r.dir}/cache`,
  };
  const command = presubmitCommandWith(await diagContext(r.dir));
  const runCli = async (args: string[]) => {
    const out = recordingOutput();
    await using _env = await scopedEnv(env);
    const code = await command.run({
      args,
      out,
      cwd: r.repo,
      signal: new AbortController().signal,
    });
    return { code, out };
  };
  await t.step("text", async () => {
    const { code, out } = await runCli([
      "base..master",
      "--profile",
      "../profile.toml",
    ]);
    assertEquals(code, 1);
    const text = out.stdout.join("\n");
    assertStringIncludes(
      text,
      "powerpc/allnoconfig/gcc-12.2.0: would be reported (1 new diagnostic at commit 2/3)",
    );
    assertStringIncludes(text, "arm64/allnoconfig/gcc-12.2.0: clean");
    assertStringIncludes(
      text,
      "x86_64/allyesconfig/gcc-99: not run: Cannot get gcc 99",
    );
    assertStringIncludes(
      text,
      "kernel test robot noticed the following build errors:",
    );
    assertStringIncludes(
      text,
      `commit: ${
        r.shas[1]!.slice(0, 12)
      } ("vfio: define VFIO_DEVICE_STATE_STOP") [2/3]`,
    );
    assertStringIncludes(text, "config: powerpc-allnoconfig");
    assertStringIncludes(
      text,
      "gcc-12.2.0 (gcc-12.2.0-system, not the exact build asked for)",
    );
    assertStringIncludes(text, "All errors (new ones prefixed by >>):");
    assertMatch(
      out.stdout.at(-1)!,
      /^presubmit: 1 of 3 cells would be reported \(1 new diagnostic\); 1 of 3 not checked \(1 not run\) — see \/.*\/summary\.html$/,
    );
    assertMatch(
      out.stderr.at(-1)!,
      /^hint: 1 cell\(s\) could not start .*--allow-substitute/,
    );
  });
  await t.step("--json", async () => {
    const { code, out } = await runCli([
      "base..master",
      "--profile",
      "../profile.toml",
      "--json",
      "--no-ccache",
    ]);
    assertEquals(code, 1);
    const json = JSON.parse(out.stdout.join("\n")) as PresubmitResult;
    assertEquals(json.cells.map((c) => c.status), [
      "reported",
      "clean",
      "not-run",
    ]);
    assertMatch(
      out.stderr.at(-2)!,
      /^presubmit: 1 of 3 cells would be reported/,
    );
  });
  await t.step("usage errors", async () => {
    await assertRejects(() => runCli(["a..b", "c..d"]), UserError);
    await assertRejects(
      () => runCli(["base..master", "--ccache", "--no-ccache"]),
      UserError,
    );
    await assertRejects(
      () => runCli(["base..master", "--jobs", "0"]),
      UserError,
    );
  });
});
