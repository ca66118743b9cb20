/**
 * The host: which tools a build needs and when (`toolchains/doctor.json`),
 * their versions, and the machine facts a build record keeps.
 *
 * @module
 */
export {
  type BuildShape,
  type Needed,
  type NeededRequirement,
  neededRequirements,
  parseDotConfig,
  type Requirement,
  requirements,
} from "./needed_tools.ts";
export {
  realVersionProbe,
  type ToolVersion,
  toolVersions,
  type ToolVersionsOptions,
  versionFromOutput,
  type VersionProbe,
} from "./tool_versions.ts";
export {
  cpuModel,
  everyRecordSymbol,
  gatherHostFacts,
  type HostFacts,
  type HostFactsOptions,
  narrowFacts,
  parseOsRelease,
  recordedTools,
} from "./host_facts.ts";
export { diskUsage } from "./disk_usage.ts";
