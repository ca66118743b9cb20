/**
 * Downloads a `.config` from a URL (the robot's `…/config` links), plain or
 * gzip-compressed, time-limited and size-capped, redirects followed only
 * within http/https and never from https down to http: a URL comes from a
 * report, and a report is hostile input. Every URL here comes from input
 * (a report, a mail, a matrix file, a record, a command line), so no hop
 * may reach this machine or a private network unless the user allows it
 * (`KCROSS_ALLOW_PRIVATE_URLS=1`); the whole download has a deadline, so
 * a server that drips bytes cannot hold kcross forever.
 *
 * @module
 */
import { InfraError, InterruptedError, UserError } from "../errors.ts";
import type { EnvReader } from "../paths.ts";
import { fetchTimeoutMs } from "../util/fetch_timeout.ts";
import { fetchFollowingRedirects } from "../util/follow_redirects.ts";
import { concatBytes } from "../util/bytes.ts";
import {
  privateHostReason,
  type ResolveHost,
} from "../util/private_address.ts";

/**
 * The most a config may weigh, downloaded or decompressed (the 16 MB input
 * cap of reports; a real allyesconfig `.config` is about 300 KB).
 */
export const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Default time for the server to answer, and for each chunk of the body. */
export const CONFIG_TIMEOUT_MS = 30_000;

/** Least time a whole download may take, however slowly it flows. */
export const CONFIG_DEADLINE_MS = 300_000;

/** The variable that lets config URLs reach private addresses. */
export const ALLOW_PRIVATE_ENV = "KCROSS_ALLOW_PRIVATE_URLS";

const PRIVATE_HINT =
  `a config URL from a report, a matrix file or a record may not reach this machine or a private network; save the file and pass --config FILE, or set ${ALLOW_PRIVATE_ENV}=1 if you serve configs there yourself`;

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
  /**
   * Milliseconds for the whole download (default the larger of
   * {@link CONFIG_DEADLINE_MS} and four times `timeoutMs`).
   */
  deadlineMs?: number;
  /**
   * Let the URL and its redirects reach loopback and private addresses
   * (default: `KCROSS_ALLOW_PRIVATE_URLS=1` in the environment).
   */
  allowPrivate?: boolean;
  /** Environment reader (default `Deno.env.get`). */
  env?: EnvReader;
  /** How host names are resolved for the address check (default DNS). */
  resolveHost?: ResolveHost;
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
 * @throws {UserError} `url` itself reaches this machine or a private network
 * @throws {InfraError} a network error or refused connection, an HTTP error
 *   status, a timeout or the deadline, a body or decompressed text over the
 *   cap, corrupt gzip, a redirect to a private address
 * @throws {InterruptedError} when `signal` is aborted
 */
export async function fetchConfig(
  url: string,
  options: FetchConfigOptions = {},
): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  const env = options.env ?? ((n: string) => Deno.env.get(n));
  const timeoutMs = options.timeoutMs ??
    fetchTimeoutMs(env, CONFIG_TIMEOUT_MS);
  const deadlineMs = options.deadlineMs ??
    Math.max(CONFIG_DEADLINE_MS, 4 * timeoutMs);
  const allowPrivate = options.allowPrivate ?? env(ALLOW_PRIVATE_ENV) === "1";
  const maxBytes = options.maxBytes ?? MAX_CONFIG_BYTES;
  const what = options.what ?? "config";
  const control = new AbortController();
  const onAbort = () => control.abort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  let timedOut = false;
  let pastDeadline = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = setTimeout(() => {
    pastDeadline = true;
    control.abort();
  }, deadlineMs);
  const late = () =>
    pastDeadline
      ? `not done in ${deadlineMs / 1000} s (a server sending very slowly)`
      : null;
  const checkUrl = async (u: URL, hop: number) => {
    const why = await privateHostReason(u, {
      ...(options.resolveHost ? { resolve: options.resolveHost } : {}),
      signal: control.signal,
    });
    if (why === null) return;
    if (hop === 0) {
      throw new UserError(`Refusing to fetch ${what} "${url}": ${why}`, {
        hint: PRIVATE_HINT,
      });
    }
    throw new InfraError(
      `Refusing a redirect of ${what} "${url}" to "${
        u.href.slice(0, 200)
      }": ${why}`,
      { hint: PRIVATE_HINT },
    );
  };
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
        ...(allowPrivate ? {} : { checkUrl }),
      }));
    } catch (error) {
      if (error instanceof InfraError || error instanceof UserError) {
        throw error;
      }
      throw fail(
        late() ??
          (timedOut ? `no answer in ${timeoutMs / 1000} s` : reasonOf(error)),
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
        late() ??
          (timedOut
            ? `the body stalled for ${timeoutMs / 1000} s`
            : reasonOf(error)),
        error,
      );
    }
    return await decodeConfigBody(concatBytes(parts, total), url, { maxBytes });
  } finally {
    clearTimeout(timer);
    clearTimeout(deadline);
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
