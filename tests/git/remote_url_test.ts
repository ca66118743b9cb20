import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { exists, tempDir } from "../_support/temp.ts";
import { fetchRef, git } from "../../src/git/mod.ts";
import { refProblem, remoteUrlProblem } from "../../src/git/remote_url.ts";
import { UserError } from "../../src/errors.ts";
import { makeRepo } from "./_repo.ts";

Deno.test("remoteUrlProblem() allows https, http, git, ssh and local paths only", () => {
  for (
    const url of [
      "https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git",
      "http://example.org/linux.git",
      "git://git.kernel.org/pub/scm/linux/kernel/git/next/linux-next.git",
      "ssh://git@example.org/linux.git",
      "git@github.com:torvalds/linux.git",
      "/srv/git/linux",
      "../linux",
      "linux",
      "file:///srv/git/linux",
    ]
  ) assertEquals(remoteUrlProblem(url), null, url);
  for (
    const [url, why] of [
      ["ext::sh -c touch% /tmp/x", /remote helpers/],
      ["fd::3", /remote helpers/],
      ["testgit::/x", /remote helpers/],
      ["ftp://example.org/linux.git", /"ftp" protocol/],
      ["--upload-pack=touch /tmp/x", /starts with "-"/],
      ["ssh://-oProxyCommand=touch%20x/x", /host starts with "-"/],
      ["-oProxyCommand=x:y", /starts with "-"/],
      ["https://x/\nx", /control/],
    ] as const
  ) assertMatch(remoteUrlProblem(url) ?? "(accepted)", why, url);
});

Deno.test("refProblem() refuses option-like and refspec-like refs", () => {
  assertEquals(refProblem("master"), null);
  assertEquals(refProblem("refs/heads/for-next"), null);
  assertEquals(refProblem("0123456789abcdef0123456789abcdef01234567"), null);
  for (
    const ref of ["--upload-pack=x", "a:refs/heads/main", "a..b", "", "x y"]
  ) {
    assert(refProblem(ref) !== null, ref);
  }
});

Deno.test("git() refuses ext:: even when the user's gitconfig allows it", async () => {
  await using home = await tempDir("kcross-git-home-");
  const marker = `${home}/pwned`;
  await Deno.writeTextFile(
    `${home}/.gitconfig`,
    `[protocol "ext"]\n\tallow = always\n[protocol]\n\tallow = always\n`,
  );
  const url = `ext::sh -c touch% ${marker}`;
  const env = { HOME: home, GIT_CONFIG_NOSYSTEM: "1" };
  // Without kcross's protocol options this config runs the command.
  const raw = await new Deno.Command("git", {
    args: ["ls-remote", url],
    env,
    stdout: "null",
    stderr: "null",
  }).output();
  assert(!raw.success);
  assert(await exists(marker), "the gitconfig enables ext:: for plain git");
  await Deno.remove(marker);

  const r = await git(["ls-remote", url], { env, allowFail: true });
  assert(!r.success);
  assertMatch(r.stderr, /transport 'ext' not allowed/);
  assert(!(await exists(marker)));
});

Deno.test("fetchRef() refuses an ext:: URL with a user error and still fetches local paths", async () => {
  await using dir = await tempDir("kcross-git-fetch-");
  const { two } = await makeRepo(`${dir}/src`);
  await makeRepo(`${dir}/dst`);
  let error: unknown;
  try {
    await fetchRef(`${dir}/dst`, {
      url: `ext::sh -c touch% ${dir}/x`,
      ref: "main",
    });
  } catch (e) {
    error = e;
  }
  assert(error instanceof UserError, String(error));
  assertMatch(error.message, /^Refusing to fetch from "ext::/);
  assert(!(await exists(`${dir}/x`)));
  assertEquals(
    await fetchRef(`${dir}/dst`, { url: `${dir}/src`, ref: "main" }),
    two,
  );
});
