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
}

/** The parse of a separate `reproduce` script (attachment, file or URL copy). */
export interface ReproduceFile extends ReproduceInfo {
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
}
