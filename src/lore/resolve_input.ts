/**
 * What a report argument names: `-` (standard input), a file, a lore URL
 * (any list, `/raw`, `/t.mbox.gz`, `/T/`), or a Message-ID (with or without
 * `<>`), fetched from public-inbox into the report cache when it is one of
 * the last two. The one entry point `repro`, `report` and later `verify`
 * share.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { EnvReader } from "../paths.ts";
import { readReportInput } from "../report/mod.ts";
import { fetchReport } from "./fetch_report.ts";
import { fetchTimeoutMs } from "./http_get.ts";
import { loreBase, parseLoreUrl } from "./lore_url.ts";
import { looksLikeMessageId } from "./message_id.ts";

/** Options for {@link resolveReportInput}. */
export interface ResolveInputOptions {
  /** Directory relative paths are resolved against. */
  cwd: string;
  /** The state dir (report cache root). */
  stateRoot: string;
  /** `--lore-url` (else `$KCROSS_LORE_URL`, else lore.kernel.org). */
  loreUrl?: string;
  /** Environment reader (default: the process environment). */
  env?: EnvReader;
  /** Use the cache only: never a request. */
  offline?: boolean;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Progress lines. */
  progress?: (line: string) => void;
  /** Stream read for `-`. */
  stdin?: ReadableStream<Uint8Array>;
}

/** A report argument, read. */
export interface ReportInput {
  text: string;
  /** The file read (the cached message for a fetched report), or null for stdin. */
  path: string | null;
  /** Where the text came from. */
  source: "file" | "stdin" | "cache" | "lore";
  /** The Message-ID asked for, when the argument was one (or a URL). */
  messageId: string | null;
  /** The archive URL the message came from, when fetched. */
  url: string | null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * Reads the report an argument names, fetching it when it is a Message-ID or
 * a lore URL (cached by Message-ID: the second call is offline).
 *
 * @param arg `-`, a path, a lore URL, or a Message-ID
 * @param options cwd, state dir, archive root, offline, signal
 * @returns the text and where it came from
 * @throws {UserError} unreadable file, bad Message-ID or URL, not in the
 *   archive, not cached with `offline`
 * @throws {InfraError} the archive could not be reached or misbehaved
 */
export async function resolveReportInput(
  arg: string,
  options: ResolveInputOptions,
): Promise<ReportInput> {
  const env = options.env ?? ((n: string) => Deno.env.get(n));
  if (arg === "-") {
    const text = await readReportInput("-", {
      cwd: options.cwd,
      ...(options.stdin ? { stdin: options.stdin } : {}),
    });
    return { text, path: null, source: "stdin", messageId: null, url: null };
  }
  const full = arg.startsWith("/") ? arg : `${options.cwd}/${arg}`;
  const isUrl = /^https?:\/\//i.test(arg.trim());
  if (!isUrl && /^[a-z][a-z0-9+.-]*:\/\//i.test(arg.trim())) {
    throw new UserError(`Cannot fetch a report from "${arg.slice(0, 200)}"`, {
      hint: "pass a file, a Message-ID, or an http(s) lore URL",
    });
  }
  if (!isUrl && (await isFile(full) || !looksLikeMessageId(arg))) {
    const text = await readReportInput(arg, { cwd: options.cwd });
    return { text, path: full, source: "file", messageId: null, url: null };
  }
  const ref = isUrl ? parseLoreUrl(arg) : null;
  const base = ref !== null && ref.list !== null
    ? ref.base
    : loreBase(options.loreUrl, env);
  const fetched = await fetchReport(ref?.messageId ?? arg, {
    stateRoot: options.stateRoot,
    base,
    list: ref?.list ?? null,
    want: ref?.want ?? "message",
    timeoutMs: fetchTimeoutMs(env),
    ...(options.offline ? { offline: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
  return {
    text: fetched.text,
    path: fetched.path,
    source: fetched.source === "cache" ? "cache" : "lore",
    messageId: fetched.messageId,
    url: fetched.url,
  };
}
