/**
 * `KCROSS_FETCH_TIMEOUT`: the one reader of the network deadline every
 * download uses (toolchains, listings, checksums, configs, lore).
 *
 * @module
 */
import { UserError } from "../errors.ts";

/**
 * The deadline `KCROSS_FETCH_TIMEOUT` sets, in milliseconds, or
 * `fallbackMs` when it is unset or empty.
 *
 * @param env environment reader
 * @param fallbackMs the caller's default
 * @returns milliseconds
 * @throws {UserError} when the value is not a whole number of seconds from
 *   1 to 86400 (`0`, `-1`, `abc`, `1.5`)
 * @example
 * ```ts
 * import { fetchTimeoutMs } from "./fetch_timeout.ts";
 * if (fetchTimeoutMs(() => "5", 30_000) !== 5000) throw new Error();
 * if (fetchTimeoutMs(() => undefined, 30_000) !== 30_000) throw new Error();
 * let refused = false;
 * try { fetchTimeoutMs(() => "0", 1); } catch { refused = true; }
 * if (!refused) throw new Error();
 * ```
 */
export function fetchTimeoutMs(
  env: (name: string) => string | undefined,
  fallbackMs: number,
): number {
  const v = env("KCROSS_FETCH_TIMEOUT");
  if (v === undefined || v === "") return fallbackMs;
  const seconds = /^[0-9]{1,5}$/.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!(seconds >= 1 && seconds <= 86_400)) {
    throw new UserError(
      `KCROSS_FETCH_TIMEOUT must be a whole number of seconds from 1 to 86400, not ${
        JSON.stringify(v.slice(0, 40))
      }`,
      { hint: "unset it, or set e.g. KCROSS_FETCH_TIMEOUT=120" },
    );
  }
  return seconds * 1000;
}
