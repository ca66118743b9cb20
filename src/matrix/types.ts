/**
 * Shared matrix types: the parsed matrix file, expanded cells, and what a
 * cell run produces.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import type { PhaseRecord } from "../record/types.ts";

/** `keep` the config's CONFIG_WERROR (robot-exact) or turn it `off`. */
export type WerrorPolicy = "keep" | "off";

/** Where the kernel source comes from. */
export interface TreeSpec {
  /** A git URL or a local path (a checkout or a bare repo). */
  url: string;
  /** Exact commit sha, or null for a non-git tree / the working tree as is. */
  commit: string | null;
  /** Build the working tree as it is (local only), not a worktree at `commit`. */
  useWorkingTree: boolean;
  /** Absolute path of the working tree when `useWorkingTree`. */
  workingTree: string | null;
  /** sha256 of `git diff HEAD` when the working tree has uncommitted changes. */
  dirtyDigest: string | null;
}

/** The inputs of one build in a matrix: everything its result depends on. */
export interface CellInputs {
  arch: string;
  /** Config target (`allmodconfig`, `<board>_defconfig`…), a file path or URL. */
  config: string;
  /** Compiler request as written (`gcc-12.2.0`, `clang-15`). */
  compiler: string;
  /** make goals (empty: the default goal). */
  targets: string[];
  /** Free make variables (`W`, `C`, `CF`…), sorted by name. */
  make: Record<string, string>;
  /** Absolute fragment paths, merged in order. */
  fragments: string[];
  /** sha256 of each fragment's content, same order (digest input). */
  fragmentDigests: string[];
  /** `CONFIG_X=y` overrides. */
  sets: string[];
  werror: WerrorPolicy;
  /** A failing result is expected (shown, not counted as a regression). */
  allowFailure: boolean;
  /** `--trust-make-line`: make words the policy refuses pass (not a digest input). */
  trustMakeLine?: boolean;
  /** `--allow-substitute`: another compiler version may stand in (a digest input when set). */
  allowSubstitute?: boolean;
  /** `--allow-distro`: a distro build of the exact version may stand in (a digest input when set). */
  allowDistro?: boolean;
}

/** One expanded cell. */
export interface Cell {
  /** Human key, stable across commits: `powerpc/allmodconfig/gcc-12.2.0 W=1`. */
  key: string;
  /** Position in the expanded matrix (stable order, used by --shard). */
  index: number;
  /** Values of every axis, by axis name (for grids and filters). */
  axes: Record<string, string>;
  inputs: CellInputs;
  /** Digest of inputs + tree commit: the BullMQ job id and the resume key. */
  digest: string;
}

/** How a cell ended. */
export type CellResult = "pass" | "fail" | "infra" | "interrupted";

/** A diagnostic as stored with a cell result. */
export type CellDiagnostic = Diagnostic;

/** One named target of a cell's build (`kernel`, `modules`…): its phase record, in short. */
export interface CellPhase {
  name: string;
  status: PhaseRecord["status"];
  reason: string | null;
  durationMs: number;
  /** Names of the artifacts it left in the cell's record. */
  artifacts: string[];
}

/** What a cell runner returns for one attempt. */
export interface CellOutcome {
  /** `pass`/`fail` are results; `infra` is retried once by the scheduler. */
  result: CellResult;
  /** Why, for infra errors and odd endings (one line). */
  message?: string;
  diagnostics: CellDiagnostic[];
  /** The cell's build record directory (on the machine that ran it). */
  recordDir: string | null;
  recordId: string | null;
  /** Full build log path (on the machine that ran it). */
  logPath: string | null;
  /** A command that replays this cell's build. */
  reproducer: string;
  /** Resolved toolchain identity when known. */
  toolchain: { id: string; version: string; exact: boolean } | null;
  /** Config digest from the build record, when known. */
  configDigest: string | null;
  exitCode: number | null;
  timings: Record<string, number>;
  /** Per named target (absent: no named target, one make call). */
  phases?: CellPhase[];
  /** Free-form extras (ccache stats, triple…). */
  extra?: Record<string, unknown>;
}

/** A finished cell as recorded in a matrix run. */
export interface CellRecord {
  key: string;
  digest: string;
  index: number;
  axes: Record<string, string>;
  inputs: CellInputs;
  commit: string | null;
  result: CellResult;
  message: string | null;
  errors: number;
  warnings: number;
  durationMs: number;
  attempts: number;
  /** Hostname/worker id that ran it (`local` for local runs). */
  ranOn: string;
  /** Set when this record was reused from an earlier run (`--resume`). */
  reusedFrom: string | null;
  outcome: CellOutcome;
  finishedAt: string;
}
