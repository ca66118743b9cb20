/**
 * The git area starts git only through the runner it is given: an
 * orchestrator's context `proc` reaches every call of `ensureCommit`, the
 * worktree pool, owned and URL worktrees, and the bisect steps.
 */
import {
  acquireWorktree,
  dropWorktree,
  ensureCommit,
  ownedWorktree,
  removePool,
  urlWorktree,
} from "../../src/git/mod.ts";
import {
  bisectLog,
  bisectMark,
  bisectReset,
  bisectStart,
} from "../../src/git/bisect.ts";
import { listRange } from "../../src/git/rev_list.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { recording, subcommands } from "../_support/recording_runner.ts";
import { makeRepo, sh } from "./_repo.ts";

Deno.test("every git call of ensureCommit, the pool, owned and URL worktrees and bisect goes through the given runner", async () => {
  const t = await Deno.makeTempDir({ prefix: "kcross-git-proc-" });
  try {
    const upstream = `${t}/up`;
    const { one, two } = await makeRepo(upstream);
    const user = `${t}/user`;
    await sh(t, "init", "-q", "-b", "main", user);
    await Deno.writeTextFile(`${user}/x`, "x\n");
    await sh(user, "add", "x");
    await sh(user, "commit", "-q", "-m", "x");
    const r = recording();
    const via = { proc: r.proc };

    const got = await ensureCommit(user, {
      commit: two,
      fetchUrl: upstream,
      fetchRef: "main",
    }, via);
    assertEquals(got, two);
    assert(subcommands(r.argv).some((s) => s.startsWith("fetch ")));

    const root = `${t}/pool`;
    const lease = await acquireWorktree(user, one, { ...via, root });
    await lease.release();
    assert(subcommands(r.argv).includes("worktree add"));
    assertEquals(await removePool(user, { ...via, root }), 1);
    assert(subcommands(r.argv).includes("worktree remove"));

    const own = `${t}/own`;
    await ownedWorktree(upstream, own, two, via);
    assertEquals(
      (await listRange(upstream, { base: one, head: two }, via)).map((c) =>
        c.sha
      ),
      [two],
    );
    const start = await bisectStart(own, { bad: two, good: one }, via);
    assertEquals(start.kind, "found");
    await bisectLog(own, via);
    await bisectReset(own, via);
    await dropWorktree(upstream, own, via);
    assert(subcommands(r.argv).some((s) => s.startsWith("bisect ")));
    assert(subcommands(r.argv).includes("log --reverse"));

    const wt = await urlWorktree(`${t}/url`, upstream, two, via);
    assertEquals((await Deno.readTextFile(`${wt}/a.txt`)).trim(), "two");
    assert(subcommands(r.argv).some((s) => s.startsWith("init ")));

    // bisectMark too, on a range with commits to test
    await sh(upstream, "commit", "-q", "--allow-empty", "-m", "three");
    await sh(upstream, "commit", "-q", "--allow-empty", "-m", "four");
    const four = (await sh(upstream, "rev-parse", "HEAD")).trim();
    await ownedWorktree(upstream, own, four, via);
    const testing = await bisectStart(own, { bad: four, good: one }, via);
    assertEquals(testing.kind, "testing");
    const before = r.argv.length;
    if (testing.kind === "testing") {
      await bisectMark(own, "bad", testing.commit, via);
    }
    assert(subcommands(r.argv.slice(before)).includes("bisect bad"));
    await bisectReset(own, via);
    await dropWorktree(upstream, own, via);
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
