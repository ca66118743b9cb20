/**
 * One capped HTTP GET for hostile servers: http/https only (never a
 * downgrade from https), a bounded number of redirects, one deadline for
 * headers and body, a byte cap on the body, and a capped gunzip.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import type { EnvReader } from "../paths.ts";
import { fetchTimeoutMs as readFetchTimeout } from "../util/fetch_timeout.ts";
import { fetchFollowingRedirects } from "../util/follow_redirects.ts";
import { concatBytes } from "../util/bytes.ts";

/** Options for {@link httpGet}. */
export interface HttpGetOptions {
  /** Largest body accepted, in bytes. */
  maxBytes: number;
  /** What is fetched, for messages (`report`, `reproduce script`). */
  what: string;
  /** Deadline for the whole request, body included (default 60 s). */
  timeoutMs?: number;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  signal?: AbortSignal;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/** What came back: the final URL, the status, and the body of a 2xx answer. */
export interface HttpResult {
  url: string;
  status: number;
  /** The body of a 2xx answer, null otherwise. */
  body: Uint8Array | null;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * The request deadline: `$KCROSS_FETCH_TIMEOUT` seconds, else 60 s.
 *
 * @throws {UserError} when the variable is not a positive whole number
 */
export function fetchTimeoutMs(env: EnvReader): number {
  return readFetchTimeout(env, DEFAULT_TIMEOUT_MS);
}

function mb(n: number): string {
  return `${(n / 1048576).toFixed(n < 1048576 ? 2 : 0)} MB`;
}

async function readCapped(
  response: Response,
  url: string,
  options: HttpGetOptions,
): Promise<Uint8Array> {
  const declared = Number(response.headers.get("content-length") ?? "");
  const tooBig = () =>
    new InfraError(
      `The ${options.what} at "${url}" is larger than the ${
        mb(options.maxBytes)
      } cap`,
      {
        hint:
          "the server may not be a public-inbox / 0-day archive; check the URL",
      },
    );
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > options.maxBytes) {
        await reader.cancel();
        throw tooBig();
      }
      chunks.push(value);
    }
  }
  return concatBytes(chunks, size);
}

/**
 * GETs `url` under the caps.
 *
 * @param url an http(s) URL
 * @param options caps, deadline, signal, fetch
 * @returns the final URL, the status and, for a 2xx answer, the body
 * @throws {InfraError} network failure, deadline passed, too many or bad
 *   redirects, body over the cap
 */
export async function httpGet(
  url: string,
  options: HttpGetOptions,
): Promise<HttpResult> {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = AbortSignal.timeout(timeoutMs);
  const signal = options.signal
    ? AbortSignal.any([options.signal, deadline])
    : deadline;
  try {
    const { url: current, response } = await fetchFollowingRedirects(url, {
      what: options.what,
      ...(options.maxRedirects === undefined
        ? {}
        : { maxRedirects: options.maxRedirects }),
      signal,
      fetch: doFetch,
      headers: { "user-agent": "kcross" },
    });
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      return { url: current, status: response.status, body: null };
    }
    const body = await readCapped(response, current, options);
    return { url: current, status: response.status, body };
  } catch (error) {
    if (options.signal?.aborted) throw error;
    if (error instanceof InfraError || error instanceof UserError) throw error;
    if (deadline.aborted) {
      throw new InfraError(
        `Fetching the ${options.what} "${url}" timed out after ${
          timeoutMs / 1000
        } s`,
        {
          cause: error,
          hint: "retry, or raise KCROSS_FETCH_TIMEOUT (seconds)",
        },
      );
    }
    throw new InfraError(`Cannot fetch the ${options.what} "${url}"`, {
      cause: error,
      hint: "check the URL and the network, then retry",
    });
  }
}

/**
 * Gunzips `bytes`, refusing output larger than `maxBytes` (a gzip bomb).
 *
 * @throws {InfraError} corrupt gzip data, or output over the cap
 *
 * @example
 * ```ts
 * import { gzipSync } from "node:zlib";
 * import { gunzipCapped } from "./http_get.ts";
 * const gz = new Uint8Array(gzipSync(new TextEncoder().encode("hello")));
 * if (new TextDecoder().decode(await gunzipCapped(gz, 100, "mbox")) !== "hello") throw new Error();
 * ```
 */
export async function gunzipCapped(
  bytes: Uint8Array,
  maxBytes: number,
  what: string,
): Promise<Uint8Array> {
  const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(
    new DecompressionStream("gzip"),
  );
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > maxBytes) {
        await reader.cancel();
        throw new InfraError(
          `The ${what} unpacks to more than the ${mb(maxBytes)} cap`,
          { hint: "the server sent something that is not a mail archive" },
        );
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof InfraError) throw error;
    throw new InfraError(`The ${what} is not valid gzip data`, {
      cause: error,
      hint: "the download may be truncated; retry",
    });
  }
  return concatBytes(chunks, size);
}
