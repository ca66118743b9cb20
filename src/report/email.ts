/**
 * E-mail handling for report input: a whole `.eml` or mbox message (headers,
 * multipart MIME, quoted-printable/base64) becomes the report body plus the
 * robot's attachments (`reproduce`, `config` / `.config.gz`).
 *
 * @module
 */
import { gunzipSync } from "node:zlib";
import { UserError } from "../errors.ts";
import type { ReportAttachments } from "./types.ts";

/**
 * Most bytes a compressed attachment may decompress to: the report input
 * cap (16 MB). A 400 KB gzip of zeros is 400 MB; zlib stops at the cap
 * instead of allocating it.
 */
export const MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024;

/**
 * Decompresses a gzip attachment, at most `MAX_ATTACHMENT_BYTES`.
 *
 * @returns the bytes, or null when they are not valid gzip
 * @throws {UserError} when they decompress to more than the cap
 */
function gunzipCapped(bytes: Uint8Array, name: string): Uint8Array | null {
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_ATTACHMENT_BYTES });
  } catch (error) {
    if (
      error instanceof RangeError ||
      (error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE"
    ) {
      throw new UserError(
        `The attachment "${name.slice(0, 100)}" decompresses to more than ${
          MAX_ATTACHMENT_BYTES / 1048576
        } MB`,
        {
          hint:
            "a kernel .config is well under 1 MB; pass the config yourself with --config FILE",
        },
      );
    }
    return null;
  }
}

/** The report e-mail taken apart. */
export interface EmailContent {
  /** The text/plain body (the whole input when it had no headers). */
  body: string;
  /** Whether the input was an e-mail with headers. */
  isEmail: boolean;
  /** Top-level headers, lower-case names (empty without headers). */
  headers: Record<string, string>;
  attachments: ReportAttachments;
}

interface Part {
  headers: Record<string, string>;
  body: string;
}

const EMAIL_HEADERS =
  /^(?:from|subject|message-id|content-type|mime-version|received|return-path|delivered-to|in-reply-to|references|x-[\w-]+|list-[\w-]+|dkim-signature|arc-[\w-]+|authentication-results|sender|reply-to)$/i;

/** Splits `text` at the first blank line into header lines and the rest. */
function splitHead(text: string): { head: string[]; body: string } | null {
  const blank = text.search(/\n\n/);
  const headText = blank < 0 ? text : text.slice(0, blank);
  const head = headText.split("\n");
  if (head.length > 2000) return null;
  return { head, body: blank < 0 ? "" : text.slice(blank + 2) };
}

/** Parses header lines (unfolding continuations), or null if they are not headers. */
function parseHeaders(
  head: readonly string[],
  requireKnown: boolean,
): Record<string, string> | null {
  const headers: Record<string, string> = {};
  let last: string | null = null;
  let known = false;
  for (const line of head) {
    if (line === "") continue;
    if (/^[ \t]/.test(line) && last !== null) {
      headers[last] += " " + line.trim();
      continue;
    }
    const m = /^([!-9;-~]+):[ \t]?(.*)$/.exec(line);
    if (!m) return null;
    const name = m[1]!.toLowerCase();
    if (EMAIL_HEADERS.test(name)) known = true;
    if (!(name in headers)) headers[name] = m[2]!.trim();
    last = name;
  }
  if (requireKnown && !known) return null;
  return headers;
}

/** A parameter (`boundary`, `charset`, `name`, `filename`) of a header value. */
export function headerParam(value: string, name: string): string | null {
  const re = new RegExp(`(?:^|;)\\s*${name}\\*?=\\s*("([^"]*)"|[^;\\s]*)`, "i");
  const m = re.exec(value);
  if (!m) return null;
  const v = m[2] ?? m[1]!;
  return v.replace(/^(?:utf-8|us-ascii)''/i, "");
}

function decodeQuotedPrintable(text: string): Uint8Array {
  const bytes: number[] = [];
  const src = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < src.length; i++) {
    const ch = src[i]!;
    if (ch === "=" && /^[0-9A-Fa-f]{2}$/.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = ch.charCodeAt(0);
      if (code < 0x80) bytes.push(code);
      else bytes.push(...new TextEncoder().encode(ch));
    }
  }
  return new Uint8Array(bytes);
}

function decodeBase64(text: string): Uint8Array {
  let clean = text.replace(/[^A-Za-z0-9+/]/g, "");
  // A lone trailing sextet carries no byte: drop it (atob refuses it).
  if (clean.length % 4 === 1) clean = clean.slice(0, -1);
  const bin = atob(clean + "=".repeat((4 - clean.length % 4) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function partBytes(part: Part): Uint8Array | null {
  const cte = (part.headers["content-transfer-encoding"] ?? "").toLowerCase()
    .trim();
  if (cte === "base64") return decodeBase64(part.body);
  if (cte === "quoted-printable") return decodeQuotedPrintable(part.body);
  return null;
}

function decodeText(bytes: Uint8Array, charset: string | null): string {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function partText(part: Part): string {
  const ct = part.headers["content-type"] ?? "";
  const bytes = partBytes(part);
  const text = bytes === null
    ? part.body
    : decodeText(bytes, headerParam(ct, "charset"));
  return /format=flowed/i.test(ct) ? unflow(text, /delsp=yes/i.test(ct)) : text;
}

/** RFC 3676 format=flowed: a line ending in a space continues on the next. */
function unflow(text: string, delsp: boolean): string {
  const out: string[] = [];
  let pending = "";
  for (const line of text.split("\n")) {
    if (line !== "-- " && line.endsWith(" ")) {
      pending += delsp ? line.slice(0, -1) : line;
      continue;
    }
    out.push(pending + line);
    pending = "";
  }
  if (pending !== "") out.push(pending);
  return out.join("\n");
}

/** Leaf parts of a (possibly multipart) entity, depth-limited. */
function leaves(part: Part, depth: number, out: Part[]): void {
  const ct = part.headers["content-type"] ?? "text/plain";
  const boundary = headerParam(ct, "boundary");
  if (!/^multipart\//i.test(ct) || !boundary || depth > 8) {
    out.push(part);
    return;
  }
  const delimiter = `--${boundary}`;
  const chunks: string[] = [];
  let current: string[] | null = null;
  for (const line of part.body.split("\n")) {
    if (line.trimEnd() === delimiter || line.trimEnd() === `${delimiter}--`) {
      if (current) chunks.push(current.join("\n"));
      current = line.trimEnd() === delimiter ? [] : null;
      if (current === null) break;
      continue;
    }
    current?.push(line);
  }
  if (current) chunks.push(current.join("\n"));
  for (const chunk of chunks) {
    const split = splitHead(chunk);
    if (!split) continue;
    const headers = chunk.startsWith("\n")
      ? {}
      : parseHeaders(split.head, false) ?? {};
    const body = chunk.startsWith("\n") ? chunk.slice(1) : split.body;
    leaves({ headers, body }, depth + 1, out);
  }
}

function fileName(part: Part): string | null {
  return headerParam(part.headers["content-disposition"] ?? "", "filename") ??
    headerParam(part.headers["content-type"] ?? "", "name");
}

function attachmentOf(
  part: Part,
  have: ReportAttachments,
): { kind: "reproduce" | "config"; text: string } | null {
  const name = fileName(part);
  if (name === null) return null;
  const base = name.replace(/^.*\//, "").toLowerCase();
  if (/^reproduce/.test(base)) {
    return { kind: "reproduce", text: have.reproduce ?? partText(part) };
  }
  if (!/^\.?config(?:\.gz)?$|^config[-.]/.test(base)) return null;
  // Only the first config counts: later ones are not decoded at all.
  if (have.config !== undefined) return { kind: "config", text: have.config };
  const bytes = partBytes(part) ?? new TextEncoder().encode(part.body);
  const gz = bytes[0] === 0x1f && bytes[1] === 0x8b;
  const raw = gz ? gunzipCapped(bytes, name) : bytes;
  return raw === null
    ? null
    : { kind: "config", text: new TextDecoder().decode(raw) };
}

/** Whether text is an HTML page (a saved web-archive page). */
function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!DOCTYPE html|<html|<head|<body|<pre)/i.test(
    text.slice(0, 512),
  );
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/**
 * The text of an HTML page: the `<pre>` blocks when there are any (lore and
 * hyperkitty put the mail there), else the page with tags removed; entities
 * decoded.
 *
 * @example
 * ```ts
 * import { htmlToText } from "./email.ts";
 * const t = htmlToText("<html><pre>tree: a\n&gt;&gt; x.c:1:2: error: &#39;y&#39;</pre></html>");
 * if (t !== "tree: a\n>> x.c:1:2: error: 'y'") throw new Error(t);
 * ```
 */
export function htmlToText(html: string): string {
  const pres: string[] = [];
  // indexOf, not a lazy regex: an unclosed <pre> must not rescan the page
  const lower = html.toLowerCase();
  for (let at = lower.indexOf("<pre"); at >= 0;) {
    const open = lower.indexOf(">", at);
    const close = open < 0 ? -1 : lower.indexOf("</pre>", open);
    if (close < 0) break;
    pres.push(html.slice(open + 1, close));
    at = lower.indexOf("<pre", close);
  }
  const source = pres.length > 0
    ? pres.join("\n")
    : html.replace(/<(?:br|\/p|\/div|\/tr|\/li)\b[^>]*>/gi, "\n");
  return source.replace(/<[^<>]*>/g, "").replace(
    /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi,
    (whole, name: string) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X"
          ? parseInt(name.slice(2), 16)
          : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code < 0x110000
          ? String.fromCodePoint(code)
          : whole;
      }
      return ENTITIES[name.toLowerCase()] ?? whole;
    },
  );
}

/** The first message of an mbox that looks like a robot report. */
function firstMessage(text: string): string {
  if (!text.startsWith("From ")) return text;
  const messages = text.split(/\n(?=From \S+ .*\d{4}\s*\n)/);
  const head = (m: string) => m.slice(0, Math.max(0, m.indexOf("\n\n")));
  const pick =
    messages.find((m) =>
      /^From:.*(?:lkp@intel\.com|test robot)/im.test(head(m))
    ) ?? messages.find((m) => /prefixed by >>/.test(m)) ?? messages[0]!;
  return pick.slice(pick.indexOf("\n") + 1);
}

/**
 * Takes an e-mail apart; plain bodies come back unchanged.
 *
 * @param input the whole input, `\r\n` already normalised to `\n`
 * @returns body, headers and attachments
 * @throws {UserError} a compressed attachment larger than `MAX_ATTACHMENT_BYTES`
 *
 * @example
 * ```ts
 * import { extractEmail } from "./email.ts";
 * const e = extractEmail("From: lkp@intel.com\nContent-Transfer-Encoding: quoted-printable\n\ntree:   a=3Db\n");
 * if (!e.isEmail || e.body !== "tree:   a=b\n") throw new Error(JSON.stringify(e));
 * ```
 */
export function extractEmail(input: string): EmailContent {
  const text = firstMessage(input);
  const split = splitHead(text);
  const headers = split ? parseHeaders(split.head, true) : null;
  if (!split || !headers) {
    const body = looksLikeHtml(input) ? htmlToText(input) : input;
    return { body, isEmail: false, headers: {}, attachments: {} };
  }
  const parts: Part[] = [];
  leaves({ headers, body: split.body }, 0, parts);
  const attachments: ReportAttachments = {};
  let body: string | null = null;
  let html: string | null = null;
  for (const part of parts) {
    const att = attachmentOf(part, attachments);
    if (att) {
      attachments[att.kind] ??= att.text;
      continue;
    }
    const ct = (part.headers["content-type"] ?? "text/plain").toLowerCase();
    const disposition = part.headers["content-disposition"] ?? "";
    if (
      body === null && ct.startsWith("text/plain") &&
      !/^attachment/i.test(disposition)
    ) {
      body = partText(part);
    }
    if (html === null && ct.startsWith("text/html")) html = partText(part);
  }
  body ??= html === null ? "" : htmlToText(html);
  return { body, isEmail: true, headers, attachments };
}
