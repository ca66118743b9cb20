/**
 * Where kcross keeps its state: XDG directories, overridable for tests.
 *
 * @module
 */

/** Environment reader, so tests can pass their own. */
export type EnvReader = (name: string) => string | undefined;

const realEnv: EnvReader = (name) => Deno.env.get(name);

function home(env: EnvReader): string {
  return env("HOME") ?? "/root";
}

/**
 * Cache root (toolchains, ccache, downloads): `$KCROSS_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/kcross`, else `~/.cache/kcross`.
 *
 * @example
 * ```ts
 * import { cacheDir } from "./paths.ts";
 * const env = (n: string) => ({ HOME: "/h" } as Record<string, string>)[n];
 * if (cacheDir(env) !== "/h/.cache/kcross") throw new Error();
 * ```
 */
export function cacheDir(env: EnvReader = realEnv): string {
  return env("KCROSS_CACHE_DIR") ??
    `${env("XDG_CACHE_HOME") ?? `${home(env)}/.cache`}/kcross`;
}

/**
 * State root (build records, worktrees, matrix runs, demo): `$KCROSS_STATE_DIR`,
 * else `$XDG_STATE_HOME/kcross`, else `~/.local/state/kcross`.
 *
 * @example
 * ```ts
 * import { stateDir } from "./paths.ts";
 * const env = (n: string) => ({ HOME: "/h", XDG_STATE_HOME: "/s" } as Record<string, string>)[n];
 * if (stateDir(env) !== "/s/kcross") throw new Error();
 * ```
 */
export function stateDir(env: EnvReader = realEnv): string {
  return env("KCROSS_STATE_DIR") ??
    `${env("XDG_STATE_HOME") ?? `${home(env)}/.local/state`}/kcross`;
}
