/**
 * The robot's `reproduce` script and `config` of a new-format report,
 * fetched from its `download.01.org/0day-ci/archive/<date>/<id>/` links into
 * the report cache (size-capped, time-limited), so `repro` builds with the
 * robot's exact config without `--config`. Only links into that archive are
 * followed (a report is hostile input), never a truncated one (`…-lk...`).
 * When a link is truncated (a web-archive copy) and the report names its lore
 * URL (`Closes:`, old `Link:`), the pristine mail is fetched from there.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import type { EnvReader } from "../paths.ts";
import {
  isTruncatedUrl,
  type ParsedReport,
  parseReport,
} from "../report/mod.ts";
import { fetchReport } from "./fetch_report.ts";
import { fetchTimeoutMs, gunzipCapped, httpGet } from "./http_get.ts";
import { DEFAULT_LORE_URL, parseLoreUrl } from "./lore_url.ts";
import { normalizeMessageId } from "./message_id.ts";
import {
  readCacheFile,
  readMeta,
  reportCacheDir,
  writeCacheFile,
  writeMeta,
} from "./report_cache.ts";

/** The robot's file archive. */
export const ARCHIVE_ROOT = "https://download.01.org";
const ARCHIVE_PATH = "/0day-ci/archive/";

/** Largest reproduce script accepted. */
export const MAX_REPRODUCE_BYTES = 1024 * 1024;
/** Largest config download accepted (compressed or not). */
export const MAX_CONFIG_BYTES = 8 * 1024 * 1024;
/** Largest config accepted, unpacked. */
export const MAX_CONFIG_TEXT_BYTES = 32 * 1024 * 1024;

/** One fetched file. */
export interface Artifact {
  /** The cached file. */
  path: string;
  text: string;
  /** The URL it came from (as the report gives it). */
  url: string;
  source: "cache" | "network";
}

/** What {@link fetchReportArtifacts} found. */
export interface ReportArtifacts {
  reproduce?: Artifact;
  config?: Artifact;
  /** Things the user should know (a link not followed, and why). */
  notes: string[];
}

/** Options for {@link fetchReportArtifacts}. */
export interface FetchArtifactsOptions {
  stateRoot: string;
  /** Stand-in for `https://download.01.org` (default `$KCROSS_01ORG_URL`). */
  archiveUrl?: string;
  env?: EnvReader;
  /** Use the cache only. */
  offline?: boolean;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  progress?: (line: string) => void;
}

/**
 * The archive path of a robot link (`/0day-ci/archive/<date>/<id>/<file>`)
 * and the report id in it, or null when the URL is not one.
 *
 * @example
 * ```ts
 * import { archiveLink } from "./fetch_artifacts.ts";
 * const l = archiveLink("https://download.01.org/0day-ci/archive/20240101/202401010536.XhzcWDPH-lkp@intel.com/config");
 * if (l?.id !== "202401010536.XhzcWDPH-lkp@intel.com" || l.file !== "config") throw new Error();
 * if (archiveLink("https://evil.example/0day-ci/archive/1/a@b/config") !== null) throw new Error();
 * ```
 */
export function archiveLink(
  url: string,
): { path: string; id: string; file: string } | null {
  if (
    !url.startsWith(`${ARCHIVE_ROOT}${ARCHIVE_PATH}`) || isTruncatedUrl(url)
  ) {
    return null;
  }
  const path = url.slice(ARCHIVE_ROOT.length);
  const m =
    /^\/0day-ci\/archive\/(\d{8})\/([^/?#]{1,244})\/(config(?:\.gz)?|reproduce)$/
      .exec(path);
  if (!m) return null;
  let id: string;
  try {
    id = normalizeMessageId(decodeURIComponent(m[2]!));
  } catch {
    return null;
  }
  return { path, id, file: m[3]! };
}

function archiveBase(options: FetchArtifactsOptions): string {
  const env = options.env ?? ((n: string) => Deno.env.get(n));
  const v = options.archiveUrl ?? env("KCROSS_01ORG_URL") ?? ARCHIVE_ROOT;
  if (!/^https?:\/\/[^/\s]+(?:\/[^\s]*)?$/.test(v)) {
    throw new UserError(
      `KCROSS_01ORG_URL is not an http(s) URL: "${v.slice(0, 100)}"`,
    );
  }
  return v.replace(/\/+$/, "");
}

function isText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 65536);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return false;
  return true;
}

async function download(
  kind: "reproduce" | "config",
  url: string,
  options: FetchArtifactsOptions,
): Promise<Artifact | null | "gone"> {
  const link = archiveLink(url)!;
  const dir = reportCacheDir(options.stateRoot, link.id);
  const name = kind;
  const cached = await readCacheFile(dir, name);
  if (cached !== null) {
    return { path: `${dir}/${name}`, text: cached, url, source: "cache" };
  }
  if (options.offline) return null;
  const env = options.env ?? ((n: string) => Deno.env.get(n));
  const base = archiveBase(options);
  const tries = kind === "config" && link.file === "config"
    ? [link.path, `${link.path}.gz`]
    : [link.path];
  for (const path of tries) {
    const target = `${base}${path}`;
    options.progress?.(`fetch ${target}`);
    const r = await httpGet(target, {
      what: kind === "config" ? "robot config" : "reproduce script",
      maxBytes: kind === "config" ? MAX_CONFIG_BYTES : MAX_REPRODUCE_BYTES,
      timeoutMs: fetchTimeoutMs(env),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (r.body === null) {
      if (r.status === 404 || r.status === 410) continue;
      throw new InfraError(
        `The archive answered "${target}" with HTTP ${r.status}`,
        {
          hint: "retry later; the robot's files stay online for months",
        },
      );
    }
    const gz = r.body[0] === 0x1f && r.body[1] === 0x8b;
    const bytes = gz
      ? await gunzipCapped(r.body, MAX_CONFIG_TEXT_BYTES, `robot ${kind}`)
      : r.body;
    const text = new TextDecoder().decode(bytes);
    if (!isText(bytes) || (kind === "config" && !/^CONFIG_\w+=/m.test(text))) {
      throw new InfraError(
        `The ${kind} at "${target}" is not a ${
          kind === "config" ? "kernel .config" : "text script"
        }`,
        {
          hint: "check the report's link; kcross does not use it",
        },
      );
    }
    const saved = await writeCacheFile(dir, name, text);
    const meta = await readMeta(dir);
    await writeMeta(dir, {
      message_id: meta?.message_id ?? link.id,
      robot_message_id: meta?.robot_message_id ?? link.id,
      url: meta?.url ?? null,
      artifacts: { ...(meta?.artifacts ?? {}), [name]: url },
      fetched_at: meta?.fetched_at ?? new Date().toISOString(),
    });
    return { path: saved, text, url, source: "network" };
  }
  return "gone";
}

/**
 * Fetches (or finds cached) the reproduce script and config a report links
 * to. Links outside `download.01.org/0day-ci/archive/` are not followed;
 * truncated ones are replaced by the pristine mail's when the report names
 * its lore URL.
 *
 * @param report the parsed report
 * @param options state dir, archive stand-in, offline, signal
 * @returns the files found, and notes on links not followed or gone (404)
 * @throws {InfraError} an archive error other than "not found", caps
 */
export async function fetchReportArtifacts(
  report: Pick<
    ParsedReport,
    "reproduce_url" | "config_url" | "setup" | "attachments"
  >,
  options: FetchArtifactsOptions,
): Promise<ReportArtifacts> {
  const out: ReportArtifacts = { notes: [] };
  let links = { reproduce: report.reproduce_url, config: report.config_url };
  const truncated = Object.values(links).some((u) =>
    u !== null && isTruncatedUrl(u)
  );
  if (truncated && report.setup.closes_url !== null) {
    const pristine = await pristineLinks(report.setup.closes_url, options, out);
    if (pristine) links = pristine;
  }
  for (const kind of ["reproduce", "config"] as const) {
    const url = links[kind];
    if (url === null || report.attachments[kind] !== undefined) continue;
    if (isTruncatedUrl(url)) {
      out.notes.push(`the ${kind} link is truncated ("${url}"): not fetched`);
      continue;
    }
    if (archiveLink(url) === null) {
      out.notes.push(
        `the ${kind} link is not a download.01.org/0day-ci/archive/ file: not fetched ("${
          url.slice(0, 200)
        }")`,
      );
      continue;
    }
    const got = await download(kind, url, options);
    if (got === "gone") {
      out.notes.push(
        `the robot's ${kind} is gone from the archive (404): "${url}"`,
      );
    } else if (got) out[kind] = got;
    else {
      out.notes.push(
        `the ${kind} is not cached and --offline forbids fetching "${url}"`,
      );
    }
  }
  return out;
}

/** The links of the pristine mail behind a report's `Closes:`/`Link:` URL. */
async function pristineLinks(
  closesUrl: string,
  options: FetchArtifactsOptions,
  out: ReportArtifacts,
): Promise<{ reproduce: string | null; config: string | null } | null> {
  let ref;
  try {
    ref = parseLoreUrl(closesUrl);
  } catch {
    return null;
  }
  const env = options.env ?? ((n: string) => Deno.env.get(n));
  // The report names the message, not the server: its Closes: host is
  // hostile input (it could be 169.254.169.254), the archive is the user's.
  const base = env("KCROSS_LORE_URL") ?? DEFAULT_LORE_URL;
  const fetched = await fetchReport(ref.messageId, {
    stateRoot: options.stateRoot,
    base: base.replace(/\/+$/, ""),
    list: ref.list,
    timeoutMs: fetchTimeoutMs(env),
    ...(options.offline ? { offline: true } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  }).catch((error) => {
    if (!(error instanceof UserError)) throw error;
    out.notes.push(
      `the report's links are truncated and its archive copy could not be had: ${error.message}`,
    );
    return null;
  });
  if (fetched === null) return null;
  const pristine = parseReport(fetched.text, { lenient: true });
  out.notes.push(
    `the report's links are truncated: used the archived mail ${fetched.path}`,
  );
  return { reproduce: pristine.reproduce_url, config: pristine.config_url };
}
