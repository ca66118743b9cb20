/**
 * Types of the repro area: the parts of a parsed report it reads, the plan
 * it derives, and the verdict it records.
 *
 * @module
 */

import type { ReportedDiagnostic } from "../diagnostics/compare_reported.ts";
import type { MakeInvocation } from "../report/types.ts";
import type { WerrorChoice } from "../config/robot_policy.ts";

export type { MakeInvocation, ReportedDiagnostic, WerrorChoice };

/** The fields of a reproduce file that repro reads. */
export interface ReproduceFileFields {
  make_args?: string[] | null;
  make_env?: Record<string, string> | null;
  make_invocations?: MakeInvocation[] | null;
  targets?: string[] | null;
  w?: number | string | null;
  c?: number | string | null;
  tree_url?: string | null;
  branch?: string | null;
  commit?: string | null;
  b4_shazam?: string | null;
}

/**
 * The report fields repro reads, as the report parser produces them
 * (`../shared/robot-reports/README.md` conventions; extra fields ignored).
 */
export interface ReportFields {
  tree_url: string | null;
  branch: string | null;
  head?: string | null;
  commit: string | null;
  commit_subject?: string | null;
  config_name: string | null;
  config_url: string | null;
  arch: string | null;
  compiler: { name: string; version: string | null; raw?: string } | null;
  make_args: string[] | null;
  targets: string[] | null;
  w: number | string | null;
  c: number | string | null;
  diagnostics: ReportedDiagnostic[];
  report_type?: "branch" | "patch" | string | null;
  url?: string | null;
  base?: string | null;
  patch_link?: string | null;
  make_env?: Record<string, string> | null;
  make_invocations?: MakeInvocation[] | null;
  reproduce_url?: string | null;
  reproduce_file?: ReproduceFileFields | null;
  /** `old` (inline reproduce steps) or `new` (since 2023: Closes: tag, links). */
  format?: "old" | "new" | null;
  /** The mail's Message-ID, when the input had headers. */
  message_id?: string | null;
}

/** Where the commit comes from. */
export interface SourcePlan {
  /** The commit to build (full or abbreviated sha), or null (patch report without one). */
  commit: string | null;
  /** Remote to fetch from when the checkout lacks the commit. */
  fetchUrl: string | null;
  /** Branch/ref to fetch. */
  fetchRef: string | null;
  /** Branch head the report names (informational). */
  head: string | null;
  /** Why `commit` was chosen: `report`, `--commit`, `reproduce file`. */
  commitFrom: string;
}

/** A config `make` regenerates from the report's config name. */
export interface RegeneratedConfig {
  kind: "target";
  /** `allmodconfig`, `defconfig`, `i386_defconfig`… */
  target: string;
  /** The report's config name, `powerpc-allmodconfig`. */
  name: string;
  werror: WerrorChoice;
}

/** How the `.config` is obtained. */
export type ReproConfig =
  | {
    kind: "url";
    url: string;
    /** The report's config name, if it has one. */
    name: string | null;
    /**
     * What to build when the URL cannot be fetched (no network, the
     * archive purged): the named config regenerated, or null when the name
     * cannot be (randconfig, lkp's own configs).
     */
    fallback: RegeneratedConfig | null;
    werror: WerrorChoice;
  }
  | { kind: "file"; path: string; from: string; werror: WerrorChoice }
  | RegeneratedConfig;

/** A report whose config cannot be had: what to tell the user. */
export interface MissingConfig {
  kind: "missing";
  name: string | null;
  message: string;
  hint: string;
}

/** The compiler a report asks for. */
export interface CompilerPlan {
  family: "gcc" | "clang";
  /** Request for the toolchain resolver, e.g. `gcc-11.2.0`, `clang-17`. */
  request: string;
  /** Exact version the report printed, e.g. `11.2.0`, `20.0.0git` (null: none printed). */
  version: string | null;
  /** Distro build string, e.g. `Debian 12.2.0-14`, or null. */
  distro: string | null;
  /** The crosstool triple named by the compiler line, or null. */
  triple: string | null;
  /** The compiler line as printed. */
  raw: string;
}

/**
 * How a report's build is set up, whatever the commit: what `report parse`
 * shows, `bisect --report` and `verify` build with, and `repro` carries out.
 */
export interface BuildSetup {
  /** `ARCH` for make, or null when the report names none. */
  arch: string | null;
  config: ReproConfig | MissingConfig;
  compiler: CompilerPlan | null;
  /** Make variables other than ARCH/O/CROSS_COMPILE, e.g. `W=1`, `CF=…`. */
  makeVars: string[];
  targets: string[];
  /** Where the targets came from: `report`, `reproduce file`, `diagnostics`, `none`. */
  targetsFrom: string;
  /** Things that differ from the robot's setup, known before building. */
  differences: string[];
  /** Other remarks (shown, not counted as differences). */
  notes: string[];
}

/** Everything `repro` will do, derived from the report and the facts alone. */
export interface ReproPlan extends BuildSetup {
  source: SourcePlan;
  arch: string;
  config: ReproConfig;
  reported: ReportedDiagnostic[];
}

/** Per reported diagnostic: what the build showed. */
export interface VerdictRow {
  status: "reproduced" | "moved" | "missing";
  /**
   * Set when the build has it with another severity only because of
   * `-Werror` (`error` here, `warning` in the report, or the reverse).
   */
  severityHere?: string;
  new: boolean;
  file: string;
  line: number;
  column: number | null;
  severity: string;
  message: string;
  /** For `moved`: found line minus reported line. */
  movedBy?: number;
}

/** The result of a reproduction, stored as `verdict.json`. */
export interface Verdict {
  verdict: "reproduced" | "partial" | "not-reproduced";
  rows: VerdictRow[];
  /** Diagnostics the build printed that the report does not list. */
  extra: {
    file: string | null;
    line: number | null;
    severity: string;
    message: string;
  }[];
  /** Setup differences (substituted compiler, dropped symbols, …). */
  differences: string[];
  notes: string[];
  commit: string;
  reportCommit: string | null;
  arch: string;
  config: string;
  /** CONFIG_WERROR: the policy applied and the final `.config`'s value. */
  werror: WerrorChoice & { enabled: boolean | null };
  targets: string[];
  makeVars: string[];
  toolchain:
    | {
      id: string;
      version: string;
      exact: boolean;
      provider: string;
      /** `build`, `version` (another build of it) or `substitute`. */
      exactness?: string;
      /** `signature: good <fpr>`, `sha256: ok (…)`, `unverified (why)`. */
      verification?: string;
    }
    | null;
  build: {
    id: string;
    recordDir: string;
    result: string;
    exitCode: number | null;
  } | null;
  /**
   * The digest of the build's setup (arch, triple, compiler, config,
   * CONFIG_WERROR policy, make variables, targets): `verify` finds the
   * report's build by it and the commit.
   */
  setupKey?: string;
}
