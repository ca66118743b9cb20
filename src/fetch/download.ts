/**
 * Streaming download with `fetch`: sha256 while streaming, the bytes teed to a
 * resumable `.part` file and to a sink (tar), HTTP Range resume after a drop
 * or a killed process, timeouts, retries.
 *
 * Proxies: Deno's `fetch` honours `HTTP_PROXY`, `HTTPS_PROXY` and `NO_PROXY`
 * (and their lower-case forms) by itself.
 *
 * @module
 */
import type { Hash } from "node:crypto";
import { InfraError } from "../errors.ts";
import { fetchTimeoutMs } from "../util/fetch_timeout.ts";
import { fetchFollowingRedirects } from "../util/follow_redirects.ts";
import { formatBytes } from "./progress.ts";
import { readerInto } from "../util/read_into.ts";
import {
  discardPart,
  type PartMeta,
  partSize,
  partTail,
  readPartMeta,
  replayPart,
  writeAllSync,
} from "./_part_file.ts";
import { sha256Stream } from "../util/sha256_file.ts";

/** Where streamed bytes go besides the `.part` file. */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}

/** The server said 404 (the file is not on this mirror). */
export class NotFoundError extends InfraError {}

/** Writing to the sink failed (tar died): not a network problem. */
export class SinkError extends InfraError {}

/** Knobs of a download. */
export interface DownloadOptions {
  signal?: AbortSignal;
  /** Time allowed until response headers arrive. */
  headersTimeoutMs?: number;
  /** Time allowed without a single body byte. */
  idleTimeoutMs?: number;
  /** Retries (with Range resume) after drops, timeouts and 5xx. */
  retries?: number;
  onProgress?: (received: number, total: number | undefined) => void;
  fetchImpl?: typeof fetch;
  /** Largest archive accepted, in bytes (default `MAX_ARCHIVE_BYTES`). */
  maxBytes?: number;
}

/**
 * The size cap of a toolchain archive: kernel.org's largest (LLVM for
 * x86_64) are well under 1 GiB, so a mirror streaming more is refused
 * before it fills the disk.
 */
export const MAX_ARCHIVE_BYTES = 4 * 1024 * 1024 * 1024;

/** The mirror sent (or announced) more than the cap. */
export class TooLargeError extends InfraError {}

/** Result of a completed download. */
export interface DownloadResult {
  sha256: string;
  bytes: number;
  /** Bytes reused from an earlier partial download. */
  resumedFrom: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const SINK_BATCH = 256 * 1024;

function timeoutFromEnv(): number {
  return fetchTimeoutMs((n) => Deno.env.get(n), DEFAULT_TIMEOUT_MS);
}

function diskError(error: unknown, path: string): InfraError | undefined {
  const msg = String(error);
  if (/No space left|ENOSPC|quota/i.test(msg)) {
    return new InfraError(`Disk full while writing "${path}"`, {
      cause: error,
      hint:
        "free some space (kcross cache gc) or set KCROSS_CACHE_DIR elsewhere",
    });
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new InfraError(`Cannot write "${path}": permission denied`, {
      cause: error,
      hint: "make the cache writable or set KCROSS_CACHE_DIR",
    });
  }
  return undefined;
}

/**
 * Downloads `url`, resuming `part` when it holds a prefix of the same URL.
 * `openSink` is called whenever the stream (re)starts from byte 0 and must
 * return a fresh sink; bytes already in `part` are replayed into it.
 *
 * @throws {NotFoundError} on 404
 * @throws {SinkError} when the sink fails
 * @throws {InfraError} on network failure after retries, disk full
 */
export async function streamDownload(
  url: string,
  part: string,
  openSink: () => Promise<ByteSink>,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const doFetch = options.fetchImpl ?? fetch;
  const envTimeout = timeoutFromEnv();
  const headersTimeout = options.headersTimeoutMs ?? envTimeout;
  const idleTimeout = options.idleTimeoutMs ?? envTimeout;
  const retries = options.retries ?? 3;
  const maxBytes = options.maxBytes ?? MAX_ARCHIVE_BYTES;
  const tooLarge = (what: string) => {
    discardPart(part);
    return new TooLargeError(
      `Refused ${url}: ${what}, over the ${
        formatBytes(maxBytes)
      } cap of a toolchain archive; nothing was installed`,
      {
        hint:
          "the mirror serves something that is not a toolchain archive; use another mirror (--mirror URL)",
      },
    );
  };
  Deno.mkdirSync(part.slice(0, part.lastIndexOf("/")), { recursive: true });

  const meta = readPartMeta(part);
  let offset = meta?.url === url ? partSize(part) : 0;
  if (offset === 0) discardPart(part);
  const resumedFrom = offset;
  let sink: ByteSink | undefined;
  // Two buffers, reused for the whole download: the network reads into one
  // (each read goes to the .part file and the hash at once) while tar
  // consumes the other, so tar gets 256 KiB writes and no chunk is copied
  // or allocated per read.
  const ring = [new Uint8Array(SINK_BATCH), new Uint8Array(SINK_BATCH)];
  let slot = 0;
  let fill = 0;
  let hash: Hash | undefined;
  let lastError: unknown;

  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) {
      await sleep(Math.min(250 * 2 ** attempt, 4000), options.signal);
    }
    options.signal?.throwIfAborted();
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    options.signal?.addEventListener("abort", onAbort);
    let timer = setTimeout(
      () => controller.abort(new Error("timeout")),
      headersTimeout,
    );
    try {
      const headers: Record<string, string> = {};
      const m = readPartMeta(part);
      if (offset > 0) {
        headers["Range"] = `bytes=${offset}-`;
        if (m?.etag) headers["If-Range"] = m.etag;
      }
      let res: Response;
      try {
        ({ response: res } = await fetchFollowingRedirects(url, {
          what: "toolchain archive",
          // `toolchain import` hands a file: URL of the user's own archive.
          allowFileStart: true,
          fetch: doFetch,
          headers,
          signal: controller.signal,
        }));
      } catch (error) {
        // A redirect kcross does not follow: no retry makes it one.
        if (error instanceof InfraError) throw error;
        lastError = error;
        options.signal?.throwIfAborted();
        continue;
      }
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel();
        throw new NotFoundError(`Not found on the mirror: ${url}`);
      }
      if (res.status === 416) {
        await res.body?.cancel();
        discardPart(part);
        offset = 0;
        sink = undefined;
        fill = 0;
        lastError = new Error("HTTP 416");
        continue;
      }
      if (res.status !== 200 && res.status !== 206) {
        await res.body?.cancel();
        lastError = new Error(`HTTP ${res.status} ${res.statusText}`);
        if (res.status >= 400 && res.status < 500) break;
        continue;
      }
      const range = res.headers.get("content-range");
      const resumed = res.status === 206 && offset > 0 &&
        range !== null && new RegExp(`^bytes ${offset}-`).test(range);
      if (!resumed) {
        discardPart(part);
        offset = 0;
        sink = undefined;
        fill = 0;
      }
      if (!sink) {
        sink = await openSink();
        hash = await sha256Stream();
        if (offset > 0) await replayPart(part, offset, sink, hash);
      }
      if (!resumed) {
        const pm: PartMeta = {
          url,
          etag: res.headers.get("etag"),
          lastModified: res.headers.get("last-modified"),
        };
        Deno.writeTextFileSync(`${part}.json`, JSON.stringify(pm));
      }
      const length = Number(res.headers.get("content-length") ?? NaN);
      const total = Number.isFinite(length) ? offset + length : undefined;
      if (total !== undefined && total > maxBytes) {
        await res.body?.cancel();
        throw tooLarge(`it announces ${formatBytes(total)}`);
      }
      if (!res.body) throw new InfraError(`Empty response from ${url}`);
      const file = await Deno.open(part, { create: true, append: true });
      const reader = readerInto(res.body);
      // One buffer in flight to the sink while the next is read: the network
      // read overlaps tar's consumption; the .part write is a plain syscall.
      let pending: Promise<void> = Promise.resolve();
      const toSink = async (chunk: Uint8Array) => {
        try {
          await sink!.write(chunk);
        } catch (error) {
          throw new SinkError(`Extraction stopped while downloading ${url}`, {
            cause: error,
          });
        }
      };
      // Hands the filled part of the current buffer to the sink and moves to
      // the other one, whose own write is awaited first: reuse is safe.
      const flush = async () => {
        await pending;
        pending = toSink(ring[slot]!.subarray(0, fill));
        // Marked handled: if the loop leaves by another error first, this
        // rejection must not surface as an unhandled one.
        pending.catch(() => {});
        slot ^= 1;
        fill = 0;
      };
      try {
        for (;;) {
          clearTimeout(timer);
          timer = setTimeout(
            () => controller.abort(new Error("idle timeout")),
            idleTimeout,
          );
          let got;
          try {
            got = await reader.readInto(ring[slot]!, fill);
          } catch (error) {
            lastError = error;
            // A failed BYOB read has taken (detached) its buffer; the bytes
            // not yet handed to the sink are the tail of the .part file.
            if (ring[slot]!.byteLength === 0) {
              ring[slot] = await partTail(part, offset, fill, SINK_BATCH);
            }
            break;
          }
          ring[slot] = got.buf;
          if (got.n === 0) {
            if (fill > 0) await flush();
            await pending;
            if (total !== undefined && offset < total) {
              lastError = new Error(
                `connection closed at ${offset} of ${total} bytes`,
              );
              break;
            }
            return { sha256: hash!.digest("hex"), bytes: offset, resumedFrom };
          }
          const bytes = got.buf.subarray(fill, fill + got.n);
          try {
            writeAllSync(file, bytes);
          } catch (error) {
            throw diskError(error, part) ?? error;
          }
          hash!.update(bytes);
          fill += got.n;
          if (fill === SINK_BATCH) await flush();
          offset += got.n;
          if (offset > maxBytes) {
            throw tooLarge(`it sent more than ${formatBytes(maxBytes)}`);
          }
          options.onProgress?.(offset, total);
        }
        await pending;
      } finally {
        file.close();
        reader.release();
      }
      options.signal?.throwIfAborted();
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }
  // Only bytes actually kept are worth a word about resuming: a server
  // error before any body leaves nothing behind.
  const kept = partSize(part);
  const status = /^HTTP (\d{3})/.exec(describe(lastError))?.[1];
  throw new InfraError(`Download failed: ${url}: ${describe(lastError)}`, {
    cause: lastError,
    hint: status && Number(status) >= 500
      ? "the mirror is failing; retry later or use another mirror (--mirror URL, KCROSS_MIRROR)"
      : `check the network or the mirror (--mirror URL, KCROSS_MIRROR), then rerun${
        kept > 0
          ? `; the ${kept}-byte partial download is kept and resumed`
          : ""
      }`,
  });
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error
      ? `: ${error.cause.message}`
      : "";
    const text = `${error.message}${cause}`;
    // reqwest-style chains repeat the URL; keep the informative tail short.
    const dns = /dns error[^)]*|Connection refused|timed out|timeout/i.exec(
      text,
    );
    return dns && text.length > 160 ? dns[0] : text.slice(0, 300);
  }
  return String(error ?? "unknown error");
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(t);
      reject(signal.reason);
    }, { once: true });
  });
}
