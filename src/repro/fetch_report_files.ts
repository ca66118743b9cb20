/**
 * Everything `repro` reads before planning: the report (a file, stdin, or a
 * Message-ID / lore URL fetched into the report cache), the robot's
 * reproduce script and config of a new-format report (download.01.org, into
 * the same cache), and what this host lacks of the robot's setup.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import {
  type Artifact,
  fetchReportArtifacts,
  resolveReportInput,
} from "../lore/mod.ts";
import { type EnvReader, stateDir } from "../paths.ts";
import { findExecutable } from "../proc/find_executable.ts";
import { parseReport } from "../report/mod.ts";
import type { Output } from "../util/output.ts";
import { setupDifferences } from "./setup_differences.ts";

/** Options for {@link fetchReportFiles}. */
export interface FetchReportFilesOptions {
  cwd: string;
  out: Output;
  signal: AbortSignal;
  offline: boolean;
  loreUrl?: string;
  /** Fetch the reproduce script (no `--reproduce` given). */
  wantReproduce: boolean;
  /** Fetch the config (no `--config` given). */
  wantConfig: boolean;
  /** Whether a program is on PATH (default: look at `$PATH`). */
  has?: (program: string) => boolean;
  /** State dir (default {@link stateDir}). */
  stateRoot?: string;
  /** Environment reader (default: the process environment). */
  env?: EnvReader;
}

/** What {@link fetchReportFiles} gathered. */
export interface ReportFiles {
  text: string;
  reproduce?: Artifact;
  config?: Artifact;
  /** Tools of the robot's setup this host lacks. */
  setupDifferences: string[];
}

/**
 * Reads the report an argument names and fetches the files it links to.
 *
 * @throws {UserError} unreadable or unknown report
 * @throws {InfraError} the report's archive failed (a failure to get the
 *   robot's files is only noted: the planner falls back as without them)
 */
export async function fetchReportFiles(
  arg: string,
  options: FetchReportFilesOptions,
): Promise<ReportFiles> {
  const progress = (line: string) => options.out.err(`==> ${line}`);
  const env = options.env ?? ((n: string) => Deno.env.get(n));
  const stateRoot = options.stateRoot ?? stateDir(env);
  const input = await resolveReportInput(arg, {
    cwd: options.cwd,
    stateRoot,
    env,
    offline: options.offline,
    signal: options.signal,
    progress,
    ...(options.loreUrl !== undefined ? { loreUrl: options.loreUrl } : {}),
  });
  let report;
  try {
    report = parseReport(input.text, { lenient: true });
  } catch (error) {
    // runRepro reports a bad report with its own message
    if (error instanceof UserError) {
      return { text: input.text, setupDifferences: [] };
    }
    throw error;
  }
  const path = env("PATH") ?? "";
  const has = options.has ?? ((p: string) => findExecutable(p, path) !== null);
  const out: ReportFiles = {
    text: input.text,
    setupDifferences: setupDifferences(report.setup, has),
  };
  if (!options.wantReproduce && !options.wantConfig) return out;
  let got;
  try {
    got = await fetchReportArtifacts(report, {
      stateRoot,
      env,
      offline: options.offline,
      signal: options.signal,
      progress,
    });
  } catch (error) {
    // the planner still has the report's links and its own fallbacks
    if (!(error instanceof InfraError)) throw error;
    progress(`note: the robot's files could not be fetched: ${error.message}`);
    return out;
  }
  for (const note of got.notes) progress(`note: ${note}`);
  if (options.wantReproduce && got.reproduce) out.reproduce = got.reproduce;
  if (options.wantConfig && got.config) out.config = got.config;
  return out;
}
