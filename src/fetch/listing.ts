/**
 * Mirror directory listings: the HTML indexes kernel.org (nginx autoindex)
 * and download.01.org serve, read robustly, and small text files (listings,
 * `.tar.sign`, `sha256sums.asc`) fetched with a size cap and a deadline.
 *
 * kernel.org's autoindex looks like
 * `<a href="12.2.0/">12.2.0/</a>   18-Aug-2022 10:12    -` and
 * `<a href="x86_64-gcc-…tar.xz">x86_64-gcc-12.2.0-nolibc-powerpc64-linux.ta..&gt;</a> 18-Aug-2022 10:15  87654321`:
 * the link text is truncated past 50 characters, so only `href` counts.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { fetchTimeoutMs } from "../util/fetch_timeout.ts";
import { fetchFollowingRedirects } from "../util/follow_redirects.ts";
import type { DownloadOptions } from "./download.ts";
import { concatBytes } from "../util/bytes.ts";

/** One entry of a directory listing. */
export interface ListingEntry {
  /** Decoded name, without a trailing `/`. */
  name: string;
  isDir: boolean;
}

/** The mirror has no such listing (404/410): it does not publish this. */
export class ListingMissingError extends InfraError {}

/** The listing is not a directory index kcross can read. */
export class ListingMalformedError extends InfraError {}

const MAX_LISTING = 8 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Parses an HTML directory index into its entries: every `href` naming a
 * direct child (no `../`, no absolute URL, no query such as Apache's
 * `?C=N;O=D` sort links, no nested path).
 *
 * @returns entries in listing order, or null when the text is no HTML index
 * @example
 * ```ts
 * import { parseListing } from "./listing.ts";
 * const html = '<html><body><h1>Index of /x/</h1><hr><pre><a href="../">../</a>\n' +
 *   '<a href="12.2.0/">12.2.0/</a>   18-Aug-2022 10:12   -\n' +
 *   '<a href="llvm-21.1.8-x86_64.tar.xz">llvm-21.1.8-x86_64.tar.xz</a> 01-Jan-2026 00:00 123\n</pre></body></html>';
 * const e = parseListing(html)!;
 * if (e.length !== 2 || !e[0]!.isDir || e[1]!.name !== "llvm-21.1.8-x86_64.tar.xz") throw new Error();
 * ```
 */
export function parseListing(html: string): ListingEntry[] | null {
  if (!/<a\s[^>]*href\s*=/i.test(html) && !/<html|<pre|<table/i.test(html)) {
    return null;
  }
  const out: ListingEntry[] = [];
  const seen = new Set<string>();
  for (
    const m of html.matchAll(
      /<a\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi,
    )
  ) {
    let href = (m[1] ?? m[2] ?? m[3] ?? "").replaceAll("&amp;", "&");
    if (!href || href.startsWith("?") || href.startsWith("#")) continue;
    if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("/")) continue;
    href = href.replace(/^\.\//, "");
    const isDir = href.endsWith("/");
    const raw = isDir ? href.slice(0, -1) : href;
    if (raw === "" || raw === "." || raw === ".." || raw.includes("/")) {
      continue;
    }
    if (raw.includes("?") || raw.includes("#")) continue;
    let name: string;
    try {
      name = decodeURIComponent(raw);
    } catch {
      continue;
    }
    if (name.includes("/") || name.includes("\0")) continue;
    const key = `${name}${isDir ? "/" : ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ name, isDir });
  }
  return out;
}

/** Download knobs a small fetch honours. */
export type SmallFetchOptions =
  & Pick<DownloadOptions, "signal" | "headersTimeoutMs" | "fetchImpl">
  & { maxBytes?: number };

/**
 * Fetches a small text file whole, with a size cap and one deadline for
 * headers and body.
 *
 * @returns the text, or undefined on 404/410
 * @throws {InfraError} network, HTTP error, over the cap, deadline
 */
export async function fetchSmallText(
  url: string,
  options: SmallFetchOptions = {},
): Promise<string | undefined> {
  const max = options.maxBytes ?? MAX_LISTING;
  const timeout = options.headersTimeoutMs ??
    fetchTimeoutMs((n) => Deno.env.get(n), DEFAULT_TIMEOUT_MS);
  const signals = [AbortSignal.timeout(timeout)];
  if (options.signal) signals.push(options.signal);
  const signal = AbortSignal.any(signals);
  try {
    const { response: res } = await fetchFollowingRedirects(url, {
      what: "mirror file",
      ...(options.fetchImpl ? { fetch: options.fetchImpl } : {}),
      signal,
    });
    if (res.status === 404 || res.status === 410) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new InfraError(`Cannot fetch ${url}: HTTP ${res.status}`, {
        hint:
          "the mirror is failing; retry later or choose another mirror (--mirror URL)",
      });
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const c of res.body ?? new ReadableStream<Uint8Array>()) {
      size += c.length;
      if (size > max) {
        throw new InfraError(
          `Refused ${url}: larger than ${Math.round(max / 1024)} KiB`,
          {
            hint:
              "the mirror serves something unexpected; choose another mirror (--mirror URL)",
          },
        );
      }
      chunks.push(c);
    }
    return new TextDecoder().decode(concatBytes(chunks, size));
  } catch (error) {
    options.signal?.throwIfAborted();
    if (error instanceof InfraError) throw error;
    if (signal.aborted) {
      throw new InfraError(
        `Timed out fetching ${url}: no complete answer within ${
          timeout / 1000
        } s`,
        {
          cause: error,
          hint:
            "the mirror is stalling; retry, choose another mirror (--mirror URL), or raise KCROSS_FETCH_TIMEOUT (seconds)",
        },
      );
    }
    const why = String((error as Error)?.message ?? error);
    throw new InfraError(`Cannot reach ${url}: ${why}`, {
      cause: error,
      hint:
        "check the network or choose another mirror (--mirror URL, KCROSS_MIRROR); KCROSS_FETCH_TIMEOUT sets the deadline in seconds",
    });
  }
}

/**
 * Reads a mirror directory listing.
 *
 * @throws {ListingMissingError} 404: the mirror has no such directory
 * @throws {ListingMalformedError} not an HTML index
 * @throws {InfraError} network
 */
export async function readListing(
  url: string,
  options: SmallFetchOptions = {},
): Promise<ListingEntry[]> {
  const text = await fetchSmallText(url, options);
  if (text === undefined) {
    throw new ListingMissingError(`No directory listing at ${url} (HTTP 404)`, {
      hint:
        "the mirror does not publish this directory; check --mirror/KCROSS_MIRROR (a kernel.org base URL such as https://cdn.kernel.org, or cross-package:<url>)",
    });
  }
  const entries = parseListing(text);
  if (entries === null) {
    throw new ListingMalformedError(
      `Unreadable directory listing at ${url}: not an HTML index`,
      {
        hint:
          "the mirror (or a proxy in between) answers with something else; try another mirror (--mirror URL)",
      },
    );
  }
  return entries;
}
