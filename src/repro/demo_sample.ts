/**
 * The demo's sample kernel repository: Debian's linux-source-6.1 as one base
 * commit, one commit that adds the seed report's `VFIO_DEVICE_STATE_STOP`
 * macro in front of the enum that defines the same name, and the fix on top
 * (the macro removed, with the trailer the report asks for). A bare
 * repository under `stateDir()/demo`, built once and reused.
 *
 * @module
 */
import { git } from "../git/mod.ts";
import { InfraError } from "../errors.ts";
import { writeJsonAtomic } from "../util/atomic_write.ts";
import { runCaptured } from "../proc/run_captured.ts";

/** Debian's kernel source tarball. */
export const LINUX_SOURCE_TARBALL = "/usr/src/linux-source-6.1.tar.xz";

/** The seed bug: a macro colliding with an enum constant in vfio.h. */
export const VFIO_COLLISION = {
  file: "include/uapi/linux/vfio.h",
  before: "enum vfio_device_mig_state {",
  insert: "#define VFIO_DEVICE_STATE_STOP (0)\n",
  subject: "vfio: Define device migration protocol v2",
};

/**
 * The fix of the seed bug, as a developer would send it: the stray macro
 * goes (the enum already names the state), with the robot's tag.
 */
export const VFIO_FIX = {
  subject: "vfio: Remove the VFIO_DEVICE_STATE_STOP macro",
  body: "The enum vfio_device_mig_state defines VFIO_DEVICE_STATE_STOP; the\n" +
    "macro of the same name turns the enumerator into '(0)' and breaks\n" +
    "every user of <linux/vfio.h>.\n\n" +
    "Reported-by: kernel test robot <lkp@intel.com>\n",
};

/** The sample repository, ready. */
export interface DemoSample {
  /** The bare repository. */
  repo: string;
  branch: string;
  base: string;
  bad: string;
  /** The fix on top of `bad` (the branch's head). */
  fix: string;
  /** Whether it was just built (false: reused). */
  created: boolean;
}

const COMMIT_ENV = {
  GIT_AUTHOR_NAME: "kcross demo",
  GIT_AUTHOR_EMAIL: "demo@kcross.invalid",
  GIT_COMMITTER_NAME: "kcross demo",
  GIT_COMMITTER_EMAIL: "demo@kcross.invalid",
  GIT_AUTHOR_DATE: "2022-01-22T11:46:00Z",
  GIT_COMMITTER_DATE: "2022-01-22T11:46:00Z",
};

async function run(argv: string[], what: string): Promise<void> {
  const o = await runCaptured(argv, { stdout: "discard" });
  if (!o.success) {
    throw new InfraError(`${what} failed: ${o.stderr.trim().slice(-400)}`);
  }
}

async function readReady(dir: string): Promise<DemoSample | null> {
  try {
    const s = JSON.parse(await Deno.readTextFile(`${dir}/ready.json`));
    const head = await git([
      "rev-parse",
      "--verify",
      "--quiet",
      `${s.bad}^{commit}`,
    ], {
      cwd: s.repo,
      allowFail: true,
    });
    if (!head.success) return null;
    if (typeof s.fix !== "string") {
      // a sample made before the demo had its fix: add it
      const fix = await commitFix(s.repo, s.bad, s.branch);
      const sample = { ...s, fix };
      await writeJsonAtomic(`${dir}/ready.json`, sample);
      return { ...sample, created: false };
    }
    return { ...s, created: false };
  } catch {
    return null;
  }
}

/**
 * Commits the fix on top of `bad` in the bare repository (through a
 * temporary index: there is no work tree) and moves `branch` to it.
 *
 * @returns the fix's sha (the same on every machine: fixed dates and names)
 */
async function commitFix(
  repo: string,
  bad: string,
  branch: string,
): Promise<string> {
  const text = await showFile(repo, bad, VFIO_COLLISION.file);
  if (!text.includes(VFIO_COLLISION.insert + VFIO_COLLISION.before)) {
    throw new InfraError(
      `"${VFIO_COLLISION.file}" at ${bad} has no seeded collision to fix`,
    );
  }
  const tmp = await Deno.makeTempDir({ dir: `${repo}/..`, prefix: "fix." });
  try {
    const file = `${tmp}/vfio.h`;
    await Deno.writeTextFile(
      file,
      text.replace(
        VFIO_COLLISION.insert + VFIO_COLLISION.before,
        VFIO_COLLISION.before,
      ),
    );
    const env = {
      ...COMMIT_ENV,
      GIT_AUTHOR_DATE: "2022-01-23T09:00:00Z",
      GIT_COMMITTER_DATE: "2022-01-23T09:00:00Z",
      GIT_INDEX_FILE: `${tmp}/index`,
    };
    const blob = (await git(["hash-object", "-w", file], { cwd: repo }))
      .stdout.trim();
    await git(["read-tree", bad], { cwd: repo, env });
    await git([
      "update-index",
      "--cacheinfo",
      `100644,${blob},${VFIO_COLLISION.file}`,
    ], { cwd: repo, env });
    const tree = (await git(["write-tree"], { cwd: repo, env })).stdout.trim();
    const fix = (await git([
      "commit-tree",
      tree,
      "-p",
      bad,
      "-m",
      `${VFIO_FIX.subject}\n\n${VFIO_FIX.body}`,
    ], { cwd: repo, env })).stdout.trim();
    await git(["update-ref", `refs/heads/${branch}`, fix], { cwd: repo });
    return fix;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/**
 * Returns the sample repository, building it from the tarball when absent.
 *
 * @param dir the demo's state directory
 * @param progress called with a line before each slow step
 * @throws {InfraError} extraction or git failures
 */
export async function ensureDemoSample(
  dir: string,
  progress: (line: string) => void,
  tarball: string = LINUX_SOURCE_TARBALL,
): Promise<DemoSample> {
  const ready = await readReady(dir);
  if (ready) return ready;
  await Deno.mkdir(dir, { recursive: true });
  const repo = `${dir}/linux.git`;
  const work = `${dir}/src.tmp`;
  await Deno.remove(work, { recursive: true }).catch(() => {});
  await Deno.remove(repo, { recursive: true }).catch(() => {});
  await Deno.mkdir(work, { recursive: true });
  progress(`extracting ${tarball}`);
  await run(
    ["tar", "-xJf", tarball, "-C", work, "--strip-components=1"],
    `Extracting "${tarball}"`,
  );
  progress(`creating the sample repository ${repo}`);
  await git(["init", "-q", "--bare", "-b", "master", repo]);
  const env = { ...COMMIT_ENV, GIT_DIR: repo, GIT_WORK_TREE: work };
  // Debian's tarball has a .gitignore that ignores everything ("/*").
  await git(["add", "-A", "--force", "."], { cwd: work, env });
  await git(["commit", "-q", "-m", "Linux 6.1 (Debian linux-source-6.1)"], {
    cwd: work,
    env,
  });
  const base = (await git(["rev-parse", "HEAD"], { cwd: work, env })).stdout
    .trim();
  progress(`committing the vfio macro collision`);
  const path = `${work}/${VFIO_COLLISION.file}`;
  const text = await Deno.readTextFile(path);
  if (!text.includes(VFIO_COLLISION.before)) {
    throw new InfraError(
      `"${VFIO_COLLISION.file}" has no "${VFIO_COLLISION.before}": not the expected kernel source`,
    );
  }
  await Deno.writeTextFile(
    path,
    text.replace(
      VFIO_COLLISION.before,
      VFIO_COLLISION.insert + VFIO_COLLISION.before,
    ),
  );
  await git(["add", "--force", VFIO_COLLISION.file], { cwd: work, env });
  await git(["commit", "-q", "-m", VFIO_COLLISION.subject], { cwd: work, env });
  const bad = (await git(["rev-parse", "HEAD"], { cwd: work, env })).stdout
    .trim();
  await Deno.remove(`${repo}/index`).catch(() => {});
  await Deno.remove(work, { recursive: true });
  progress(`committing the fix: ${VFIO_FIX.subject}`);
  const fix = await commitFix(repo, bad, "master");
  const sample = { repo, branch: "master", base, bad, fix };
  await writeJsonAtomic(`${dir}/ready.json`, sample);
  return { ...sample, created: true };
}

/** The text of `path` at `rev` in `repo`. */
export async function showFile(
  repo: string,
  rev: string,
  path: string,
): Promise<string> {
  return (await git(["show", `${rev}:${path}`], { cwd: repo })).stdout;
}
