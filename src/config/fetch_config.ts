/**
 * Downloads a `.config` from a URL (the robot's `…/config` links), plain or
 * gzip-compressed, time-limited and size-capped, redirects followed only
 * within http/https and never from https down to http: a URL comes from a
 * report, and a report is hostile input.
 *
 * @module
 */
import { InfraError, InterruptedError } from "../errors.ts";
import { fetchTimeoutMs } from "../util/fetch_timeout.ts";
import { fetchFollowingRedirects } from "../util/follow_redirects.ts";
import { concatBytes } from "../util/bytes.ts";

/**
 * The most a config may weigh, downloaded or decompressed (the 16 MB input
 * cap of reports; a real allyesconfig `.config` is about 300 KB).
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Default time for the server to answer, and for each chunk of the body. */
export const CONFIG_TIMEOUT_MS = 30_000;

/** Options for `fetchConfig`. */
export interface FetchConfigOptions {
  signal?: AbortSignal;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  /** Milliseconds for the headers and for each body chunk (default 30 s, or KCROSS_FETCH_TIMEOUT seconds). */
  timeoutMs?: number;
  /** Byte cap on the body and on its decompressed text (default 16 MB). */
  maxBytes?: number;
  /** What is fetched, for messages (default `config`). */
  what?: string;
}

/** Why a network error happened, in a few words (`connection refused`…). */
function reasonOf(error: unknown): string {
  // fetch says "fetch failed"; the why is down its cause chain
  const texts: string[] = [];
  for (let e: unknown = error, i = 0; e !== undefined && i < 5; i++) {
    texts.push(String((e as { message?: unknown })?.message ?? e));
    e = (e as { cause?: unknown })?.cause;
  }
  const text = texts.join(": ");
  if (/refused/i.test(text)) return "connection refused";
  if (/dns|lookup|name or service|resolve/i.test(text)) {
    return "host not found";
  }
  if (/certificate|tls|ssl/i.test(text)) return "TLS error";
  return text.split("\n")[0]!.slice(0, 200);
}

/**
 * Fetches `url` and returns the `.config` text, gunzipped when the body is
 * gzip data (by its magic bytes, whatever the name says).
 *
 * @throws {InfraError} a network error or refused connection, an HTTP error
 *   status, a timeout, a body or decompressed text over the cap, corrupt gzip
 * @throws {InterruptedError} when `signal` is aborted
 */
export async function fetchConfig(
  url: string,
  options: FetchConfigOptions = {},
): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ??
    fetchTimeoutMs((n) => Deno.env.get(n), CONFIG_TIMEOUT_MS);
  const maxBytes = options.maxBytes ?? MAX_CONFIG_BYTES;
  const what = options.what ?? "config";
  const control = new AbortController();
  const onAbort = () => control.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      control.abort();
    }, timeoutMs);
  };
  const fail = (why: string, error?: unknown, hint?: string) => {
    if (options.signal?.aborted) {
      return new InterruptedError("Interrupted", { cause: error });
    }
    return new InfraError(`Cannot fetch ${what} "${url}": ${why}`, {
      cause: error,
      hint: hint ?? "check the URL and the network, then retry",
    });
  };
  try {
    arm();
    let response: Response;
    try {
      ({ response } = await fetchFollowingRedirects(url, {
        what,
        signal: control.signal,
        fetch: doFetch,
      }));
    } catch (error) {
      if (error instanceof InfraError) throw error;
      throw fail(
        timedOut ? `no answer in ${timeoutMs / 1000} s` : reasonOf(error),
        error,
      );
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw fail(
        `HTTP ${response.status}`,
        undefined,
        what !== "config"
          ? "check the URL (links are case sensitive), then retry"
          : response.status === 404
          ? "the robot's archive drops old reports' files; save the config from the mail's attachment and pass --config FILE"
          : "retry later; the robot's archive links are case sensitive",
      );
    }
    const declared = Number(response.headers.get("content-length") ?? "NaN");
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw fail(`${declared} bytes, over the ${maxBytes}-byte cap`);
    }
    const parts: Uint8Array[] = [];
    let total = 0;
    try {
      for await (const chunk of response.body ?? new ReadableStream()) {
        arm();
        total += chunk.length;
        if (total > maxBytes) {
          control.abort();
          throw new RangeError("cap");
        }
        parts.push(chunk);
      }
    } catch (error) {
      if (error instanceof RangeError) {
        throw fail(`over the ${maxBytes}-byte cap`);
      }
      throw fail(
        timedOut
          ? `the body stalled for ${timeoutMs / 1000} s`
          : reasonOf(error),
        error,
      );
    }
    return await decodeConfigBody(concatBytes(parts, total), url, { maxBytes });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * Decodes a downloaded config body: gunzips gzip data (stopping at the cap,
 * so a small bomb cannot fill memory), else UTF-8.
 *
 * @throws {InfraError} when gzip data is corrupt or decompresses past the cap
 *
 * @example
 * ```ts
 * import { gzipSync } from "node:zlib";
 * import { decodeConfigBody } from "./fetch_config.ts";
 * const gz = gzipSync(new TextEncoder().encode("CONFIG_A=y\n"));
 * if (await decodeConfigBody(new Uint8Array(gz), "x.gz") !== "CONFIG_A=y\n") throw new Error();
 * ```
 */
export async function decodeConfigBody(
  body: Uint8Array,
  url: string,
  options: { maxBytes?: number } = {},
): Promise<string> {
  const maxBytes = options.maxBytes ?? MAX_CONFIG_BYTES;
  if (body[0] !== 0x1f || body[1] !== 0x8b) {
    return new TextDecoder().decode(body);
  }
  const stream = new Blob([new Uint8Array(body)]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    while (true) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new InfraError(
          `Config from "${url}" decompresses to over ${maxBytes} bytes`,
          { hint: "this is not a kernel config; check the URL" },
        );
      }
      parts.push(value);
    }
  } catch (error) {
    if (error instanceof InfraError) throw error;
    throw new InfraError(`Corrupt gzip config from "${url}"`, {
      cause: error,
      hint: "the download may be truncated; retry",
    });
  }
  return new TextDecoder().decode(concatBytes(parts, total));
}
