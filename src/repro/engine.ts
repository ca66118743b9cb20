/**
 * The parts of kcross `repro` stands on, as one small interface so tests can
 * hand in stand-ins. `defaultEngine()` wires the real modules.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import type { BuildOutcome } from "../build/run_build.ts";
import type { BuildPlan, ConfigSource } from "../build/types.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import type {
  ResolvedToolchain,
  ToolchainRequest,
} from "../toolchain/types.ts";
import type { ReportedDiagnostic, ReportFields } from "./types.ts";

/** A parsed report plus what was attached to the mail. */
export interface ParsedInput {
  report: ReportFields;
  /** Text of an attached `.config` (already gunzipped), if the mail had one. */
  attachedConfig: string | null;
  /** Whether the report says its config was attached. */
  configAttached: boolean;
}

/** What repro asks the build planner for. */
export interface ReproBuildInput {
  arch: string;
  srcTree: string;
  outDir: string;
  config: ConfigSource;
  /** CONFIG_WERROR: `off` (the robot's policy for all*config) or `keep`. */
  werror: "keep" | "off";
  toolchain: ResolvedToolchain;
  /** The triple from the report's compiler line (or the arch default). */
  triple: string;
  tripleReason: string;
  /** `W=1`, `C=1`, `CF=…`, … */
  makeVars: string[];
  targets: string[];
  jobs: number | null;
  ccache: boolean;
  /** The commit's time, for KBUILD_BUILD_TIMESTAMP. */
  commitTime: number;
  /** Where the make words came from (for the make-word policy's errors). */
  makeOrigin?: string;
  /** `--trust-make-line`: pass make words the policy refuses. */
  trustMakeLine?: boolean;
}

/** Per reported diagnostic, as the comparer judges it. */
export interface ComparedRow {
  reported: ReportedDiagnostic;
  status: "reproduced" | "moved" | "missing";
  movedBy?: number;
  /** The build's severity, when it differs from the report's only by -Werror. */
  severityHere?: string;
}

/** The comparer's answer. */
export interface Comparison {
  rows: ComparedRow[];
  extra: Diagnostic[];
  verdict: "reproduced" | "partial" | "not-reproduced";
}

/** The engine repro runs on. */
export interface ReproEngine {
  /**
   * Parses a report (mail, archive copy, or reproduce file), with its
   * reproduce script when it came separately.
   */
  parse(text: string, reproduceText?: string): ParsedInput;
  /** Downloads a robot config (time-limited, size-capped). */
  fetchConfig(url: string, options: { signal: AbortSignal }): Promise<string>;
  resolveToolchain(
    request: ToolchainRequest,
    options: { out: Output; signal: AbortSignal },
  ): Promise<ResolvedToolchain>;
  planBuild(input: ReproBuildInput): Promise<BuildPlan>;
  runBuild(
    plan: BuildPlan,
    options: { out: Output; signal: AbortSignal },
  ): Promise<BuildOutcome>;
  compare(reported: ReportedDiagnostic[], found: Diagnostic[]): Comparison;
}
