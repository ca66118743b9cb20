/**
 * Config steps: base config, fragments and overrides, olddefconfig, and the
 * dropped-symbol check.
 *
 * @module
 */
export {
  type ConfigOutcome,
  runConfig,
  type RunConfigContext,
} from "./run_config.ts";
export {
  type ConfigInputs,
  type ConfigInputsContext,
  inputsDigest,
} from "./config_inputs.ts";
export {
  CONFIG_STAMP,
  type ConfigStamp,
  refreshConfigStamp,
} from "./config_stamp.ts";
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
  MAX_FRAGMENT_BYTES,
  type ResolvedFragment,
  resolveFragment,
} from "./fragment_source.ts";
export {
  type FragmentWord,
  localFragment,
  parseFragmentWord,
} from "./fragment_word.ts";
export {
  refuseShellValues,
  shellValueIn,
  shellValuesIn,
} from "./shell_values.ts";
