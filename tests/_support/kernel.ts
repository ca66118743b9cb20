/**
 * Real kernel trees for end-to-end tests: Debian's linux-source-6.1,
 * extracted once and cached between runs (works from scratch in CI).
 *
 * @module
 */
import { withFileLock } from "../../src/util/mod.ts";

/** Where test caches live (outside the repo, kept between runs). */
export const TEST_CACHE = Deno.env.get("KCROSS_TEST_CACHE") ??
  "/var/tmp/kcross-test";

/** Debian's kernel source tarball. */
export const LINUX_SOURCE_TARBALL = "/usr/src/linux-source-6.1.tar.xz";

/** Whether the real-kernel tests can run here. */
export function haveKernelSource(): boolean {
  try {
    Deno.statSync(LINUX_SOURCE_TARBALL);
    return true;
  } catch {
    return false;
  }
}

async function sh(argv: string[], cwd?: string): Promise<void> {
  const out = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    ...(cwd ? { cwd } : {}),
    stdout: "piped",
    stderr: "piped",
    env: {
      GIT_AUTHOR_NAME: "kcross test",
      GIT_AUTHOR_EMAIL: "test@kcross.invalid",
      GIT_COMMITTER_NAME: "kcross test",
      GIT_COMMITTER_EMAIL: "test@kcross.invalid",
      GIT_AUTHOR_DATE: "2023-01-01T00:00:00Z",
      GIT_COMMITTER_DATE: "2023-01-01T00:00:00Z",
      // No automatic gc/maintenance: after the 75k-file commit git would
      // start a detached `gc --auto` that keeps writing into the work repo
      // while it is removed ("Directory not empty", a flaky CI failure).
      GIT_CONFIG_COUNT: "2",
      GIT_CONFIG_KEY_0: "gc.auto",
      GIT_CONFIG_VALUE_0: "0",
      GIT_CONFIG_KEY_1: "maintenance.auto",
      GIT_CONFIG_VALUE_1: "false",
    },
  }).output();
  if (!out.success) {
    throw new Error(
      `${argv.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`,
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    throw e;
  }
}

/** Runs `fn` holding an exclusive lock on `name` (across processes). */
export function withTestLock<T>(
  name: string,
  fn: () => Promise<T>,
): Promise<T> {
  return withFileLock(`${TEST_CACHE}/${name}.lock`, fn);
}

/**
 * A pristine extracted linux-6.1 tree (read-only by convention: never build
 * in it or edit it; copy or clone first).
 */
export function ensureKernelSource(): Promise<string> {
  const dest = `${TEST_CACHE}/linux-6.1`;
  return withTestLock("linux-6.1", async () => {
    if (await exists(`${dest}/.kcross-complete`)) return dest;
    const staging = `${TEST_CACHE}/linux-6.1.staging`;
    await Deno.remove(staging, { recursive: true }).catch(() => {});
    await Deno.mkdir(staging, { recursive: true });
    await sh([
      "tar",
      "-xJf",
      LINUX_SOURCE_TARBALL,
      "-C",
      staging,
      "--strip-components=1",
    ]);
    await Deno.writeTextFile(`${staging}/.kcross-complete`, "");
    await Deno.remove(dest, { recursive: true }).catch(() => {});
    await Deno.rename(staging, dest);
    return dest;
  });
}

/**
 * A bare git repository holding linux-6.1 as one commit on branch `master`
 * (tag `base`), cached. Clone it (`git clone --shared`) to add commits.
 */
export function ensureKernelGitBase(): Promise<string> {
  const dest = `${TEST_CACHE}/linux-6.1.git`;
  return withTestLock("linux-6.1.git", async () => {
    if (await exists(`${dest}/kcross-complete`)) return dest;
    const src = await ensureKernelSource();
    const work = `${TEST_CACHE}/linux-6.1.git.work`;
    await Deno.remove(work, { recursive: true }).catch(() => {});
    await Deno.remove(dest, { recursive: true }).catch(() => {});
    await sh(["cp", "-a", src, work]);
    await Deno.remove(`${work}/.kcross-complete`);
    await sh(["git", "init", "-q", "-b", "master"], work);
    await sh(["git", "add", "-A", "--force"], work); // Debian's .gitignore ignores "/*"
    await sh([
      "git",
      "commit",
      "-q",
      "-m",
      "Linux 6.1 (Debian linux-source-6.1)",
    ], work);
    await sh(["git", "tag", "base"], work);
    await sh(["git", "clone", "-q", "--bare", work, dest]);
    await Deno.remove(work, { recursive: true });
    await Deno.writeTextFile(`${dest}/kcross-complete`, "");
    return dest;
  });
}

/**
 * A fresh non-bare clone of the linux-6.1 base repo at `dir` (objects shared
 * with the cache), ready for a test to add commits to.
 */
export async function cloneKernelRepo(dir: string): Promise<string> {
  const base = await ensureKernelGitBase();
  await sh(["git", "clone", "-q", "--shared", base, dir]);
  await sh(["git", "config", "user.name", "kcross test"], dir);
  await sh(["git", "config", "user.email", "test@kcross.invalid"], dir);
  return dir;
}

/** The seed bug: a macro that collides with the enum in vfio.h. */
export const VFIO_COLLISION = {
  file: "include/uapi/linux/vfio.h",
  before: "enum vfio_device_mig_state {",
  insert: "#define VFIO_DEVICE_STATE_STOP (0)\n",
};

/** Applies the seed's vfio.h macro collision to the tree at `dir`. */
export async function applyVfioCollision(dir: string): Promise<void> {
  const path = `${dir}/${VFIO_COLLISION.file}`;
  const text = await Deno.readTextFile(path);
  if (!text.includes(VFIO_COLLISION.before)) {
    throw new Error("vfio.h has no mig_state enum");
  }
  await Deno.writeTextFile(
    path,
    text.replace(
      VFIO_COLLISION.before,
      VFIO_COLLISION.insert + VFIO_COLLISION.before,
    ),
  );
}

/**
 * The vfio test series on the repository at `repo` (a `cloneKernelRepo`):
 * 1 a harmless comment in drivers/vfio/iova_bitmap.c, 2 the seed's vfio.h
 * macro collision, 3 an unrelated README change, 4 the fix (the collision
 * removed). Commits with `repo`'s identity.
 *
 * @returns the four shas, oldest first
 */
export async function makeVfioSeries(repo: string): Promise<string[]> {
  const commit = async (subject: string) => {
    await sh(["git", "commit", "-q", "-a", "-m", subject], repo);
    const out = await new Deno.Command("git", {
      args: ["rev-parse", "HEAD"],
      cwd: repo,
      stdout: "piped",
    }).output();
    return new TextDecoder().decode(out.stdout).trim();
  };
  const shas: string[] = [];
  const bitmap = `${repo}/drivers/vfio/iova_bitmap.c`;
  const text = await Deno.readTextFile(bitmap);
  await Deno.writeTextFile(
    bitmap,
    `/* series test: a harmless comment */\n${text}`,
  );
  shas.push(await commit("vfio: iova_bitmap: add a comment"));
  const header = `${repo}/${VFIO_COLLISION.file}`;
  const pristine = await Deno.readTextFile(header);
  await applyVfioCollision(repo);
  shas.push(await commit("vfio: define VFIO_DEVICE_STATE_STOP"));
  await Deno.writeTextFile(
    `${repo}/README`,
    `${await Deno.readTextFile(`${repo}/README`)}\nseries test\n`,
  );
  shas.push(await commit("README: an unrelated change"));
  await Deno.writeTextFile(header, pristine);
  shas.push(await commit("vfio: drop the colliding macro"));
  return shas;
}

/** The CC lines of a build record's log: what that build compiled. */
export async function compiled(recordDir: string): Promise<string[]> {
  const log = await Deno.readTextFile(`${recordDir}/build.log`);
  return log.split("\n").filter((l) => /^ {2}CC( \[M\])? +\S+$/.test(l))
    .map((l) => l.trim().split(/\s+/).at(-1)!);
}
