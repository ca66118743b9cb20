/**
 * A pool of kcross-owned worktrees per repository, under
 * `stateDir()/worktrees/<repo-key>/<slot>/src`. A request for a commit gets a
 * slot already at that commit, else a free slot moved to it (only changed
 * files are rewritten, so a build dir paired with the slot stays
 * incremental), else a new slot. Slots in use by a live process are never
 * moved. Bookkeeping is a JSON file under a lock file.
 *
 * @module
 */
import { stateDir } from "../paths.ts";
import { gitCommonDir, resolveCommit } from "./commits.ts";
import { UserError } from "../errors.ts";
import { sha256Hex, withFileLock } from "../util/mod.ts";
import {
  addWorktree,
  checkoutWorktree,
  cleanIgnored,
  inTreeBuildFiles,
  removeWorktree,
  worktreeHead,
} from "./worktree.ts";
import { writeJsonAtomic } from "../util/atomic_write.ts";
import { type GitVia, viaOf } from "./run_git.ts";

/** Where pools live by default: `stateDir()/worktrees`. */
export function worktreeRoot(): string {
  return `${stateDir()}/worktrees`;
}

/** Options for `acquireWorktree`. */
export interface AcquireOptions extends GitVia {
  /** Pool root (default `worktreeRoot()`). */
  root?: string;
  /** Slots kept per repository before a free one is reused (default 2). */
  maxSlots?: number;
  /** Called with a progress line before slow steps. */
  progress?: (line: string) => void;
}

/** A worktree held at a commit until released. */
export interface WorktreeLease {
  /** The source tree (a git worktree at `commit`). */
  dir: string;
  /** The slot directory: put build dirs paired with this tree under it. */
  slotDir: string;
  /** Full sha checked out. */
  commit: string;
  /** The repository's git common dir. */
  repo: string;
  /** How the slot was obtained. */
  how: "reused" | "moved" | "created";
  /** Lets the slot be moved to another commit by others. Idempotent. */
  release(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface SlotState {
  commit: string;
  lastUsed: number;
  users: { pid: number; token: string }[];
}

interface PoolState {
  repo: string;
  slots: Record<string, SlotState>;
}

/**
 * The directory of `repo`'s pool: a readable name plus a digest of its git
 * common dir.
 *
 * @example
 * ```ts
 * import { poolKey } from "./pool.ts";
 * const k = poolKey("/home/u/linux/.git");
 * if (!/^linux-[0-9a-f]{12}$/.test(k)) throw new Error(k);
 * ```
 */
export function poolKey(commonDir: string): string {
  const parts = commonDir.replace(/\/+$/, "").split("/");
  let name = parts.at(-1) ?? "repo";
  if (name === ".git") name = parts.at(-2) ?? "repo";
  name = name.replace(/\.git$/, "").replace(/[^A-Za-z0-9._-]+/g, "_") || "repo";
  const digest = sha256Hex(commonDir).slice(0, 12);
  return `${name}-${digest}`;
}

function alive(pid: number): boolean {
  if (pid === Deno.pid) return true;
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
}

async function readState(path: string, repo: string): Promise<PoolState> {
  try {
    const s = JSON.parse(await Deno.readTextFile(path)) as PoolState;
    if (s && typeof s.slots === "object") return { repo, slots: s.slots };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound) && !(e instanceof SyntaxError)) {
      throw e;
    }
  }
  return { repo, slots: {} };
}

function writeState(path: string, state: PoolState): Promise<void> {
  return writeJsonAtomic(path, state);
}

function withPoolLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  return withFileLock(`${dir}/pool.lock`, fn);
}

/**
 * Gets a worktree of `repo` at `commit`, creating or moving a slot as needed.
 *
 * @param repo any directory in the repository (the user's checkout)
 * @param commit a commit `repo` has (sha, branch, tag)
 * @param options pool root, slot limit, progress
 * @returns a lease; `release()` it when done (or `await using`)
 * @throws {UserError} when `repo` is not a repository or lacks `commit`
 * @throws {InfraError} when git fails
 */
export async function acquireWorktree(
  repo: string,
  commit: string,
  options: AcquireOptions = {},
): Promise<WorktreeLease> {
  const via = viaOf(options);
  const common = await gitCommonDir(repo, via);
  const sha = await resolveCommit(repo, commit, via);
  if (!sha) {
    throw new UserError(`The repository has no commit "${commit}"`, {
      hint: "fetch it first (git fetch <remote> <branch>)",
    });
  }
  const poolDir = `${options.root ?? worktreeRoot()}/${poolKey(common)}`;
  const statePath = `${poolDir}/pool.json`;
  const maxSlots = options.maxSlots ?? 2;
  const token = crypto.randomUUID();
  const progress = options.progress ?? (() => {});

  const picked = await withPoolLock(poolDir, async () => {
    const state = await readState(statePath, common);
    for (const slot of Object.values(state.slots)) {
      slot.users = slot.users.filter((u) => alive(u.pid));
    }
    const entries = Object.entries(state.slots);
    let name: string | undefined;
    let how: WorktreeLease["how"] = "reused";
    const same = entries.find(([, s]) => s.commit === sha);
    if (same) name = same[0];
    if (name !== undefined) {
      const head = await worktreeHead(`${poolDir}/${name}/src`, via);
      if (head !== sha) {
        if (state.slots[name]!.users.length > 0 && head !== null) {
          name = undefined; // someone else's slot drifted; leave it alone
        } else {
          how = head === null ? "created" : "moved";
        }
      }
    }
    if (name === undefined) {
      const free = entries.filter(([n, s]) =>
        s.users.length === 0 && n !== undefined
      ).sort((a, b) => a[1].lastUsed - b[1].lastUsed);
      if (entries.length >= maxSlots && free.length > 0) {
        name = free[0]![0];
        how = "moved";
      } else {
        let n = 0;
        while (state.slots[String(n)]) n++;
        name = String(n);
        how = "created";
      }
    }
    const src = `${poolDir}/${name}/src`;
    if (how === "moved" && (await worktreeHead(src, via)) === null) {
      how = "created";
    }
    // A make run inside a slot (not with O=) leaves files that make kbuild
    // refuse every later O= build of it: kcross's own tree, so they go,
    // unless another live lease is using the slot.
    const polluted = how === "created" ? [] : inTreeBuildFiles(src);
    if (polluted.length && (state.slots[name]?.users.length ?? 0) === 0) {
      progress(
        `${src} has in-tree build files (${
          polluted.join(", ")
        }: make was run inside it); git clean -fdX`,
      );
      await cleanIgnored(src, via);
      if (inTreeBuildFiles(src).length) how = "created";
    }
    if (how === "created") {
      await removeWorktree(repo, src, via);
      await Deno.mkdir(`${poolDir}/${name}`, { recursive: true });
      progress(`git worktree add ${src} ${sha.slice(0, 12)}`);
      await addWorktree(repo, sha, src, via);
    } else if (how === "moved") {
      progress(`git checkout ${sha.slice(0, 12)} in ${src}`);
      await checkoutWorktree(src, sha, via);
    }
    const slot = state.slots[name] ?? { commit: sha, lastUsed: 0, users: [] };
    slot.commit = sha;
    slot.lastUsed = Date.now();
    slot.users.push({ pid: Deno.pid, token });
    state.slots[name] = slot;
    await writeState(statePath, state);
    return { name, how };
  });

  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await withPoolLock(poolDir, async () => {
      const state = await readState(statePath, common);
      const slot = state.slots[picked.name];
      if (slot) {
        slot.users = slot.users.filter((u) => u.token !== token);
        slot.lastUsed = Date.now();
        await writeState(statePath, state);
      }
    });
  };
  return {
    dir: `${poolDir}/${picked.name}/src`,
    slotDir: `${poolDir}/${picked.name}`,
    commit: sha,
    repo: common,
    how: picked.how,
    release,
    [Symbol.asyncDispose]: release,
  };
}

/**
 * Removes every pooled worktree of `repo` (and their paired build dirs).
 *
 * @returns how many slots were removed
 */
export async function removePool(
  repo: string,
  options: { root?: string } & GitVia = {},
): Promise<number> {
  const via = viaOf(options);
  const common = await gitCommonDir(repo, via);
  const poolDir = `${options.root ?? worktreeRoot()}/${poolKey(common)}`;
  return await withPoolLock(poolDir, async () => {
    const state = await readState(`${poolDir}/pool.json`, common);
    const names = Object.keys(state.slots);
    for (const name of names) {
      await removeWorktree(repo, `${poolDir}/${name}/src`, via);
      await Deno.remove(`${poolDir}/${name}`, { recursive: true }).catch(
        () => {},
      );
    }
    await writeState(`${poolDir}/pool.json`, { repo: common, slots: {} });
    return names.length;
  });
}

/**
 * A kcross-owned worktree of `repo` at a fixed `dir` (a series' or bisect's
 * own tree, kept in its state), at `commit`: added when missing, else
 * moved (only changed files rewritten). For trees shared between commands
 * and processes use `acquireWorktree`.
 *
 * @param options `progress` is called before a worktree is added; `proc`
 *   runs git
 * @throws {InfraError} when git fails
 */
export async function ownedWorktree(
  repo: string,
  dir: string,
  commit: string,
  options: { progress?: (line: string) => void } & GitVia = {},
): Promise<void> {
  const via = viaOf(options);
  if ((await worktreeHead(dir, via)) === null) {
    options.progress?.(`git worktree add ${dir}`);
    await removeWorktree(repo, dir, via);
    await addWorktree(repo, commit, dir, via);
    return;
  }
  await checkoutWorktree(dir, commit, via);
}

/** Removes a worktree made by `ownedWorktree` (files and git's bookkeeping). */
export function dropWorktree(
  repo: string,
  dir: string,
  via: GitVia = {},
): Promise<void> {
  return removeWorktree(repo, dir, via);
}
