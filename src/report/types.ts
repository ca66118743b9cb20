/**
 * Types of a parsed 0-day robot report. Field names follow the conventions of
 * `shared/robot-reports/README.md` (snake_case, as in the expected JSON).
 *
 * @module
 */

/** One diagnostic line quoted by a report. */
export interface ReportDiagnostic {
  /** Path as printed (may start with `./`). */
  file: string;
  line: number;
  /** Null when the line has no column (`file.c:12: warning: …`). */
  column: number | null;
  /** `error`, `warning`, `fatal error` or `sparse`. */
  severity: string;
  /** Verbatim to the end of the line, including any `[-W…]`. */
  message: string;
  /** True only for lines the robot marked new (`>>`, or `>` in a reflowed copy). */
  new: boolean;
  /** The literal prefix: `>>`, `<<`, `>` (reflowed copy) or `` (none). */
  prefix: string;
}

/** A `make` / `make.cross` command line from the reproduce steps. */
export interface MakeInvocation {
  /** Leading `VAR=value` words. */
  env: Record<string, string>;
  /** The command word as written (`make`, `make.cross`, `~/bin/make.cross`…). */
  cmd: string;
  /** Shell-split words after the command, quotes removed. */
  args: string[];
}

/** The compiler a report names. */
export interface ReportCompiler {
  name: "gcc" | "clang";
  /** `11.2.0`, `20.0.0git`… */
  version: string | null;
  /** The whole `compiler:` value. */
  raw: string;
}

/** What the comments of reproduce steps say about the robot's host. */
export interface ScriptNotes {
  /** Packages of `# apt-get install …` comments, in order, deduplicated. */
  apt_packages: string[];
  /** `# sparse version: v0.6.4-66-g0196afe1`, or null. */
  sparse_version: string | null;
  /** The compiler a `# clang-23 might not be officially released…` comment names. */
  unreleased_compiler: string | null;
}

/** What the reproduce steps (inline or in a `reproduce` script) say. */
export interface ReproduceInfo {
  make_invocations: MakeInvocation[];
  /** Args of the last make line, or null without one. */
  make_args: string[] | null;
  make_env: Record<string, string> | null;
  targets: string[] | null;
  arch: string | null;
  w: number | string | null;
  c: number | string | null;
  tree_url: string | null;
  branch: string | null;
  commit: string | null;
  /** The argument of `b4 shazam`, if any. */
  b4_shazam: string | null;
  /** What the step comments say (not part of `reproduce_file`). */
  notes: ScriptNotes;
}

/**
 * The robot's build setup beyond compiler and config, from the report's
 * header (`rustc:`, `sparse:`, `docutils:`), its tag lines and the comments
 * and `b4 shazam` line of its reproduce steps (inline or script). Every field
 * is always present (null or empty when the report does not say).
 */
export interface RobotSetup {
  /** The `rustc:` value (`rustc 1.88.0 (6b00bc388 2025-06-23)`): a Rust build. */
  rustc: string | null;
  /** The version in it (`1.88.0`). */
  rustc_version: string | null;
  /** The `sparse:` value, else the script's `# sparse version:`. */
  sparse: string | null;
  /** The `docutils:` value (`docutils (Docutils 0.21.2, Python 3.13.5, on linux)`). */
  docutils: string | null;
  /** Packages the steps say to `apt-get install` (binutils for clang, sparse…). */
  apt_packages: string[];
  /** A compiler the steps say "might not be officially released" (`clang-23`). */
  unreleased_compiler: string | null;
  /** The `b4 shazam` argument of the steps (the patch the robot applied). */
  b4_shazam: string | null;
  /** The report's own archive URL: its `Closes:` tag, else its `Link:` tag. */
  closes_url: string | null;
}

/** The parse of a separate `reproduce` script (attachment, file or URL copy). */
export interface ReproduceFile extends Omit<ReproduceInfo, "notes"> {
  /** The report's `reproduce:` URL, if the script came from there. */
  url: string | null;
  /** Where the script came from (`MIME attachment "reproduce"`, a path…). */
  origin: string | null;
}

/** Files attached to a report e-mail. */
export interface ReportAttachments {
  /** The `reproduce` script. */
  reproduce?: string;
  /** The kernel `.config` (gunzipped when it came as `.config.gz`). */
  config?: string;
}

/** Everything `kcross report parse` extracts. */
export interface ParsedReport {
  /** `old` (inline reproduce steps) or `new` (reproduce link / attachment). */
  format: "old" | "new" | null;
  tree_url: string | null;
  branch: string | null;
  head: string | null;
  commit: string | null;
  commit_subject: string | null;
  config_name: string | null;
  config_url: string | null;
  arch: string | null;
  compiler: ReportCompiler | null;
  make_args: string[] | null;
  targets: string[] | null;
  w: number | string | null;
  c: number | string | null;
  diagnostics: ReportDiagnostic[];
  /** `branch` (has `tree:`), `patch` (has `url:`), or null. */
  report_type: "branch" | "patch" | null;
  url: string | null;
  base: string | null;
  patch_link: string | null;
  make_env: Record<string, string> | null;
  make_invocations: MakeInvocation[];
  reproduce_url: string | null;
  /** Diagnostic section headers, verbatim, in order. */
  sections: string[];
  /** Every `>>` line of the diagnostic sections, prefix removed. */
  marked_lines: string[];
  /** The parse of the report's `reproduce` script, when one was available. */
  reproduce_file: ReproduceFile | null;
  /** `Message-ID` of the e-mail, when the input had headers. */
  message_id: string | null;
  /** Things a user should know: truncated URLs, joined reflowed lines… */
  warnings: string[];
  /** Files attached to the e-mail. */
  attachments: ReportAttachments;
  /** The robot's setup beyond compiler and config (rustc, sparse, docutils…). */
  setup: RobotSetup;
}
