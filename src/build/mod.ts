/**
 * Builds: the two front doors (`make.cross` drop-in, native `build`), both
 * producing a `BuildPlan`, and the runner that carries one out.
 *
 * Other areas build through the one `Builder` of their `BuildContext`
 * (`buildContext()`: the process runner, fetch, toolchain resolver and the
 * builder bound to them; `prepare` gathers the facts and plans, `run`
 * carries the build out, settling a provisional triple after the config
 * step); `repro` passes `triple` and `tripleReason` to force the triple a
 * report names.
 *
 * @module
 */
export type { BuildPlan, ConfigPlan, ConfigSource } from "./types.ts";
export {
  type MakeCrossInput,
  type MakeCrossPlan,
  planMakeCross,
} from "./plan_makecross.ts";
export {
  configSourceOf,
  normaliseSet,
  overlayConfig,
} from "./config_source.ts";
export {
  gatherNativeFacts,
  type NativeFacts,
  type NativeInput,
  planNativeBuild,
} from "./plan_native.ts";
export { settleTriple, type TripleFact } from "./native_triple.ts";
export {
  type BuildContext,
  buildContext,
  type BuildContextOverrides,
  builderWith,
  type ToolchainResolver,
} from "./build_context.ts";
export {
  type Builder,
  type NativeBuild,
  nativeBuilder,
  prepareNativeBuild,
  runNativeBuild,
} from "./native_build.ts";
export {
  checkMakeWords,
  MAKE_VAR_RULES,
  makeWordProblem,
  STANDARD_SHELLS,
} from "./make_words.ts";
export { parseMakeCrossArgs } from "./makecross_args.ts";
export { formatPlan } from "./format_plan.ts";
export { kcflagCandidates, probeKcflags } from "./kcflags.ts";
export {
  kernelVersionIs,
  parseKernelVersion,
  readKernelVersion,
} from "./kernel_version.ts";
export { llvmEqualOne, llvmIas, longFormVars } from "./llvm_rules.ts";
export { BINUTILS_NOTE, binutilsPrefix } from "./binutils_prefix.ts";
export { compareVersionSort, lastByVersion } from "./version_sort.ts";
export {
  type BuildOutcome,
  type BuildResult,
  exitCodeForResult,
  runBuild,
  type RunBuildOptions,
} from "./run_build.ts";
export {
  BUILD_FLAG_SPECS,
  type BuildFlagRules,
  type BuildRequest,
  buildRequestOf,
  parseBuildFlags,
  parseBuildWords,
  toNativeInput,
} from "./build_request.ts";
export { isNamedTarget, unsupportedTargets } from "./targets.ts";
