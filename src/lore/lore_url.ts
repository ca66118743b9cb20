/**
 * public-inbox (lore) URLs: reading a message URL a user pastes and building
 * the URLs kcross fetches. public-inbox serves a message at
 * `<base>/<list>/<msgid>/` (HTML), `…/raw` (the message, mboxrd), `…/t.mbox.gz`
 * (its thread, gzipped mbox), `…/T/` and `…/t/` (thread views); `all` (and
 * lore's alias `r`) is the inbox of every list.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { EnvReader } from "../paths.ts";
import { escapeMessageId, normalizeMessageId } from "./message_id.ts";

/** Where kcross looks for reports by default. */
export const DEFAULT_LORE_URL = "https://lore.kernel.org";

/** A message named by a URL. */
export interface LoreRef {
  /** The public-inbox root (`https://lore.kernel.org`, a mirror's prefix…). */
  base: string;
  /** The inbox (`oe-kbuild-all`, `all`), or null when the URL names none. */
  list: string | null;
  messageId: string;
  /** What the URL asked for: the thread mbox, or the message. */
  want: "message" | "thread";
}

const LIST_NAME = /^[\w.-]{1,100}$/;

/**
 * Reads a public-inbox message URL: any list, `/raw`, `/t.mbox.gz`, `/T/`,
 * `/t/`, legacy `/m/<msgid>/`, lore's `/r/<msgid>`, with or without a path
 * prefix (a mirror's `https://host/lore/<list>/<msgid>/`).
 *
 * @param url the URL as pasted
 * @returns the base, list, Message-ID and what was asked for
 * @throws {UserError} not http(s), or no Message-ID in the path
 *
 * @example
 * ```ts
 * import { parseLoreUrl } from "./lore_url.ts";
 * const r = parseLoreUrl("https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/t.mbox.gz");
 * if (r.base !== "https://lore.kernel.org" || r.list !== "oe-kbuild-all" || r.want !== "thread") throw new Error();
 * const m = parseLoreUrl("http://127.0.0.1:8080/mirror/all/a%2Fb@c/raw");
 * if (m.base !== "http://127.0.0.1:8080/mirror" || m.messageId !== "a/b@c") throw new Error();
 * ```
 */
export function parseLoreUrl(url: string): LoreRef {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch (error) {
    throw new UserError(`Not a URL: "${url.slice(0, 200)}"`, {
      cause: error,
      hint:
        "pass a lore URL like https://lore.kernel.org/oe-kbuild-all/<Message-ID>/",
    });
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    throw new UserError(
      `Cannot fetch "${u.protocol}" URLs: "${url.slice(0, 200)}"`,
      {
        hint: "only http:// and https:// archive URLs are fetched",
      },
    );
  }
  const raw = u.pathname.split("/");
  let k = -1;
  for (let i = raw.length - 1; i >= 0; i--) {
    if (decodeSegment(raw[i]!).includes("@")) {
      k = i;
      break;
    }
  }
  if (k < 0) {
    throw new UserError(`No Message-ID in the URL "${url.slice(0, 200)}"`, {
      hint:
        "a lore message URL looks like https://lore.kernel.org/<list>/<Message-ID>/",
    });
  }
  const messageId = normalizeMessageId(decodeSegment(raw[k]!));
  const suffix = raw.slice(k + 1).join("/");
  const want = /^t\.mbox(?:\.gz)?$/.test(suffix) ? "thread" : "message";
  let listAt = k - 1;
  // legacy /<list>/m/<msgid>/ and /<list>/t/<msgid>/
  if (listAt >= 2 && /^[mtf]$/.test(raw[listAt]!)) listAt--;
  const listSeg = listAt >= 1 ? raw[listAt]! : "";
  const list = listSeg === "" || !LIST_NAME.test(listSeg)
    ? null
    : listSeg === "r"
    ? "all"
    : listSeg;
  const prefix = raw.slice(0, list === null ? k : listAt).join("/")
    .replace(/\/+$/, "");
  return {
    base: `${u.origin}${prefix}`,
    list,
    messageId,
    want,
  };
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/**
 * The public-inbox root to use: `--lore-url`, else `$KCROSS_LORE_URL`, else
 * {@link DEFAULT_LORE_URL}; checked to be http(s), trailing slash removed.
 *
 * @throws {UserError} not an http(s) URL
 */
export function loreBase(flag: string | undefined, env: EnvReader): string {
  const value = flag ?? env("KCROSS_LORE_URL") ?? DEFAULT_LORE_URL;
  let u: URL;
  try {
    u = new URL(value);
  } catch (error) {
    throw new UserError(`Not a public-inbox URL: "${value.slice(0, 200)}"`, {
      cause: error,
      hint: "--lore-url takes the archive's root, e.g. https://lore.kernel.org",
    });
  }
  if (u.protocol !== "https:" && u.protocol !== "http:") {
    throw new UserError(`Not an http(s) public-inbox URL: "${value}"`, {
      hint: "--lore-url takes the archive's root, e.g. https://lore.kernel.org",
    });
  }
  return `${u.origin}${u.pathname.replace(/\/+$/, "")}`;
}

/**
 * The URL of a message's raw text or its thread mbox.
 *
 * @example
 * ```ts
 * import { messageUrl } from "./lore_url.ts";
 * if (messageUrl("https://lore.kernel.org", "all", "a/b@c", "raw") !== "https://lore.kernel.org/all/a%2Fb@c/raw") throw new Error();
 * ```
 */
export function messageUrl(
  base: string,
  list: string,
  messageId: string,
  what: "raw" | "t.mbox.gz",
): string {
  return `${base}/${list}/${escapeMessageId(messageId)}/${what}`;
}
