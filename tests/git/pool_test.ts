import {
  acquireWorktree,
  commitTime,
  fetchRef,
  hasCommit,
  removePool,
  resolveCommit,
  worktreeHead,
} from "../../src/git/mod.ts";
import { UserError } from "../../src/errors.ts";
import { inTreeBuildFiles } from "../../src/git/worktree.ts";
import { assert, assertEquals, assertRejects } from "../_support/assert.ts";
import { makeRepo, sh, snapshot } from "./_repo.ts";

async function tmp(): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "kcross-git-" });
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as unknown as string & AsyncDisposable;
}

Deno.test("acquireWorktree() leaves the user's tree, index, HEAD and stash byte-identical", async () => {
  await using t = await tmp();
  const repo = `${t}/repo`;
  const { one, two } = await makeRepo(repo);
  const before = await snapshot(repo);
  const root = `${t}/pool`;
  const a = await acquireWorktree(repo, "one", { root });
  assertEquals(a.commit, one);
  assertEquals(a.how, "created");
  assertEquals(await Deno.readTextFile(`${a.dir}/a.txt`), "one\n");
  await a.release();
  const b = await acquireWorktree(repo, two, { root, maxSlots: 1 });
  assertEquals(b.how, "moved");
  assertEquals(b.dir, a.dir);
  assertEquals(await Deno.readTextFile(`${b.dir}/a.txt`), "two\n");
  await b.release();
  assertEquals(await snapshot(repo), before);
  assertEquals(await removePool(repo, { root }), 1);
  assertEquals(await snapshot(repo), before);
});

Deno.test("acquireWorktree() reuses the slot already at the commit and keeps busy slots", async () => {
  await using t = await tmp();
  const repo = `${t}/repo`;
  const { one, two } = await makeRepo(repo);
  const root = `${t}/pool`;
  const a = await acquireWorktree(repo, one, { root, maxSlots: 1 });
  // a is busy: a second commit gets a new slot even over the limit
  const b = await acquireWorktree(repo, two, { root, maxSlots: 1 });
  assert(a.dir !== b.dir, "busy slot must not be moved");
  assertEquals(await worktreeHead(a.dir), one);
  await a.release();
  await b.release();
  const c = await acquireWorktree(repo, one, { root, maxSlots: 1 });
  assertEquals(c.how, "reused");
  assertEquals(c.dir, a.dir);
  await c.release();
  // a slot whose directory vanished is recreated
  await Deno.remove(c.dir, { recursive: true });
  const d = await acquireWorktree(repo, one, { root });
  assertEquals(d.how, "created");
  assertEquals(await worktreeHead(d.dir), one);
  await d.release();
  await removePool(repo, { root });
});

Deno.test("acquireWorktree() cleans a slot someone ran make inside (kbuild would refuse every O= build of it)", async () => {
  await using t = await tmp();
  const repo = `${t}/repo`;
  const { one } = await makeRepo(repo, {
    ".gitignore": ".config\ninclude/config/\narch/*/include/generated/\n",
    "arch/powerpc/Kconfig": "",
  });
  const root = `${t}/pool`;
  const a = await acquireWorktree(repo, one, { root });
  await a.release();
  // What an in-tree `make ARCH=powerpc allmodconfig` leaves.
  await Deno.writeTextFile(`${a.dir}/.config`, "CONFIG_X=y\n");
  await Deno.mkdir(`${a.dir}/include/config`, { recursive: true });
  await Deno.mkdir(`${a.dir}/arch/powerpc/include/generated`, {
    recursive: true,
  });
  await Deno.writeTextFile(`${a.dir}/mine.txt`, "not ignored\n");
  const said: string[] = [];
  const b = await acquireWorktree(repo, one, {
    root,
    progress: (l) => said.push(l),
  });
  assertEquals(b.dir, a.dir);
  assertEquals(inTreeBuildFiles(b.dir), []);
  assert(
    said.some((l) =>
      l.includes(".config, include/config/, arch/powerpc/include/generated/")
    ),
    said.join("\n"),
  );
  // Only what git ignores goes.
  assertEquals(await Deno.readTextFile(`${b.dir}/mine.txt`), "not ignored\n");
  await b.release();
  await removePool(repo, { root });
});

Deno.test("acquireWorktree() rejects a commit the repository lacks", async () => {
  await using t = await tmp();
  const repo = `${t}/repo`;
  await makeRepo(repo);
  await assertRejects(
    () =>
      acquireWorktree(repo, "0123456789abcdef0123456789abcdef01234567", {
        root: `${t}/p`,
      }),
    UserError,
    "no commit",
  );
});

Deno.test("fetchRef() fetches a branch into a private ref without touching the user's state", async () => {
  await using t = await tmp();
  const upstream = `${t}/up`;
  const { two } = await makeRepo(upstream);
  const user = `${t}/user`;
  await Deno.mkdir(user);
  await sh(user, "init", "-q", "-b", "main");
  await Deno.writeTextFile(`${user}/x`, "x\n");
  await sh(user, "add", "x");
  await sh(user, "commit", "-q", "-m", "x");
  const before = await snapshot(user).catch(() => "");
  assertEquals(await hasCommit(user, two), false);
  const got = await fetchRef(user, { url: upstream, ref: "main" });
  assertEquals(got, two);
  assertEquals(await hasCommit(user, two), true);
  assertEquals(await resolveCommit(user, two.slice(0, 12)), two);
  assertEquals(await commitTime(user, two), 1672531200);
  assertEquals(await snapshot(user).catch(() => ""), before);
  await assertRejects(
    () => fetchRef(user, { url: `${t}/nope`, ref: "main" }),
    Error,
    "Cannot fetch",
  );
});

Deno.test("acquireWorktree() from two processes at once never moves a slot under the other", async () => {
  await using t = await tmp();
  const repo = `${t}/repo`;
  const { one, two } = await makeRepo(repo);
  const helper = new URL("./_hold_worktree.ts", import.meta.url).pathname;
  // Each holder waits for a line on stdin before it checks HEAD and lets
  // go: both hold at once by construction, however slowly they start.
  const spawn = (commit: string) => {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", helper, repo, commit, `${t}/pool`],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const lines = child.stdout.pipeThrough(new TextDecoderStream())
      .getReader();
    let buf = "";
    const nextLine = async (): Promise<string> => {
      while (!buf.includes("\n")) {
        const { value, done } = await lines.read();
        if (done) {
          const err = await new Response(child.stderr).text();
          throw new Error(`holder ended early: ${buf}${err}`);
        }
        buf += value;
      }
      const i = buf.indexOf("\n");
      const l = buf.slice(0, i);
      buf = buf.slice(i + 1);
      return l;
    };
    return { child, nextLine, close: () => lines.cancel() };
  };
  const holders = [spawn(one), spawn(two)];
  const held = await Promise.all(holders.map((h) => h.nextLine()));
  for (const l of held) assert(l.startsWith("held "), l);
  const finals = await Promise.all(holders.map(async (h) => {
    const w = h.child.stdin.getWriter();
    await w.write(new TextEncoder().encode("\n"));
    await w.close();
    const l = await h.nextLine();
    const status = await h.child.status;
    await h.close();
    await h.child.stderr.cancel();
    assert(status.success, `holder exit ${status.code}`);
    return l;
  }));
  const line = (l: string) => l.trim().split(" ");
  const [a, b] = finals as [string, string];
  const [dirA, headA] = line(a);
  const [dirB, headB] = line(b);
  assertEquals(headA, one);
  assertEquals(headB, two);
  assert(dirA !== dirB, "each process needs its own slot");
  await removePool(repo, { root: `${t}/pool` });
});
