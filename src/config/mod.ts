/**
 * Config steps: base config, fragments and overrides, olddefconfig, and the
 * dropped-symbol check.
 *
 * @module
 */
export {
  CONFIG_STAMP,
  type ConfigInputs,
  type ConfigOutcome,
  refreshConfigStamp,
  runConfig,
  type RunConfigContext,
} from "./run_config.ts";
export {
  type ConfigAssignment,
  type ConfigValue,
  type DroppedSymbol,
  findDropped,
  formatAssignment,
  type Fragment,
  mergeConfig,
  parseConfig,
  parseConfigLine,
  parseSet,
  requestedValues,
} from "./merge_config.ts";
export {
  evalKconfigExpr,
  explainDropped,
  type KconfigDefinition,
  readKconfigDefinitions,
  srcArchOf,
} from "./kconfig_deps.ts";
export { decodeConfigBody, fetchConfig } from "./fetch_config.ts";
export {
  fragmentCacheDir,
  type FragmentContext,
  type FragmentKind,
  type FragmentWord,
  localFragment,
  MAX_FRAGMENT_BYTES,
  parseFragmentWord,
  type ResolvedFragment,
  resolveFragment,
} from "./fragment_source.ts";
export {
  refuseShellValues,
  shellValueIn,
  shellValuesIn,
} from "./shell_values.ts";
