/**
 * The report cache under the state dir: one directory per Message-ID
 * (`<state>/reports/<escaped Message-ID>/`) holding the robot's message
 * (`message.eml`), its `reproduce` script and `config` when fetched, and
 * `meta.json` (where each came from). Files are written to a unique
 * temporary name and renamed into place, so a reader sees a whole file or
 * none.
 *
 * @module
 */
import { writeFileAtomic } from "../util/atomic_write.ts";
import { cacheName } from "./message_id.ts";
import { readTextOrNull } from "../util/fs.ts";

/** What `meta.json` records. */
export interface CacheMeta {
  /** The Message-ID this entry is for (the one asked for). */
  message_id: string;
  /** The robot's message's own Message-ID (differs when a reply was asked for). */
  robot_message_id: string | null;
  /** Where `message.eml` came from. */
  url: string | null;
  /** Where `reproduce` and `config` came from, by file name. */
  artifacts: Record<string, string>;
  /** ISO time of the first fetch. */
  fetched_at: string;
}

/** The message file of a cache entry. */
export const MESSAGE_FILE = "message.eml";

/**
 * The cache directory of a Message-ID.
 *
 * @example
 * ```ts
 * import { reportCacheDir } from "./report_cache.ts";
 * if (reportCacheDir("/s", "a/b@c") !== "/s/reports/a%2Fb@c") throw new Error();
 * ```
 */
export function reportCacheDir(stateRoot: string, messageId: string): string {
  return `${stateRoot}/reports/${cacheName(messageId)}`;
}

/**
 * Writes `data` to `dir/name` atomically (util's unique temporary name,
 * then a rename), creating `dir`.
 */
export async function writeCacheFile(
  dir: string,
  name: string,
  data: string | Uint8Array,
): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const path = `${dir}/${name}`;
  await writeFileAtomic(path, data);
  return path;
}

/** Reads a cache file, or null when it is not there. */
export async function readCacheFile(
  dir: string,
  name: string,
): Promise<string | null> {
  return await readTextOrNull(`${dir}/${name}`);
}

/** The entry's `meta.json`, or null when missing or unreadable. */
export async function readMeta(dir: string): Promise<CacheMeta | null> {
  const text = await readCacheFile(dir, "meta.json");
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<CacheMeta>;
    if (typeof v.message_id !== "string") return null;
    return {
      message_id: v.message_id,
      robot_message_id: typeof v.robot_message_id === "string"
        ? v.robot_message_id
        : null,
      url: typeof v.url === "string" ? v.url : null,
      artifacts: typeof v.artifacts === "object" && v.artifacts !== null
        ? v.artifacts as Record<string, string>
        : {},
      fetched_at: typeof v.fetched_at === "string" ? v.fetched_at : "",
    };
  } catch {
    return null;
  }
}

/** Writes the entry's `meta.json`. */
export async function writeMeta(dir: string, meta: CacheMeta): Promise<void> {
  await writeCacheFile(dir, "meta.json", `${JSON.stringify(meta, null, 2)}\n`);
}
