/**
 * Downloads a `.config` from a URL (the robot's `…/config` links), plain or
 * gzip-compressed.
 *
 * @module
 */
import { gunzipSync } from "node:zlib";
import { InfraError } from "../errors.ts";

/** Options for `fetchConfig`. */
export interface FetchConfigOptions {
  signal?: AbortSignal;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * Fetches `url` and returns the `.config` text, gunzipped when the body is
 * gzip data (by its magic bytes, whatever the name says).
 *
 * @throws {InfraError} on a network error, an HTTP error status or a corrupt gzip body
 */
export async function fetchConfig(
  url: string,
  options: FetchConfigOptions = {},
): Promise<string> {
  const doFetch = options.fetch ?? fetch;
  let response: Response;
  try {
    response = await doFetch(
      url,
      options.signal ? { signal: options.signal } : {},
    );
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new InfraError(`Cannot fetch config "${url}"`, {
      cause: error,
      hint: "check the URL and the network, then retry",
    });
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new InfraError(
      `Cannot fetch config "${url}": HTTP ${response.status}`,
      { hint: "check the URL; the robot's archive links are case sensitive" },
    );
  }
  const body = new Uint8Array(await response.arrayBuffer());
  return decodeConfigBody(body, url);
}

/**
 * Decodes a downloaded config body: gunzips gzip data, else UTF-8.
 *
 * @throws {InfraError} when gzip data is corrupt
 *
 * @example
 * ```ts
 * import { gzipSync } from "node:zlib";
 * import { decodeConfigBody } from "./fetch_config.ts";
 * const gz = gzipSync(new TextEncoder().encode("CONFIG_A=y\n"));
 * if (decodeConfigBody(new Uint8Array(gz), "x.gz") !== "CONFIG_A=y\n") throw new Error();
 * ```
 */
export function decodeConfigBody(body: Uint8Array, url: string): string {
  if (body[0] === 0x1f && body[1] === 0x8b) {
    try {
      return new TextDecoder().decode(gunzipSync(body));
    } catch (error) {
      throw new InfraError(`Corrupt gzip config from "${url}"`, {
        cause: error,
        hint: "the download may be truncated; retry",
      });
    }
  }
  return new TextDecoder().decode(body);
}
