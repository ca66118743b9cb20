/**
 * What the 0-day robot does to a config it generates itself, as data every
 * planner shares (`repro`, `verify`, the robot profile of a matrix).
 *
 * The evidence is in the robot's reports: under `powerpc-allmodconfig`
 * (2022, 2023) and `arm64-allyesconfig` (2023), W=1 diagnostics are printed
 * as `warning: … [-Woverride-init]`, `warning: no previous prototype …
 * [-Wmissing-prototypes]`. With `CONFIG_WERROR=y` (what `make allmodconfig`
 * gives since 5.15: WERROR defaults to COMPILE_TEST) gcc would print them as
 * `error: … [-Werror=…]`; the only `-Werror=` lines those reports carry are
 * the ones the kernel Makefile forces whatever the config
 * (`-Werror=implicit-function-declaration`, …). So the robot builds its
 * all*config targets with CONFIG_WERROR off. Other named targets
 * (`defconfig`, `allnoconfig`, `<board>_defconfig`) have WERROR off already
 * unless the defconfig asks for it, so they are built as make gives them;
 * a config file the robot published says itself what it used.
 *
 * @module
 */

/** `keep`: the config's own CONFIG_WERROR; `off`: CONFIG_WERROR=n. */
export type WerrorMode = "keep" | "off";

/** A decision about CONFIG_WERROR, with the reason shown to the user. */
export interface WerrorChoice {
  mode: WerrorMode;
  /** `robot policy` or the user's `--werror=…`. */
  from: "robot policy" | "--werror";
  /** One sentence for the verdict and the build record. */
  why: string;
}

/** Config targets the robot builds with CONFIG_WERROR off. */
const WERROR_OFF_TARGETS = new Set(["allmodconfig", "allyesconfig"]);

/**
 * The robot's CONFIG_WERROR policy for a config it regenerates from its name
 * (the target after `<arch>-`), or for one of its published config files
 * (`target` null).
 *
 * @param target `allmodconfig`, `defconfig`, `i386_defconfig`…, or null for a file
 * @returns the choice, with its reason
 *
 * @example
 * ```ts
 * import { robotWerror } from "./robot_policy.ts";
 * if (robotWerror("allmodconfig").mode !== "off") throw new Error();
 * if (robotWerror("allyesconfig").mode !== "off") throw new Error();
 * if (robotWerror("defconfig").mode !== "keep") throw new Error();
 * if (robotWerror(null).mode !== "keep") throw new Error();
 * ```
 */
export function robotWerror(target: string | null): WerrorChoice {
  if (target !== null && WERROR_OFF_TARGETS.has(target)) {
    return {
      mode: "off",
      from: "robot policy",
      why:
        `the robot builds ${target} with CONFIG_WERROR off (its reports print W=1 diagnostics as warnings)`,
    };
  }
  return {
    mode: "keep",
    from: "robot policy",
    why: target === null
      ? "CONFIG_WERROR as the robot's config file has it"
      : `CONFIG_WERROR as make ${target} sets it`,
  };
}

/**
 * The choice with the user's `--werror=keep|off` applied over the robot's.
 *
 * @example
 * ```ts
 * import { withWerrorOverride } from "./robot_policy.ts";
 * const c = withWerrorOverride({ mode: "off", from: "robot policy", why: "x" }, "keep");
 * if (c.mode !== "keep" || c.from !== "--werror") throw new Error();
 * ```
 */
export function withWerrorOverride(
  robot: WerrorChoice,
  override: WerrorMode | undefined,
): WerrorChoice {
  if (override === undefined) return robot;
  return {
    mode: override,
    from: "--werror",
    why: override === "off"
      ? "CONFIG_WERROR off (--werror=off)"
      : "CONFIG_WERROR as the config has it (--werror=keep)",
  };
}
