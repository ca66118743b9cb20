/**
 * The on-disk state of a series run: `stateDir()/series/<id>/state.json`,
 * written atomically after every step so `--resume <id>` continues where an
 * interrupted run stopped.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { stateDir } from "../paths.ts";
import type { CommitInfo, SeriesStep } from "./types.ts";
import { writeJsonAtomic } from "../util/atomic_write.ts";

/** Where series runs live: `stateDir()/series`. */
export function seriesRoot(): string {
  return `${stateDir()}/series`;
}

/** A series run, as stored. */
export interface SeriesState {
  version: 1;
  id: string;
  /** The user's repository (top level). */
  repo: string;
  /** The range as given, and resolved. */
  range: string;
  base: string;
  head: string;
  commits: CommitInfo[];
  /** The build options as given (re-parsed on resume). */
  buildArgs: string[];
  /** Where the user ran kcross (relative paths in the options start here). */
  cwd: string;
  /** The matrix file, when the series runs a matrix. */
  matrix: string | null;
  /** Cell names (one unnamed cell `""` without a matrix). */
  cells: string[];
  /** Our worktree and the build dir(s) under the run dir. */
  worktree: string;
  buildDir: string;
  failFast: boolean;
  status: "running" | "done" | "stopped" | "interrupted";
  createdAt: string;
  updatedAt: string;
  steps: SeriesStep[];
}

/** The directory of series `id` under `root`. */
export function seriesDir(id: string, root = seriesRoot()): string {
  return `${root}/${id}`;
}

/**
 * A new series id: UTC timestamp plus the head's short sha.
 *
 * @example
 * ```ts
 * import { newSeriesId } from "./state.ts";
 * const id = newSeriesId("0123456789abcdef", new Date("2026-01-02T03:04:05Z"));
 * if (id !== "20260102-030405-01234567") throw new Error(id);
 * ```
 */
export function newSeriesId(headSha: string, now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, "").replace("T", "-").slice(
    0,
    15,
  );
  return `${t}-${headSha.slice(0, 8)}`;
}

/**
 * Creates the directory of a new run under `root` named `id`, or `id-2`,
 * `id-3`… when that is taken (two runs in the same second on the same head).
 *
 * @returns the id actually used
 */
export async function claimRunDir(root: string, id: string): Promise<string> {
  await Deno.mkdir(root, { recursive: true });
  for (let n = 1;; n++) {
    const candidate = n === 1 ? id : `${id}-${n}`;
    try {
      await Deno.mkdir(`${root}/${candidate}`);
      return candidate;
    } catch (e) {
      if (!(e instanceof Deno.errors.AlreadyExists)) throw e;
    }
  }
}

/** Writes `state` atomically (tmp file + rename). */
export async function saveState(
  state: SeriesState,
  root = seriesRoot(),
): Promise<void> {
  const dir = seriesDir(state.id, root);
  await Deno.mkdir(dir, { recursive: true });
  state.updatedAt = new Date().toISOString();
  await writeJsonAtomic(`${dir}/state.json`, state);
}

/**
 * Loads series `id`.
 *
 * @throws {UserError} when there is no such series
 */
export async function loadState(
  id: string,
  root = seriesRoot(),
): Promise<SeriesState> {
  if (!/^[A-Za-z0-9._-]+$/.test(id)) {
    throw new UserError(`Bad series id "${id}"`);
  }
  try {
    const s = JSON.parse(
      await Deno.readTextFile(`${seriesDir(id, root)}/state.json`),
    ) as SeriesState;
    if (s.version !== 1) throw new SyntaxError("version");
    return s;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(`No series "${id}" to resume`, {
        hint: `series runs are kept under ${root}`,
      });
    }
    if (e instanceof SyntaxError) {
      throw new UserError(`The state of series "${id}" is unreadable`, {
        hint: `start the series again without --resume`,
        cause: e,
      });
    }
    throw e;
  }
}
