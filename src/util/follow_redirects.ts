/**
 * A GET that follows redirects itself, for URLs from hostile input (a
 * report's config link, a fragment URL, a lore archive): http and https
 * only at every hop, never from https down to http, at most a few hops.
 * Toolchain mirrors (`fetch/`: archives, listings, checksums, signatures)
 * go through it too.
 * `fetch`'s own `redirect: "follow"` takes an https link down to http.
 *
 * @module
 */
import { InfraError } from "../errors.ts";

/** Options for {@link fetchFollowingRedirects}. */
export interface FollowOptions {
  /** What is fetched, for messages (`config`, `report`). */
  what: string;
  /** Redirects followed (default 5). */
  maxRedirects?: number;
  signal?: AbortSignal;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
  headers?: Record<string, string>;
  /** `GET` (default) or `HEAD`, at every hop. */
  method?: "GET" | "HEAD";
  /**
   * Accept a `file:` URL as the first hop (one kcross made itself, as
   * `toolchain import` does); a redirect never leads to one.
   */
  allowFileStart?: boolean;
  /**
   * Called with every hop's URL before it is requested (hop 0 is `url`
   * itself); what it throws ends the walk. `fetchConfig` refuses private
   * addresses here.
   */
  checkUrl?: (url: URL, hop: number) => Promise<void>;
}

/**
 * GETs (or HEADs) `url`, following up to `maxRedirects` redirects under the rules.
 *
 * @returns the final URL and its response (any status but 3xx)
 * @throws {InfraError} a scheme other than http/https, https → http, a 3xx
 *   without Location, too many redirects; network errors propagate as
 *   `fetch` throws them
 * @example
 * ```ts
 * import { fetchFollowingRedirects } from "./follow_redirects.ts";
 * const fake = (u: string | URL | Request) =>
 *   Promise.resolve(String(u).startsWith("https://a/")
 *     ? new Response(null, { status: 302, headers: { location: "http://b/x" } })
 *     : new Response("ok"));
 * let threw = false;
 * try {
 *   await fetchFollowingRedirects("https://a/", { what: "config", fetch: fake as typeof fetch });
 * } catch { threw = true; }
 * if (!threw) throw new Error("https to http followed");
 * ```
 */
export async function fetchFollowingRedirects(
  url: string,
  options: FollowOptions,
): Promise<{ url: string; response: Response }> {
  const doFetch = options.fetch ?? fetch;
  const maxRedirects = options.maxRedirects ?? 5;
  let current = url;
  for (let hop = 0;; hop++) {
    const u = new URL(current);
    const fileStart = hop === 0 && options.allowFileStart === true &&
      u.protocol === "file:";
    if (!fileStart && u.protocol !== "https:" && u.protocol !== "http:") {
      throw new InfraError(
        `Refusing to fetch the ${options.what} from "${
          current.slice(0, 200)
        }": only http and https`,
        { hint: "the server redirected somewhere kcross does not follow" },
      );
    }
    if (!fileStart) await options.checkUrl?.(u, hop);
    const response = await doFetch(current, {
      redirect: "manual",
      ...(options.method ? { method: options.method } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.headers ? { headers: options.headers } : {}),
    });
    if (response.status < 300 || response.status >= 400) {
      return { url: current, response };
    }
    const location = response.headers.get("location");
    await response.body?.cancel().catch(() => {});
    if (location === null) {
      throw new InfraError(
        `The server answered "${
          current.slice(0, 200)
        }" with HTTP ${response.status} and no Location`,
      );
    }
    if (hop >= maxRedirects) {
      throw new InfraError(
        `Too many redirects fetching the ${options.what} "${
          url.slice(0, 200)
        }" (more than ${maxRedirects})`,
        { hint: "check the URL; the server may be misconfigured" },
      );
    }
    let next: URL;
    try {
      next = new URL(location, current);
    } catch {
      throw new InfraError(
        `The server answered "${
          current.slice(0, 200)
        }" with HTTP ${response.status} and a bad Location: ${
          JSON.stringify(location.slice(0, 200))
        }`,
      );
    }
    if (u.protocol === "https:" && next.protocol === "http:") {
      throw new InfraError(
        `Refusing a redirect from https to http for the ${options.what}: "${
          next.href.slice(0, 200)
        }"`,
      );
    }
    current = next.href;
  }
}
