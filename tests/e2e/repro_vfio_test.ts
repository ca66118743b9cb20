/**
 * End to end: `kcross repro` on a real linux-6.1 git repository with the
 * seed's vfio macro collision, through the real parser, Debian's powerpc64
 * gcc (system provider), the native planner, the runner and the comparer;
 * then `kcross verify` of a fix and of a commit that is not one. One full
 * build of drivers/vfio/; the later runs reuse the worktree and build dir
 * (incremental, ccache).
 *
 * Each command runs through the real launcher in a subprocess with its own
 * KCROSS_STATE_DIR, as a user's would: no process-wide environment change,
 * so the other test worker never waits on the test-env lock
 * (tests/_support/env.ts) for the minutes these builds take.
 */
import { git } from "../../src/git/mod.ts";
import {
  cloneKernelRepo,
  ensureKernelGitBase,
  haveKernelSource,
  VFIO_COLLISION,
} from "../_support/kernel.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { newFormatReport, oldFormatReport } from "./_seed_reports.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

const COMMIT_ENV = {
  GIT_AUTHOR_NAME: "Jason",
  GIT_AUTHOR_EMAIL: "jason@kcross.invalid",
  GIT_COMMITTER_NAME: "Jason",
  GIT_COMMITTER_EMAIL: "jason@kcross.invalid",
  GIT_AUTHOR_DATE: "2022-01-22T11:46:00Z",
  GIT_COMMITTER_DATE: "2022-01-22T11:46:00Z",
};

/**
 * A commit on top of `parent` in `repo` whose `path` has `text`, made with
 * plumbing (a temporary index: no checkout, no ref, the user's index and
 * HEAD untouched).
 */
async function commitFile(
  repo: string,
  parent: string,
  change: { path: string; text: string; message: string },
): Promise<string> {
  const tmp = await Deno.makeTempDir({ prefix: "kcross-e2e-commit-" });
  try {
    await Deno.writeTextFile(`${tmp}/file`, change.text);
    const blob = (await git(["hash-object", "-w", `${tmp}/file`], {
      cwd: repo,
    })).stdout.trim();
    const env = { ...COMMIT_ENV, GIT_INDEX_FILE: `${tmp}/index` };
    await git(["read-tree", parent], { cwd: repo, env });
    await git([
      "update-index",
      "--cacheinfo",
      `100644,${blob},${change.path}`,
    ], { cwd: repo, env });
    const tree = (await git(["write-tree"], { cwd: repo, env })).stdout.trim();
    return (await git(
      ["commit-tree", tree, "-p", parent, "-m", change.message],
      { cwd: repo, env },
    )).stdout.trim();
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/**
 * The "robot's tree": a bare repository sharing the base objects, with the
 * collision commit on branch `for-yishai`.
 */
async function makeUpstream(
  dir: string,
): Promise<{ base: string; bad: string }> {
  const base = await ensureKernelGitBase();
  await git(["clone", "-q", "--bare", "--shared", base, dir]);
  const baseSha = (await git(["rev-parse", "base^{commit}"], { cwd: dir }))
    .stdout.trim();
  const text =
    (await git(["show", `${baseSha}:${VFIO_COLLISION.file}`], { cwd: dir }))
      .stdout;
  const bad = await commitFile(dir, baseSha, {
    path: VFIO_COLLISION.file,
    text: text.replace(
      VFIO_COLLISION.before,
      VFIO_COLLISION.insert + VFIO_COLLISION.before,
    ),
    message: "vfio: Define device migration protocol v2",
  });
  await git(["update-ref", "refs/heads/for-yishai", bad], { cwd: dir });
  return { base: baseSha, bad };
}

async function snapshot(dir: string): Promise<string> {
  const g = async (...a: string[]) => (await git(a, { cwd: dir })).stdout;
  return [
    await g("status", "--porcelain=v1", "--untracked-files=all"),
    await g("rev-parse", "HEAD"),
    await g("stash", "list"),
    await g("diff", "--cached", "--stat"),
  ].join("--\n");
}

/** What Debian's powerpc64 gcc prints, as the robot's compiler: line would. */
async function compilerLine(): Promise<string> {
  const o = await new Deno.Command("powerpc64-linux-gnu-gcc", {
    args: ["--version"],
    stdout: "piped",
    env: { LANG: "C" },
  }).output();
  return new TextDecoder().decode(o.stdout).split("\n")[0]!;
}

/** `kcross <args>` in `cwd` through the launcher, with its state in `state`. */
async function kcross(state: string, args: string[], cwd: string) {
  const o = await new Deno.Command(`${ROOT}kcross`, {
    args,
    cwd,
    // The report's config URL is a loopback stand-in for download.01.org:
    // a user serving configs on this machine opts in the same way.
    env: {
      KCROSS_STATE_DIR: state,
      KCROSS_ALLOW_PRIVATE_URLS: "1",
      NO_COLOR: "1",
      LANG: "C",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return {
    code: o.code,
    stdout: d.decode(o.stdout),
    stderr: d.decode(o.stderr),
  };
}

Deno.test({
  name:
    "kcross repro reproduces the vfio collision from old and new format reports and not on the base commit, kcross verify tells a fix from a non-fix, and the checkout stays byte-identical",
  ignore: !haveKernelSource(),
  sanitizeResources: false,
  sanitizeOps: false,
}, async (t) => {
  const tmp = await Deno.makeTempDir({ prefix: "kcross-e2e-repro-" });
  const run = (args: string[], cwd: string) =>
    kcross(`${tmp}/state`, args, cwd);
  let server: Deno.HttpServer | null = null;
  try {
    const upstream = `${tmp}/robot-tree.git`;
    const { base, bad } = await makeUpstream(upstream);
    // the user's checkout: only the base, with a stash, a staged and an untracked change
    const user = await cloneKernelRepo(`${tmp}/linux`);
    await Deno.writeTextFile(`${user}/README`, "stashed\n", { append: true });
    await git(["stash", "-q"], { cwd: user });
    await Deno.writeTextFile(`${user}/MAINTAINERS`, "staged\n", {
      append: true,
    });
    await git(["add", "MAINTAINERS"], { cwd: user });
    await Deno.writeTextFile(`${user}/notes.txt`, "untracked\n");
    const before = await snapshot(user);

    const show = async (path: string) =>
      (await git(["show", `${bad}:${path}`], { cwd: upstream })).stdout;
    const input = {
      tree: upstream,
      branch: "for-yishai",
      commit: bad,
      compiler: await compilerLine(),
      vfioH: await show(VFIO_COLLISION.file),
      vfioMainC: await show("drivers/vfio/vfio_main.c"),
      fslMcIntrC: await show("drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c"),
    };
    await Deno.writeTextFile(`${tmp}/old.txt`, oldFormatReport(input));

    let configText = "";
    await t.step("old format: fetches the commit and reproduces", async () => {
      const r = await run(["repro", `${tmp}/old.txt`, "--json"], user);
      assertEquals(r.code, 0, r.stderr);
      const v = JSON.parse(r.stdout);
      assertEquals(v.verdict, "reproduced");
      assertEquals(v.commit, bad);
      assertEquals(v.rows.filter((x: { new: boolean }) => x.new).length, 3);
      assert(
        v.rows.every((x: { status: string }) => x.status === "reproduced"),
        r.stdout,
      );
      assertStringIncludes(v.differences.join("\n"), "attached config missing");
      // regenerated allmodconfig: the robot's CONFIG_WERROR policy
      assertEquals(v.werror.mode, "off");
      assertEquals(v.werror.enabled, false);
      assertStringIncludes(
        r.stderr,
        `git fetch --no-tags ${upstream} for-yishai`,
      );
      const saved = JSON.parse(
        await Deno.readTextFile(`${v.build.recordDir}/verdict.json`),
      );
      assertEquals(saved.verdict, "reproduced");
      configText = await Deno.readTextFile(`${v.build.recordDir}/config`);
    });

    // The robot publishes the config: serve it on loopback for the new format.
    // (an old report's files are purged: 404)
    server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", onListen: () => {} },
      (req) =>
        new URL(req.url).pathname.includes("/purged/")
          ? new Response("gone", { status: 404 })
          : new Response(configText),
    );
    const url = `http://127.0.0.1:${
      (server.addr as Deno.NetAddr).port
    }/0day-ci/archive/20220122/202201221146.IDixXFOw-lkp@intel.com/config`;
    await Deno.writeTextFile(
      `${tmp}/new.txt`,
      newFormatReport(input).replace(
        /https:\/\/download\.01\.org\/0day-ci\/archive\/[^)]*\/config/,
        url,
      ),
    );

    await t.step(
      "new format: config from its URL, same worktree, reproduced",
      async () => {
        const r = await run(["repro", `${tmp}/new.txt`, "--tree", user], tmp);
        assertEquals(r.code, 0, r.stderr);
        assertStringIncludes(r.stdout, "verdict: reproduced");
        assertStringIncludes(r.stdout, ">> include/uapi/linux/vfio.h:");
        assertStringIncludes(r.stderr, "worktree (reused)");
      },
    );

    await t.step(
      "a purged config URL: the named config regenerated, a setup difference, still reproduced",
      async () => {
        await Deno.writeTextFile(
          `${tmp}/purged.txt`,
          (await Deno.readTextFile(`${tmp}/new.txt`)).replace(
            "/0day-ci/archive/",
            "/purged/0day-ci/archive/",
          ),
        );
        const r = await run(
          ["repro", `${tmp}/purged.txt`, "--tree", user, "--json"],
          tmp,
        );
        assertEquals(r.code, 0, r.stderr);
        const v = JSON.parse(r.stdout);
        assertEquals(v.verdict, "reproduced");
        assertStringIncludes(
          v.differences.join("\n"),
          "config URL not fetched (HTTP 404): regenerated powerpc-allmodconfig",
        );
        assertEquals(v.werror.mode, "off");
      },
    );

    await t.step(
      "the base commit: not-reproduced, exit 1, the other commit listed",
      async () => {
        const r = await run([
          "repro",
          `${tmp}/new.txt`,
          "--tree",
          user,
          "--commit",
          base,
          "--json",
        ], tmp);
        assertEquals(r.code, 1, r.stderr);
        const v = JSON.parse(r.stdout);
        assertEquals(v.verdict, "not-reproduced");
        assert(
          v.rows.filter((x: { new: boolean }) => x.new).every((
            x: { status: string },
          ) => x.status === "missing"),
          r.stdout,
        );
        assertStringIncludes(
          v.differences.join("\n"),
          `built commit ${base.slice(0, 12)}`,
        );
      },
    );

    // The developer's fix, and a commit that is not one, on top of the
    // report's commit (fetched into the checkout by repro).
    const badVfioH = await show(VFIO_COLLISION.file);
    const fix = await commitFile(user, bad, {
      path: VFIO_COLLISION.file,
      text: badVfioH.replace(VFIO_COLLISION.insert, ""),
      message: "vfio: Remove the VFIO_DEVICE_STATE_STOP macro",
    });
    const notFix = await commitFile(user, bad, {
      path: "drivers/vfio/vfio_main.c",
      text: `${await show("drivers/vfio/vfio_main.c")}/* a comment */\n`,
      message: "vfio: Add a comment",
    });

    await t.step(
      "verify: the fix is fixed, compared with repro's build of the report's commit, with the report's trailers",
      async () => {
        const r = await run([
          "verify",
          `${tmp}/new.txt`,
          "--tree",
          user,
          "--commit",
          fix,
          "--json",
        ], tmp);
        assertEquals(r.code, 0, r.stderr);
        const v = JSON.parse(r.stdout);
        assertEquals(v.verdict, "fixed");
        assertEquals(v.fix.commit, fix);
        assertEquals(v.report.commit, bad);
        // repro built the report's commit with this setup: no build of it here
        assertEquals(v.report.from, "record");
        const fresh = v.rows.filter((x: { new: boolean }) => x.new);
        assertEquals(fresh.length, 3);
        assert(
          fresh.every((x: { status: string; seenAtReport: boolean }) =>
            x.status === "gone" && x.seenAtReport
          ),
          r.stdout,
        );
        assertEquals(v.introduced, []);
        assertEquals(v.trailers, [
          "Reported-by: kernel test robot <lkp@intel.com>",
          "Closes: https://lore.kernel.org/oe-kbuild-all/202201221146.IDixXFOw-lkp@intel.com/",
        ]);
        assertEquals(v.trailersMissing, v.trailers);
      },
    );

    await t.step(
      "verify: a commit that does not fix it is not-fixed, exit 1, the errors still there",
      async () => {
        const r = await run([
          "verify",
          `${tmp}/new.txt`,
          "--tree",
          user,
          "--commit",
          notFix,
        ], tmp);
        assertEquals(r.code, 1, r.stderr);
        assertStringIncludes(r.stdout, "verdict: not-fixed");
        assert(
          /^still there +>> include\/uapi\/linux\/vfio\.h:/m.test(r.stdout),
          r.stdout,
        );
        assert(!r.stdout.includes("Reported-by:"), r.stdout);
      },
    );

    assertEquals(await snapshot(user), before);
  } finally {
    await server?.shutdown();
    await Deno.remove(tmp, { recursive: true });
  }
});
