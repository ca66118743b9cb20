/**
 * Test stand-ins for the series area: a tiny git repository built commit by
 * commit (its top Makefile enough for a kernel version); a `BuildContext`
 * whose make (`tests/_support/fake_make.ts`) prints the diagnostics a
 * commit should produce from a `diag.txt` file in the tree, under the real
 * builder and record writer; and a fake "build one commit" for the series
 * and bisect runners alone, which also counts the files that changed since
 * the previous build into the same build dir (what an incremental kernel
 * build would recompile).
 *
 * @module
 */
import type { Diagnostic } from "../../src/diagnostics/types.ts";
import { type BuildContext, buildContext } from "../../src/build/mod.ts";
import {
  type FakeMake,
  fakeMake,
  KERNEL_MAKEFILE,
  type MakeCall,
  shimToolchain,
} from "../_support/fake_make.ts";
import { parseDiagnosticLine } from "../../src/series/parse_diagnostic.ts";
import type {
  BuildCommit,
  BuildCommitRequest,
} from "../../src/series/types.ts";

const ENV = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t.invalid",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t.invalid",
  GIT_AUTHOR_DATE: "2023-01-01T00:00:00Z",
  GIT_COMMITTER_DATE: "2023-01-01T00:00:00Z",
  LANG: "C",
};

/** Runs git in `cwd`, returning stdout. */
export async function gitIn(cwd: string, args: string[]): Promise<string> {
  const r = await new Deno.Command("git", {
    args,
    cwd,
    env: ENV,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`,
    );
  }
  return new TextDecoder().decode(r.stdout).trim();
}

/** One commit of a fake series: files to write (null deletes). */
export interface FakeCommit {
  subject: string;
  files: Record<string, string | null>;
}

/**
 * A git repo at `dir` with a base commit (tag `base`) then `commits`.
 *
 * @returns the shas of `commits`, oldest first
 */
export async function makeRepo(
  dir: string,
  commits: FakeCommit[],
): Promise<string[]> {
  await gitIn(dir, ["init", "-q", "-b", "master"]);
  await Deno.writeTextFile(`${dir}/Makefile`, KERNEL_MAKEFILE);
  await Deno.writeTextFile(`${dir}/diag.txt`, "");
  await gitIn(dir, ["add", "-A"]);
  await gitIn(dir, ["commit", "-q", "-m", "base"]);
  await gitIn(dir, ["tag", "base"]);
  const shas: string[] = [];
  for (const c of commits) {
    for (const [path, text] of Object.entries(c.files)) {
      if (text === null) await Deno.remove(`${dir}/${path}`);
      else {
        const parent = path.includes("/") ? path.replace(/\/[^/]*$/, "") : "";
        if (parent) await Deno.mkdir(`${dir}/${parent}`, { recursive: true });
        await Deno.writeTextFile(`${dir}/${path}`, text);
      }
    }
    await gitIn(dir, ["add", "-A"]);
    await gitIn(dir, ["commit", "-q", "--allow-empty", "-m", c.subject]);
    shas.push(await gitIn(dir, ["rev-parse", "HEAD"]));
  }
  return shas;
}

/**
 * A context on the real builder over a fake make: a build prints the lines
 * of the tree's `diag.txt` (none when `clean` says so for that call) and
 * fails when one is an error; the toolchain is a gcc shim under `dir`.
 */
export async function diagContext(
  dir: string,
  clean: (call: MakeCall) => boolean = () => false,
): Promise<{ context: BuildContext; make: FakeMake }> {
  const toolchain = await shimToolchain(`${dir}/0day`);
  const make = fakeMake({
    build: async (call) => {
      const text = await Deno.readTextFile(`${call.cwd}/diag.txt`);
      const lines = clean(call) ? [] : text.split("\n").filter((l) => l.trim());
      return { lines, code: lines.some((l) => l.includes("error:")) ? 2 : 0 };
    },
  });
  const context = buildContext({
    proc: make.proc,
    resolveToolchain: (req) =>
      Promise.resolve({
        ...toolchain,
        requested: req.compiler,
        triple: req.triple,
      }),
  });
  return { context, make };
}

/** What the fake builder saw, per call. */
export interface FakeCall {
  sha: string;
  worktree: string;
  outDir: string;
  compiled: number;
}

/**
 * A fake `BuildCommit`: diagnostics are the lines of `diag.txt`; the build
 * fails when one is an error; `INFRA` in the tree makes it an infra error;
 * `compiled` counts files changed since the last build into `outDir`.
 */
export function fakeBuilder(calls: FakeCall[] = []): BuildCommit {
  let n = 0;
  return async (req: BuildCommitRequest) => {
    const head = await gitIn(req.worktree, ["rev-parse", "HEAD"]);
    if (head !== req.commit.sha) throw new Error("worktree not at commit");
    const text = await Deno.readTextFile(`${req.worktree}/diag.txt`);
    const diagnostics: Diagnostic[] = text.split("\n").filter((l) => l.trim())
      .map(parseDiagnosticLine);
    let infra = false;
    try {
      await Deno.stat(`${req.worktree}/INFRA`);
      infra = true;
    } catch { /* absent */ }
    const compiled = await changedSince(req.worktree, req.outDir);
    calls.push({
      sha: req.commit.sha,
      worktree: req.worktree,
      outDir: req.outDir,
      compiled,
    });
    n++;
    return {
      result: infra
        ? "infra-error"
        : diagnostics.some((d) => d.severity.includes("error"))
        ? "fail"
        : "pass",
      recordId: `rec-${n}-${req.commit.sha.slice(0, 7)}`,
      recordDir: `${req.outDir}/rec-${n}`,
      diagnostics,
      timings: { make: 1 },
      compiled,
    };
  };
}

async function changedSince(tree: string, outDir: string): Promise<number> {
  const statePath = `${outDir}/.fake-mtimes.json`;
  let before: Record<string, number> = {};
  try {
    before = JSON.parse(await Deno.readTextFile(statePath));
  } catch { /* first build */ }
  const now: Record<string, number> = {};
  let changed = 0;
  for await (const e of Deno.readDir(tree)) {
    if (!e.isFile || e.name === ".git") continue;
    const m = (await Deno.stat(`${tree}/${e.name}`)).mtime?.getTime() ?? 0;
    now[e.name] = m;
    if (before[e.name] !== m) changed++;
  }
  await Deno.writeTextFile(statePath, JSON.stringify(now));
  return changed;
}

/**
 * A temp dir holding `<dir>/repo`, a git repository of `commits` (see
 * {@link makeRepo}). Disposing it removes the temp dir.
 */
export async function tempRepo(prefix: string, commits: FakeCommit[]) {
  const dir = await Deno.makeTempDir({ prefix });
  const repo = `${dir}/repo`;
  await Deno.mkdir(repo);
  const shas = await makeRepo(repo, commits);
  return {
    dir,
    repo,
    shas,
    async [Symbol.asyncDispose]() {
      await Deno.remove(dir, { recursive: true });
    },
  };
}
