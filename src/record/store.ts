/**
 * Where build records live and how to find them:
 * `$XDG_STATE_HOME/kcross/builds/<id>/`, ids sortable by time
 * (`20261127T142233Z-1a2b3c`).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { stateDir } from "../paths.ts";
import { writeJsonAtomic } from "../util/atomic_write.ts";
import type { RecordMetadata } from "./types.ts";

/** The metadata file name inside a record dir. */
export const METADATA = "metadata.json";

/** The directory holding every record. */
export function buildsDir(): string {
  return `${stateDir()}/builds`;
}

/**
 * A new record id: UTC time to the second, then 6 hex digits: the
 * milliseconds (3 digits, so ids made in one second still sort by time) and
 * 3 random ones.
 *
 * @example
 * ```ts
 * import { newRecordId } from "./store.ts";
 * const id = newRecordId(new Date("2026-11-27T14:22:33.456Z"));
 * if (!/^20261127T142233Z-1c8[0-9a-f]{3}$/.test(id)) throw new Error(id);
 * ```
 */
export function newRecordId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "Z");
  const ms = now.getUTCMilliseconds().toString(16).padStart(3, "0");
  const rand = (crypto.getRandomValues(new Uint16Array(1))[0]! & 0xfff)
    .toString(16).padStart(3, "0");
  return `${stamp}-${ms}${rand}`;
}

/**
 * The directory of record `id` (an id under the state dir, or a path to a
 * record dir, e.g. one made with `--record-dir`).
 *
 * @example
 * ```ts
 * import { recordPath } from "./store.ts";
 * if (recordPath("/tmp/rec") !== "/tmp/rec") throw new Error();
 * if (!recordPath("20261127T142233Z-1a2b3c").endsWith("/builds/20261127T142233Z-1a2b3c")) throw new Error();
 * ```
 */
export function recordPath(id: string): string {
  return id.includes("/") ? id : `${buildsDir()}/${id}`;
}

/**
 * Creates a fresh record directory (under the state dir, or `override`).
 * An `override` that already exists is used as it is (a rerun into the same
 * `--record-dir`), but it is not kcross's: `created` is false, and a build
 * that stops must not remove it (it may be `.`, the tree, or `$HOME`).
 *
 * @returns its id (the directory's name), path, and whether it was made now
 * @throws {UserError} `override` is a file, or a symlink to one or to nothing
 */
export async function createRecordDir(
  override?: string,
): Promise<{ id: string; dir: string; created: boolean }> {
  if (override !== undefined) {
    const dir = override.replace(/\/+$/, "") || "/";
    const id = dir.slice(dir.lastIndexOf("/") + 1);
    const notDir = (cause?: unknown) =>
      new UserError(`Record directory "${dir}" is not a directory`, {
        ...(cause === undefined ? {} : { cause }),
        hint:
          "give --record-dir a directory, or a path that does not exist yet",
      });
    try {
      if (!(await Deno.stat(dir)).isDirectory) throw notDir();
      return { id, dir, created: false };
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    try {
      await Deno.mkdir(dir, { recursive: true });
    } catch (error) {
      // a dangling symlink: stat says NotFound, mkdir finds the name taken
      if (error instanceof Deno.errors.AlreadyExists) throw notDir(error);
      throw error;
    }
    return { id, dir, created: true };
  }
  const root = buildsDir();
  await Deno.mkdir(root, { recursive: true });
  for (;;) {
    const id = newRecordId();
    const dir = `${root}/${id}`;
    try {
      await Deno.mkdir(dir);
      return { id, dir, created: true };
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
  }
}

/** Writes `metadata.json` in `dir` atomically. */
export function writeMetadata(
  dir: string,
  meta: RecordMetadata,
): Promise<void> {
  return writeJsonAtomic(`${dir}/${METADATA}`, meta);
}

/**
 * Reads record `id`'s metadata. `id` may be a unique prefix of an id,
 * `latest`, or a path to a record dir.
 *
 * @throws {UserError} when there is no such record, or its `metadata.json`
 *   is not a kcross build record (a record someone sent is input too)
 */
export async function readRecord(id: string): Promise<RecordMetadata> {
  const dir = recordPath(await resolveRecordId(id));
  let text: string;
  try {
    text = await Deno.readTextFile(`${dir}/${METADATA}`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`No build record "${id}"`, {
        hint: 'run "kcross logs ls" to see the records',
      });
    }
    throw error;
  }
  let meta: unknown;
  try {
    meta = JSON.parse(text);
  } catch (error) {
    throw notARecord(dir, `not JSON (${(error as Error).message})`);
  }
  if (typeof meta !== "object" || meta === null || Array.isArray(meta)) {
    throw notARecord(dir, "not a JSON object");
  }
  return meta as RecordMetadata;
}

function notARecord(dir: string, why: string): UserError {
  return new UserError(
    `Cannot read the build record "${dir}": its ${METADATA} is ${why}`,
    {
      hint:
        "the record is damaged or was not written by kcross; remove it or rebuild",
    },
  );
}

/** Every record's metadata under the state dir, oldest first. */
export async function listRecords(): Promise<RecordMetadata[]> {
  const records: RecordMetadata[] = [];
  for (const id of await recordIds()) {
    try {
      const meta = JSON.parse(
        await Deno.readTextFile(`${buildsDir()}/${id}/${METADATA}`),
      ) as RecordMetadata;
      // The id is the directory's name, whatever the file says: a copied-in
      // record's "id": "../../x" or "/etc" must not name another directory.
      records.push({ ...meta, id });
    } catch (error) {
      // A record being created has no metadata yet; a broken one is skipped.
      if (
        !(error instanceof Deno.errors.NotFound || error instanceof SyntaxError)
      ) throw error;
    }
  }
  return records;
}

async function recordIds(): Promise<string[]> {
  const ids: string[] = [];
  try {
    for await (const e of Deno.readDir(buildsDir())) {
      if (e.isDirectory) ids.push(e.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return ids.sort();
}

/**
 * Turns what the user typed into a record id: a path is kept, `latest`
 * (or `last`) is the newest record, else a unique id prefix.
 *
 * @throws {UserError} when nothing or more than one record matches
 */
export async function resolveRecordId(id: string): Promise<string> {
  if (id.includes("/")) return id;
  const ids = await recordIds();
  if (id === "latest" || id === "last") {
    // The newest record that has metadata (one being created may not yet).
    for (const candidate of ids.toReversed()) {
      try {
        await Deno.stat(`${buildsDir()}/${candidate}/${METADATA}`);
        return candidate;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    throw new UserError("There are no build records");
  }
  if (ids.includes(id)) return id;
  const matches = ids.filter((x) => x.startsWith(id));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw new UserError(
      `Record id "${id}" is ambiguous: ${matches.length} records match`,
      { hint: "give more of the id" },
    );
  }
  throw new UserError(`No build record "${id}"`, {
    hint: 'run "kcross logs ls" to see the records',
  });
}
