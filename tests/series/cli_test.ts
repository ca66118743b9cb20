import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { UserError } from "../../src/errors.ts";
import { seriesCommandWith } from "../../src/series/series_command.ts";
import { bisectCommandWith } from "../../src/series/bisect_command.ts";
import { seriesCommands } from "../../src/series/cli.ts";
import { scopedEnv } from "../_support/env.ts";
import { diagContext, gitIn, tempRepo } from "./_fake.ts";

const TARGET = "vfio.h:608:37: error: expected identifier before '(' token";

const FOUR = [
  { subject: "ok: add a helper", files: { "a.c": "a1\n" } },
  {
    subject: "vfio: add the colliding macro",
    files: { "vfio.h": "#define X\n", "diag.txt": TARGET },
  },
  { subject: "unrelated: touch a.c", files: { "a.c": "a2\n" } },
  {
    subject: "vfio: fix the collision",
    files: { "vfio.h": "ok\n", "diag.txt": "" },
  },
];

/**
 * A repository of FOUR, and the real builder over a fake make that prints
 * each commit's diag.txt; records go to a state dir of the test's own.
 */
async function setup() {
  const t = await tempRepo("kcross-series-cli-", FOUR);
  const env = await scopedEnv({ KCROSS_STATE_DIR: `${t.dir}/records` });
  const { context, make } = await diagContext(t.dir);
  return {
    ...t,
    context,
    make,
    root: () => `${t.dir}/state`,
    ctx(args: string[], out = recordingOutput()) {
      return { args, out, cwd: t.repo, signal: new AbortController().signal };
    },
    async [Symbol.asyncDispose]() {
      await env[Symbol.asyncDispose]();
      await t[Symbol.asyncDispose]();
    },
  };
}

Deno.test("kcross series and kcross bisect have usage texts with options and exit codes", () => {
  for (const name of ["series", "bisect"]) {
    const cmd = seriesCommands.find((c) => c.name === name)!;
    assertMatch(cmd.usage, new RegExp(`^Usage: kcross ${name} `));
    assertStringIncludes(cmd.usage, "Exit codes:");
    assertStringIncludes(cmd.usage, "--arch");
  }
});

Deno.test("kcross series prints the table and verdict and exits 1 on a break", async () => {
  await using t = await setup();
  const cmd = seriesCommandWith(t.context, t.root);
  const out = recordingOutput();
  const code = await cmd.run(
    t.ctx([
      "base..master",
      "--arch",
      "powerpc",
      "--config",
      "defconfig",
      "drivers/vfio/",
    ], out),
  );
  assertEquals(code, 1);
  const builds = t.make.builds();
  assertEquals(builds.length, 4);
  for (const b of builds) {
    assertEquals(b.goals, ["drivers/vfio/"]);
    assert(b.argv.includes("ARCH=powerpc"), b.argv.join(" "));
  }
  const text = out.stdout.join("\n");
  assertMatch(text, /^Series base\.\.master \(4 commits, /);
  assertMatch(
    text,
    /^ +2 +[0-9a-f]{12} +FAIL +1 +0 +vfio: add the colliding macro$/m,
  );
  assertStringIncludes(text, `     >> ${TARGET}`);
  assertStringIncludes(
    text,
    "Verdict: not bisectable: commit 2 breaks the build, fixed by commit 4",
  );
  assertStringIncludes(
    text,
    `  fixed by: 4 ${t.shas[3]!.slice(0, 12)} "vfio: fix the collision"`,
  );
  // git ran through the command's context, like make: the range, the
  // worktree moves, the record's tree identity
  const gits = t.make.captured.filter((a) => a[0] === "git").map((a) =>
    a.join(" ")
  );
  for (
    const what of [" log --reverse", " worktree add ", " checkout ", " show -s"]
  ) {
    assert(gits.some((g) => g.includes(what)), `${what}: ${gits.join("\n")}`);
  }
});

Deno.test("kcross series --json gives breaks and fixes for scripts, and --resume of a done series reprints it", async () => {
  await using t = await setup();
  const cmd = seriesCommandWith(t.context, t.root);
  const out = recordingOutput();
  assertEquals(
    await cmd.run(
      t.ctx([
        "base..master",
        "--arch",
        "powerpc",
        "--config",
        "defconfig",
        "--json",
      ], out),
    ),
    1,
  );
  const json = JSON.parse(out.stdout.join("\n"));
  assertEquals(json.bisectable, false);
  assertEquals(
    json.verdicts[""].breaks.map((
      b: { index: number; fixedBy: { index: number } },
    ) => [b.index, b.fixedBy.index]),
    [[2, 4]],
  );
  assertEquals(json.steps.length, 4);
  const again = recordingOutput();
  assertEquals(await cmd.run(t.ctx(["--resume", json.id], again)), 1);
  assertEquals(t.make.builds().length, 4); // nothing rebuilt
  assertStringIncludes(again.stdout.join("\n"), "fixed by commit 4");
});

Deno.test("kcross series on a clean range exits 0", async () => {
  await using t = await setup();
  const cmd = seriesCommandWith(t.context, t.root);
  const out = recordingOutput();
  assertEquals(
    await cmd.run(
      t.ctx([
        `base..${t.shas[0]}`,
        "--arch",
        "powerpc",
        "--config",
        "defconfig",
      ], out),
    ),
    0,
  );
  assertStringIncludes(
    out.stdout.join("\n"),
    "Verdict: bisectable: the 1 commit builds",
  );
});

Deno.test("kcross series explains a missing or empty range", async () => {
  await using t = await setup();
  const cmd = seriesCommandWith(t.context, t.root);
  await assertRejects(
    () => cmd.run(t.ctx(["--arch", "powerpc", "--config", "defconfig"])),
    UserError,
    "Missing the range",
  );
  await assertRejects(
    () =>
      cmd.run(
        t.ctx(["master..base", "--arch", "powerpc", "--config", "defconfig"]),
      ),
    UserError,
    'No commits in "master..base"',
  );
  await assertRejects(
    () =>
      cmd.run(
        t.ctx(["nope..master", "--arch", "powerpc", "--config", "defconfig"]),
      ),
    UserError,
    'no commit "nope"',
  );
  await assertRejects(
    () => cmd.run(t.ctx(["--resume", "nothing-here"])),
    UserError,
    'No series "nothing-here"',
  );
});

Deno.test("kcross bisect --diagnostic finds the first bad commit and names its record", async () => {
  await using t = await setup();
  const cmd = bisectCommandWith(t.context, t.root);
  const out = recordingOutput();
  const code = await cmd.run(
    t.ctx([
      "--good",
      "base",
      "--bad",
      t.shas[2]!,
      "--diagnostic",
      `>> ${TARGET.replace("608", "611")}`,
      "--arch",
      "powerpc",
      "--config",
      "defconfig",
    ], out),
  );
  assertEquals(code, 0);
  const text = out.stdout.join("\n");
  assertStringIncludes(
    text,
    `First bad commit: ${t.shas[1]} vfio: add the colliding macro`,
  );
  assertMatch(text, /^Build record: \d{8}T\d{6}Z-[0-9a-f]{6}$/m);
  const ids = [...Deno.readDirSync(t.root())].map((e) => e.name);
  assertEquals(ids.length, 1);
  const saved = JSON.parse(
    Deno.readTextFileSync(`${t.root()}/${ids[0]}/result.json`),
  );
  assertEquals(saved.firstBad.sha, t.shas[1]);
  assertStringIncludes(saved.log, "first bad commit");
  const gits = t.make.captured.filter((a) => a[0] === "git").map((a) =>
    a.join(" ")
  );
  for (const what of [" bisect start ", " bisect log", " worktree remove "]) {
    assert(gits.some((g) => g.includes(what)), `${what}: ${gits.join("\n")}`);
  }
  assertEquals(
    await gitIn(t.repo, ["worktree", "list", "--porcelain"]).then((s) =>
      s.split("\n\n").length
    ),
    1,
  );
});

Deno.test("kcross bisect --report hunts the report's >> lines with its build options as defaults", async () => {
  await using t = await setup();
  const cmd = bisectCommandWith(t.context, t.root, (path) => {
    assert(path.endsWith("/report.txt"));
    return Promise.resolve({
      targets: [],
      buildOptions: [
        "--arch",
        "powerpc",
        "--config",
        "allmodconfig",
        "-W",
        "1",
      ],
      buildTargets: ["drivers/vfio/"],
    }).then((r) => ({
      ...r,
      targets: [{
        tool: "compiler" as const,
        file: "vfio.h",
        line: 1,
        column: null,
        severity: "error",
        message: "expected identifier before '(' token",
        flag: null,
        count: 1,
        objects: [],
      }],
    }));
  });
  const out = recordingOutput();
  assertEquals(
    await cmd.run(
      t.ctx([
        "--good",
        "base",
        "--bad",
        "master~1",
        "--report",
        "report.txt",
        "-W",
        "2",
      ], out),
    ),
    0,
  );
  // the report's options, then the user's (-W 2 wins), then its targets
  assertEquals(t.make.calls[0]!.goals, ["allmodconfig"]);
  const builds = t.make.builds();
  assert(builds.length > 0);
  for (const b of builds) {
    assertEquals(b.goals, ["drivers/vfio/"]);
    assert(b.argv.includes("ARCH=powerpc"), b.argv.join(" "));
    assert(b.argv.includes("W=2"), b.argv.join(" "));
    assert(!b.argv.includes("W=1"), b.argv.join(" "));
  }
  assertStringIncludes(out.stdout.join("\n"), `First bad commit: ${t.shas[1]}`);
});

Deno.test("kcross bisect --report builds a directory target without goals of its own as repro does: its nearest parent with some, read at the bad commit", async () => {
  const xfs = {
    "fs/Makefile": "obj-$(CONFIG_XFS_FS) += xfs/\n",
    "fs/xfs/Makefile":
      "obj-$(CONFIG_XFS_FS) += xfs.o\nxfs-y += $(addprefix scrub/, common.o)\n",
  };
  await using t = await tempRepo("kcross-series-cli-", [
    { ...FOUR[0]!, files: { ...FOUR[0]!.files, ...xfs } },
    FOUR[1]!,
    FOUR[2]!,
    // The checkout (master) no longer has them: the bad commit's count.
    {
      ...FOUR[3]!,
      files: {
        ...FOUR[3]!.files,
        "fs/Makefile": null,
        "fs/xfs/Makefile": null,
      },
    },
  ]);
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${t.dir}/records` });
  const { context, make } = await diagContext(t.dir);
  const cmd = bisectCommandWith(
    context,
    () => `${t.dir}/state`,
    () =>
      Promise.resolve({
        targets: [{
          tool: "compiler" as const,
          file: "vfio.h",
          line: 1,
          column: null,
          severity: "error",
          message: "expected identifier before '(' token",
          flag: null,
          count: 1,
          objects: [],
        }],
        buildOptions: ["--arch", "powerpc", "--config", "defconfig"],
        buildTargets: ["fs/xfs/scrub/", "drivers/vfio/"],
      }),
  );
  const out = recordingOutput();
  const args = ["--good", "base", "--bad", t.shas[2]!, "--report", "r.txt"];
  assertEquals(
    await cmd.run({
      args,
      out,
      cwd: t.repo,
      signal: new AbortController().signal,
    }),
    0,
  );
  const builds = make.builds();
  assert(builds.length > 0);
  for (const b of builds) assertEquals(b.goals, ["fs/xfs/", "drivers/vfio/"]);
  assertStringIncludes(
    out.stderr.join("\n"),
    "kcross: target fs/xfs/scrub/ has no Makefile or Kbuild of its own with build goals (its objects are listed by a parent's): building fs/xfs/, the nearest parent that has one",
  );
  assertStringIncludes(out.stdout.join("\n"), `First bad commit: ${t.shas[1]}`);
});

Deno.test("kcross bisect needs good, bad and something to hunt", async () => {
  await using t = await setup();
  const cmd = bisectCommandWith(t.context, t.root);
  await assertRejects(
    () => cmd.run(t.ctx(["--bad", "master", "--diagnostic", TARGET])),
    UserError,
    "Missing --good or --bad",
  );
  await assertRejects(
    () => cmd.run(t.ctx(["--good", "base", "--bad", "master"])),
    UserError,
    "Nothing to hunt",
  );
  await assertRejects(
    () =>
      cmd.run(
        t.ctx(["--good", "base", "--bad", "master", "--report", "r.txt"]),
      ),
    UserError,
    "--report is not available",
  );
  await assertRejects(
    () =>
      cmd.run(
        t.ctx(["--good", "base", "--bad", "master", "--diagnostic", "oops"]),
      ),
    UserError,
    'Cannot read the diagnostic "oops"',
  );
});
