/**
 * Reports from where they live: a Message-ID or lore URL resolved against a
 * public-inbox archive into the report cache, and the robot's `reproduce`
 * script and `config` fetched from download.01.org.
 *
 * @module
 */
export {
  type ReportInput,
  type ResolveInputOptions,
  resolveReportInput,
} from "./resolve_input.ts";
export {
  type FetchedReport,
  fetchReport,
  type FetchReportOptions,
} from "./fetch_report.ts";
export {
  archiveLink,
  type Artifact,
  type FetchArtifactsOptions,
  fetchReportArtifacts,
  type ReportArtifacts,
} from "./fetch_artifacts.ts";
export {
  DEFAULT_LORE_URL,
  loreBase,
  type LoreRef,
  messageUrl,
  parseLoreUrl,
} from "./lore_url.ts";
export {
  cacheName,
  escapeMessageId,
  looksLikeMessageId,
  normalizeMessageId,
} from "./message_id.ts";
export { isRobotSender, pickRobotMessage, splitMbox } from "./mbox.ts";
export { reportCacheDir } from "./report_cache.ts";
