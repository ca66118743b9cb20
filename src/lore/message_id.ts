/**
 * Message-IDs as a user types them (`<x@y>`, `x@y`, `id:x@y`) and as
 * public-inbox puts them in URLs, validated before they name a URL or a
 * cache directory: a Message-ID comes from a user or a hostile mail.
 *
 * @module
 */
import { sha256Hex } from "../util/digest.ts";
import { UserError } from "../errors.ts";

/** public-inbox's cap on a Message-ID (Xapian's term size less one). */
export const MAX_MESSAGE_ID = 244;

/** Characters public-inbox leaves unescaped in a URL path (RFC 3986 pchar). */
const URL_SAFE = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;

/**
 * Whether `text` reads as a Message-ID (not a file path or URL): `<…>`, an
 * `id:` prefix, or `left@right` without a slash before the `@`.
 *
 * @example
 * ```ts
 * import { looksLikeMessageId } from "./message_id.ts";
 * if (!looksLikeMessageId("<202201221146.IDixXFOw-lkp@intel.com>")) throw new Error();
 * if (!looksLikeMessageId("202201221146.IDixXFOw-lkp@intel.com")) throw new Error();
 * if (looksLikeMessageId("reports/a.eml") || looksLikeMessageId("https://x/y@z/")) throw new Error();
 * ```
 */
export function looksLikeMessageId(text: string): boolean {
  const t = text.trim();
  if (/^<[^<>]+>$/.test(t) || /^(?:id|mid|msgid|rfc822msgid):\S/.test(t)) {
    return true;
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(t)) return false;
  const at = t.indexOf("@");
  return at > 0 && at < t.length - 1 && !t.slice(0, at).includes("/") &&
    !/\s/.test(t);
}

/**
 * The bare Message-ID of what a user typed, validated.
 *
 * @param text `<x@y>`, `x@y`, `id:x@y` (surrounding space allowed)
 * @returns `x@y`
 * @throws {UserError} empty, too long, control characters, spaces, `<>`,
 *   quotes or backslashes inside, or no `@`
 *
 * @example
 * ```ts
 * import { normalizeMessageId } from "./message_id.ts";
 * if (normalizeMessageId(" <a.b-lkp@intel.com> ") !== "a.b-lkp@intel.com") throw new Error();
 * if (normalizeMessageId("id:x@y") !== "x@y") throw new Error();
 * ```
 */
export function normalizeMessageId(text: string): string {
  let t = text.trim().replace(/^(?:id|mid|msgid|rfc822msgid):/, "");
  if (t.startsWith("<") && t.endsWith(">")) t = t.slice(1, -1);
  const shown = JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}…` : t);
  const bad = (why: string) =>
    new UserError(`Not a Message-ID ${shown}: ${why}`, {
      hint:
        "pass the report's Message-ID, e.g. 202201221146.IDixXFOw-lkp@intel.com, or its lore URL",
    });
  if (t === "") throw bad("it is empty");
  if (t.length > MAX_MESSAGE_ID) {
    throw bad(`longer than ${MAX_MESSAGE_ID} characters`);
  }
  // printable ASCII only: no space, control character, <, >, " or \
  if (!/^[\x21-\x7e]+$/.test(t) || /[<>"\\]/.test(t)) {
    throw bad("it holds spaces, control characters, quotes or angle brackets");
  }
  const at = t.indexOf("@");
  if (at <= 0 || at === t.length - 1) throw bad('it has no "left@right" form');
  return t;
}

/**
 * A Message-ID escaped for a public-inbox URL path, as public-inbox itself
 * writes it (everything outside RFC 3986 `pchar` percent-encoded, `/`
 * included).
 *
 * @example
 * ```ts
 * import { escapeMessageId } from "./message_id.ts";
 * if (escapeMessageId("a/b%c@d") !== "a%2Fb%25c@d") throw new Error();
 * if (escapeMessageId("202201221146.IDixXFOw-lkp@intel.com") !== "202201221146.IDixXFOw-lkp@intel.com") throw new Error();
 * ```
 */
export function escapeMessageId(messageId: string): string {
  let out = "";
  for (const ch of messageId) {
    if (URL_SAFE.test(ch)) out += ch;
    else {
      for (const b of new TextEncoder().encode(ch)) {
        out += `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
      }
    }
  }
  return out;
}

/**
 * The cache directory name of a (validated) Message-ID: its URL escape,
 * which has no `/` and, holding an `@`, is never `.` or `..`; a digest when
 * that would be too long for a file name.
 *
 * @example
 * ```ts
 * import { cacheName } from "./message_id.ts";
 * if (cacheName("../x@y") !== "..%2Fx@y") throw new Error();
 * if (!cacheName("a".repeat(200) + "@b").startsWith("sha256-")) throw new Error();
 * ```
 */
export function cacheName(messageId: string): string {
  const name = escapeMessageId(normalizeMessageId(messageId));
  if (name.length <= 160) return name;
  return `sha256-${sha256Hex(messageId)}`;
}
