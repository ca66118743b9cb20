/**
 * Tiny throwaway git repositories for the git-area tests.
 *
 * @module
 */

const env = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@kcross.invalid",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@kcross.invalid",
  GIT_AUTHOR_DATE: "2023-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2023-01-01T00:00:00Z",
};

/** Runs git in `cwd` and returns stdout; throws on failure. */
export async function sh(cwd: string, ...args: string[]): Promise<string> {
  const o = await new Deno.Command("git", {
    args,
    cwd,
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!o.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(o.stderr)}`,
    );
  }
  return new TextDecoder().decode(o.stdout);
}

/** A repo with two commits (tags `one`, `two`) plus a dirty tree, an index change and a stash. */
export async function makeRepo(
  dir: string,
  /** More files of the first commit (a fake kernel Makefile). */
  files: Record<string, string> = {},
): Promise<{ one: string; two: string }> {
  await Deno.mkdir(dir, { recursive: true });
  await sh(dir, "init", "-q", "-b", "main");
  await Deno.writeTextFile(`${dir}/a.txt`, "one\n");
  for (const [f, text] of Object.entries(files)) {
    const parent = f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "";
    if (parent) await Deno.mkdir(`${dir}/${parent}`, { recursive: true });
    await Deno.writeTextFile(`${dir}/${f}`, text);
  }
  await sh(dir, "add", "a.txt", ...Object.keys(files));
  await sh(dir, "commit", "-q", "-m", "one");
  await sh(dir, "tag", "one");
  await Deno.writeTextFile(`${dir}/a.txt`, "two\n");
  await sh(dir, "commit", "-q", "-am", "two");
  await sh(dir, "tag", "two");
  const one = (await sh(dir, "rev-parse", "one")).trim();
  const two = (await sh(dir, "rev-parse", "two")).trim();
  // user state that must survive: a stash, a staged file, an edit, an untracked file
  await Deno.writeTextFile(`${dir}/a.txt`, "stashed\n");
  await sh(dir, "stash", "-q");
  await Deno.writeTextFile(`${dir}/b.txt`, "staged\n");
  await sh(dir, "add", "b.txt");
  await Deno.writeTextFile(`${dir}/a.txt`, "edited\n");
  await Deno.writeTextFile(`${dir}/c.txt`, "untracked\n");
  return { one, two };
}

/** Everything about the user's checkout that kcross must never change. */
export async function snapshot(dir: string): Promise<string> {
  return [
    await sh(dir, "status", "--porcelain=v1", "--untracked-files=all"),
    await sh(dir, "rev-parse", "HEAD"),
    await sh(dir, "symbolic-ref", "HEAD"),
    await sh(dir, "stash", "list"),
    await sh(dir, "diff"),
    await sh(dir, "diff", "--cached"),
    await sh(dir, "for-each-ref", "refs/heads", "refs/tags"),
    await Deno.readTextFile(`${dir}/a.txt`),
  ].join("\n--\n");
}
