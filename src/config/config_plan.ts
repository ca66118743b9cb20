/**
 * How a build gets its `.config`, as plain data: the config layer owns it;
 * the build plan embeds it.
 *
 * @module
 */

/** Where the `.config` comes from. */
export type ConfigSource =
  | { kind: "target"; target: string; seed?: string } // allmodconfig, defconfig, <board>_defconfig, randconfig (KCONFIG_SEED)
  | { kind: "file"; path: string }
  | { kind: "url"; url: string }
  | { kind: "existing" }; // whatever .config the build dir has (drop-in mode)

/** How to produce the `.config` before the build. */
export interface ConfigPlan {
  source: ConfigSource;
  /** Fragment files merged in order, merge_config.sh style. */
  fragments: string[];
  /** `CONFIG_X=y|m|n|value` overrides, applied last. */
  sets: string[];
  /** `keep` (robot-exact) or `off` (CONFIG_WERROR=n). */
  werror: "keep" | "off";
  /**
   * `--trust-make-line`: values with `$` or backticks in the file, URL,
   * fragments and sets pass (see `checkConfigValues`).
   */
  trustValues?: boolean;
}
