/**
 * The flags `repro` and `verify` share (a report and the setup to build it
 * with), parsed once: the report and the robot's files fetched, `--config`
 * checked, and the common part of the run options.
 *
 * @module
 */
import { type AnyParsed, flag, str } from "../util/args.ts";
import { ccacheOf, commonSpecs, jobsOf } from "../util/flags.ts";
import type { CommandContext } from "../util/command.ts";
import { UserError } from "../errors.ts";
import { readReportInput } from "../report/mod.ts";
import { buildContext } from "../build/mod.ts";
import { fetchReportFiles } from "./fetch_report_files.ts";
import type { RunReproOptions } from "./prepare_repro.ts";

/** Option specs of a report run (`repro`, `verify`). */
export const REPORT_RUN_SPECS = {
  tree: { type: "string" },
  "remote-url": { type: "string" },
  commit: { type: "string" },
  config: { type: "string" },
  reproduce: { type: "string" },
  "trust-make-line": { type: "boolean" },
  "lore-url": { type: "string" },
  werror: { type: "string" },
  ...commonSpecs(
    "jobs",
    "allow-substitute",
    "allow-distro",
    "offline",
    "ccache",
    "no-ccache",
    "json",
  ),
} as const;

/** A report run's input: the report text and the options both commands take. */
export interface ReportRun {
  text: string;
  options: Omit<RunReproOptions, "commit">;
}

/**
 * Reads the shared flags of `p` for the report `input` (a file, `-`, a
 * Message-ID or a lore URL): fetches the report and the robot's files unless
 * `--config`/`--reproduce` give them, and checks `--werror` and `--config`.
 *
 * @throws UserError on a bad `--werror` value or a `--config` that is not a file
 */
export async function readReportRun(
  ctx: CommandContext,
  p: AnyParsed,
  input: string,
): Promise<ReportRun> {
  const werror = str(p, "werror");
  if (werror !== undefined && werror !== "keep" && werror !== "off") {
    throw new UserError(`Bad value for --werror: "${werror}"`, {
      hint: "use --werror=off or --werror=keep",
    });
  }
  const abs = (v: string) => v.startsWith("/") ? v : `${ctx.cwd}/${v}`;
  const configPath = str(p, "config");
  if (configPath !== undefined) {
    await checkConfigFile(abs(configPath), configPath);
  }
  const reproPath = str(p, "reproduce");
  const loreUrl = str(p, "lore-url");
  const fetched = await fetchReportFiles(input, {
    cwd: ctx.cwd,
    out: ctx.out,
    signal: ctx.signal,
    offline: flag(p, "offline"),
    wantReproduce: reproPath === undefined,
    wantConfig: configPath === undefined,
    ...(loreUrl !== undefined ? { loreUrl } : {}),
  });
  const tree = str(p, "tree");
  const remoteUrl = str(p, "remote-url");
  const jobs = jobsOf(p);
  return {
    text: fetched.text,
    options: {
      out: ctx.out,
      signal: ctx.signal,
      context: buildContext(),
      tree: tree === undefined ? ctx.cwd : abs(tree),
      ...(remoteUrl ? { remoteUrl } : {}),
      ...(configPath ? { configFile: abs(configPath) } : fetched.config
        ? {
          configFile: fetched.config.path,
          configFrom: `the robot's config ${fetched.config.url}`,
        }
        : {}),
      ...(reproPath
        ? {
          reproduceText: await readReportInput(reproPath, { cwd: ctx.cwd }),
        }
        : fetched.reproduce
        ? { reproduceText: fetched.reproduce.text }
        : {}),
      setupDifferences: fetched.setupDifferences,
      ...(jobs !== undefined ? { jobs } : {}),
      allowSubstitute: flag(p, "allow-substitute"),
      allowDistro: flag(p, "allow-distro"),
      trustMakeLine: flag(p, "trust-make-line"),
      offline: flag(p, "offline"),
      ...(werror ? { werror } : {}),
      ccache: ccacheOf(p, true),
    },
  };
}

async function checkConfigFile(path: string, given: string): Promise<void> {
  let isFile = false;
  try {
    isFile = (await Deno.stat(path)).isFile;
  } catch {
    throw new UserError(`No config file "${given}"`);
  }
  if (!isFile) {
    throw new UserError(`"${given}" is not a config file`, {
      hint: "give the path of a .config file",
    });
  }
}
