/**
 * A matrix run on disk: `stateDir()/matrix/<run-id>/` holding `run.json`
 * (the inputs), `cells/<digest>.json` (one per finished cell, written as it
 * finishes, so an interrupted run can be resumed) and the summaries.
 *
 * @module
 */
import { randomBytes } from "node:crypto";
import { UserError } from "../errors.ts";
import { stateDir } from "../paths.ts";
import type { Cell, CellRecord, TreeSpec } from "./types.ts";
import { writeFileAtomic } from "../util/atomic_write.ts";

/** What a run was asked to do (enough to resume it). */
export interface RunManifest {
  version: 1;
  id: string;
  createdAt: string;
  /** Absolute matrix file path and its text at submission. */
  matrixFile: string;
  matrixText: string;
  name: string;
  mode: "local" | "queue";
  tree: TreeSpec;
  queue: { url: string; name: string } | null;
  options: {
    jobs: number;
    makeJobs: number;
    ccache: boolean;
    shard: string | null;
    only: string | null;
  };
  /** The cells this run covers (after --only / --shard). */
  cells: Cell[];
}

/** The root of matrix runs: `<state>/matrix` (default `stateDir()`). */
export function matrixRoot(state: string = stateDir()): string {
  return `${state}/matrix`;
}

/**
 * A new run id: UTC time plus 4 random hex digits.
 *
 * @example
 * ```ts
 * import { newRunId } from "./run_store.ts";
 * if (!/^\d{8}-\d{6}-[0-9a-f]{4}$/.test(newRunId(new Date()))) throw new Error();
 * ```
 */
export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString().replace(/[-:]/g, "");
  return `${iso.slice(0, 8)}-${iso.slice(9, 15)}-${
    randomBytes(2).toString("hex")
  }`;
}

/** Writes `text` to `path` atomically (`writeFileAtomic` of util/). */
export const writeAtomic = writeFileAtomic;

/**
 * The directory of run `idOrPath`: an absolute/relative directory holding
 * `run.json`, or a run id under `matrixRoot()`.
 *
 * @throws {UserError} when no such run exists
 */
export async function findRunDir(
  idOrPath: string,
  cwd: string,
  root: string = matrixRoot(),
): Promise<string> {
  const candidates = idOrPath.includes("/")
    ? [idOrPath.startsWith("/") ? idOrPath : `${cwd}/${idOrPath}`]
    : [`${root}/${idOrPath}`];
  for (const dir of candidates) {
    try {
      await Deno.stat(`${dir}/run.json`);
      return dir;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  throw new UserError(`No matrix run "${idOrPath}"`, {
    hint: `runs live in ${root}/<run-id>; "ls ${root}" lists them`,
  });
}

/** Creates the run directory and writes `run.json`. */
export async function createRun(
  manifest: RunManifest,
  dir?: string,
): Promise<string> {
  const runDir = dir ?? `${matrixRoot()}/${manifest.id}`;
  await Deno.mkdir(`${runDir}/cells`, { recursive: true });
  await writeAtomic(
    `${runDir}/run.json`,
    JSON.stringify(manifest, null, 2) + "\n",
  );
  return runDir;
}

/** Reads a run's manifest. */
export async function readManifest(runDir: string): Promise<RunManifest> {
  return JSON.parse(
    await Deno.readTextFile(`${runDir}/run.json`),
  ) as RunManifest;
}

/** Records a finished cell (atomically; last write wins). */
export async function writeCellRecord(
  runDir: string,
  record: CellRecord,
): Promise<void> {
  await writeAtomic(
    `${runDir}/cells/${record.digest}.json`,
    JSON.stringify(record, null, 2) + "\n",
  );
}

/** Every recorded cell of a run, by digest. */
export async function readCellRecords(
  runDir: string,
): Promise<Map<string, CellRecord>> {
  const out = new Map<string, CellRecord>();
  try {
    for await (const entry of Deno.readDir(`${runDir}/cells`)) {
      if (!entry.isFile || !entry.name.endsWith(".json")) continue;
      const rec = JSON.parse(
        await Deno.readTextFile(`${runDir}/cells/${entry.name}`),
      ) as CellRecord;
      out.set(rec.digest, rec);
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out;
}

/** Whether a recorded cell counts as done for `--resume` (a result, not an accident). */
export function isFinal(record: CellRecord): boolean {
  return record.result === "pass" || record.result === "fail";
}
