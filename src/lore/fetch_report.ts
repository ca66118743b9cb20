/**
 * Fetches a robot report by Message-ID from a public-inbox archive into the
 * report cache: the raw message (`<base>/<list>/<msgid>/raw`, then the `all`
 * inbox), or, when that is not the robot's message (a reply was named) or
 * the thread was asked for, the thread mbox (`…/t.mbox.gz`) with the robot's
 * message picked out. A cached entry is used as is: a second call makes no
 * request.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import { gunzipCapped, httpGet } from "./http_get.ts";
import { messageUrl } from "./lore_url.ts";
import { type MboxMessage, pickRobotMessage, splitMbox } from "./mbox.ts";
import { normalizeMessageId } from "./message_id.ts";
import {
  MESSAGE_FILE,
  readCacheFile,
  readMeta,
  reportCacheDir,
  writeCacheFile,
  writeMeta,
} from "./report_cache.ts";

/** Largest raw message accepted (a report with its config is < 4 MB). */
export const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
/** Largest thread mbox accepted, compressed. */
export const MAX_THREAD_GZ_BYTES = 16 * 1024 * 1024;
/** Largest thread mbox accepted, unpacked. */
export const MAX_THREAD_BYTES = 64 * 1024 * 1024;

/** Options for {@link fetchReport}. */
export interface FetchReportOptions {
  /** The state dir (the cache is `<stateRoot>/reports/`). */
  stateRoot: string;
  /** The public-inbox root, e.g. `https://lore.kernel.org`. */
  base: string;
  /** The inbox a URL named (tried before `all`). */
  list?: string | null;
  /** Fetch the thread mbox first (the URL named `t.mbox.gz`). */
  want?: "message" | "thread";
  /** Use the cache only. */
  offline?: boolean;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Progress lines (`==> …`). */
  progress?: (line: string) => void;
}

/** A report fetched or found in the cache. */
export interface FetchedReport {
  /** The cached message file. */
  path: string;
  text: string;
  /** The Message-ID asked for. */
  messageId: string;
  /** The robot's message's own Message-ID, when known. */
  robotMessageId: string | null;
  source: "cache" | "network";
  /** Where the message came from. */
  url: string | null;
}

interface Found {
  message: MboxMessage;
  url: string;
}

async function tryRaw(
  url: string,
  messageId: string,
  options: FetchReportOptions,
): Promise<{ found: Found | null; exists: boolean }> {
  const r = await httpGet(url, {
    what: "report message",
    maxBytes: MAX_MESSAGE_BYTES,
    ...common(options),
  });
  if (r.body === null) return statusOnly(r.status, url);
  const pick = pickRobotMessage(
    splitMbox(new TextDecoder().decode(r.body)),
    messageId,
  );
  return { found: pick ? { message: pick, url: r.url } : null, exists: true };
}

async function tryThread(
  url: string,
  messageId: string,
  options: FetchReportOptions,
): Promise<{ found: Found | null; exists: boolean }> {
  const r = await httpGet(url, {
    what: "thread mbox",
    maxBytes: MAX_THREAD_GZ_BYTES,
    ...common(options),
  });
  if (r.body === null) return statusOnly(r.status, url);
  const isGzip = r.body[0] === 0x1f && r.body[1] === 0x8b;
  const bytes = isGzip
    ? await gunzipCapped(r.body, MAX_THREAD_BYTES, "thread mbox")
    : r.body;
  const pick = pickRobotMessage(
    splitMbox(new TextDecoder().decode(bytes)),
    messageId,
  );
  return { found: pick ? { message: pick, url: r.url } : null, exists: true };
}

function statusOnly(
  status: number,
  url: string,
): { found: null; exists: boolean } {
  if (status === 404 || status === 410) return { found: null, exists: false };
  throw new InfraError(`The archive answered "${url}" with HTTP ${status}`, {
    hint: "retry later, or pass --lore-url for another public-inbox mirror",
  });
}

function common(options: FetchReportOptions) {
  return {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
}

/**
 * Gets the robot's report for `messageId`, from the cache or the archive.
 *
 * @param messageId the report's Message-ID, or a reply's in its thread
 * @param options state dir, archive root, list, offline, signal
 * @returns the cached message file and its text
 * @throws {UserError} bad Message-ID, not in the archive, no robot message
 *   in its thread, not cached with `offline`
 * @throws {InfraError} network failure, HTTP errors other than 404, caps
 */
export async function fetchReport(
  messageId: string,
  options: FetchReportOptions,
): Promise<FetchedReport> {
  const mid = normalizeMessageId(messageId);
  const dir = reportCacheDir(options.stateRoot, mid);
  const cached = await readCacheFile(dir, MESSAGE_FILE);
  if (cached !== null) {
    const meta = await readMeta(dir);
    options.progress?.(
      `report <${mid}> from the cache: ${dir}/${MESSAGE_FILE}`,
    );
    return {
      path: `${dir}/${MESSAGE_FILE}`,
      text: cached,
      messageId: mid,
      robotMessageId: meta?.robot_message_id ?? null,
      source: "cache",
      url: meta?.url ?? null,
    };
  }
  if (options.offline) {
    throw new UserError(
      `Report <${mid}> is not in the cache and --offline forbids fetching it`,
      { hint: `run once without --offline, or "kcross report fetch ${mid}"` },
    );
  }
  const lists = [...new Set([options.list ?? "all", "all"])];
  let found: Found | null = null;
  let exists = false;
  const order: ("raw" | "t.mbox.gz")[] = options.want === "thread"
    ? ["t.mbox.gz", "raw"]
    : ["raw", "t.mbox.gz"];
  outer:
  for (const what of order) {
    for (const list of lists) {
      const url = messageUrl(options.base, list, mid, what);
      options.progress?.(`fetch ${url}`);
      const r = what === "raw"
        ? await tryRaw(url, mid, options)
        : await tryThread(url, mid, options);
      exists ||= r.exists;
      if (r.found) {
        found = r.found;
        break outer;
      }
      // the message exists here but is not the robot's: look in its thread
      if (r.exists) break;
    }
  }
  if (found === null) {
    throw new UserError(
      exists
        ? `No kernel test robot report in the thread of <${mid}> at ${options.base}`
        : `Message <${mid}> is not in the archive at ${options.base}`,
      {
        hint: exists
          ? "pass the Message-ID of the robot's own mail (its Closes: link names it)"
          : "check the Message-ID, or pass --lore-url for the archive that has it",
      },
    );
  }
  const robotId = found.message.messageId;
  const entry = {
    message_id: mid,
    robot_message_id: robotId,
    url: found.url,
    artifacts: {},
    fetched_at: new Date().toISOString(),
  };
  const path = await writeCacheFile(dir, MESSAGE_FILE, found.message.text);
  await writeMeta(dir, entry);
  if (robotId !== null && robotId !== mid) {
    // the robot's own Message-ID finds it offline too
    try {
      const other = reportCacheDir(options.stateRoot, robotId);
      await writeCacheFile(other, MESSAGE_FILE, found.message.text);
      await writeMeta(other, { ...entry, message_id: robotId });
    } catch (error) {
      if (!(error instanceof UserError)) throw error; // a malformed robot id
    }
  }
  options.progress?.(`report <${robotId ?? mid}> saved: ${path}`);
  return {
    path,
    text: found.message.text,
    messageId: mid,
    robotMessageId: robotId,
    source: "network",
    url: found.url,
  };
}
