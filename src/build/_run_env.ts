/**
 * make's environment: the caller's, minus locale and unset variables, plus
 * the pinned reproducibility variables, plus the plan's own.
 *
 * @module
 */

/** Variables kcross pins so two builds of one tree print and embed the same. */
export function pinnedEnv(timestamp: string): Record<string, string> {
  return {
    LANG: "C",
    LC_ALL: "C",
    KBUILD_BUILD_TIMESTAMP: timestamp,
    KBUILD_BUILD_USER: "kcross",
    KBUILD_BUILD_HOST: "kcross",
  };
}

/**
 * The full environment for make, and the delta over `base` to record.
 *
 * @param base the caller's environment
 * @param pinned from `pinnedEnv`
 * @param plan the plan's env (wins over pinned) and variables to remove
 *
 * @example
 * ```ts
 * import { makeEnvironment } from "./_run_env.ts";
 * const r = makeEnvironment({ PATH: "/bin", LC_MESSAGES: "de_DE", X: "1" }, { LANG: "C" },
 *   { env: { ARCH: "powerpc" }, envUnset: ["X"] });
 * if (r.env.LC_MESSAGES !== undefined || r.env.X !== undefined || r.env.ARCH !== "powerpc") throw new Error();
 * if (r.delta.LANG !== "C" || r.unset.join() !== "LC_MESSAGES,X") throw new Error(r.unset.join());
 * ```
 */
export function makeEnvironment(
  base: Record<string, string>,
  pinned: Record<string, string>,
  plan: { env: Record<string, string>; envUnset: string[] },
): {
  env: Record<string, string>;
  delta: Record<string, string>;
  unset: string[];
} {
  const env: Record<string, string> = {};
  const unset: string[] = [];
  for (const [k, v] of Object.entries(base)) {
    if ((k.startsWith("LC_") && k !== "LC_ALL") || plan.envUnset.includes(k)) {
      unset.push(k);
      continue;
    }
    env[k] = v;
  }
  const delta = { ...pinned, ...plan.env };
  Object.assign(env, delta);
  for (const k of plan.envUnset) {
    if (!(k in plan.env)) delete env[k];
  }
  return {
    env,
    delta,
    unset: [...new Set([...unset, ...plan.envUnset])].sort(),
  };
}
