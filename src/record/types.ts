/**
 * The build record's `metadata.json`, as plain data.
 *
 * @module
 */
import type { ConfigPlan } from "../config/config_plan.ts";
import type { ConfigInputs, ResolvedFragment } from "../config/mod.ts";
import type { DroppedSymbol } from "../config/merge_config.ts";
import type { ToolchainProvider } from "../toolchain/types.ts";
import type { HostFacts } from "../host/host_facts.ts";

/**
 * The machine a build ran on (TuxMake's `hardware`, `os`, `uname`, `tools`
 * and `resources` groups in one): OS, kernel, CPU, memory, the versions of
 * the host tools it used, and the disk use of its out dir.
 */
export interface HostSection extends HostFacts {
  /** Bytes the out dir takes (`du`), or null: not measured (make.cross drop-in, in-tree build) or unreadable. */
  outDirBytes: number | null;
}

/** How a build ended, or `running` while it runs. */
export type RecordResult =
  | "running"
  | "pass"
  | "fail"
  | "infra-error"
  | "interrupted"
  | "empty";

/** One kcross invocation (`kcross <command> <args…>`). */
export interface KcrossInvocation {
  command: string;
  args: string[];
  /** Environment words shown before the command (`COMPILER=…`). */
  env?: Record<string, string>;
}

/** ccache counters for this build (difference of `ccache --print-stats`). */
export interface CcacheStats {
  dir: string;
  hits: number;
  misses: number;
  /** Counters that changed, raw, by ccache's name. */
  counters: Record<string, number>;
}

/** How one phase (named target) ended. */
export type PhaseStatus =
  | "pass"
  | "fail"
  | "skipped"
  | "interrupted"
  | "infra-error";

/** One phase of a build with named targets (`config`, `kernel`, `modules`…). */
export interface PhaseRecord {
  /** The target's name, or `kbuild` for the Kbuild paths. */
  name: string;
  /** The make goals it ran (`vmlinux`, `modules`, `drivers/vfio/`). */
  goals: string[];
  /** Added as a dependency of an asked-for target. */
  implied: boolean;
  status: PhaseStatus;
  /** Why, when not `pass` (`make exited with 2`, `CONFIG_MODULES is not set`). */
  reason: string | null;
  /** make's exit code (null: make did not run). */
  exitCode: number | null;
  /** Wall time of its make call, in milliseconds. */
  durationMs: number;
  /** Wall time of collecting its artifacts, in milliseconds. */
  artifactsMs: number;
  /** Names of the artifacts it produced (see `RecordMetadata.artifacts`). */
  artifacts: string[];
}

/** One file of the record's `artifacts/`. */
export interface ArtifactRecord {
  /** File name inside `artifacts/` (`Image.gz`, `modules.tar.xz`). */
  name: string;
  /** Path relative to the record dir (`artifacts/Image.gz`). */
  path: string;
  /** The phase that made it. */
  phase: string;
  size: number;
  sha256: string;
}

/** The content of `metadata.json`. */
export interface RecordMetadata {
  schema: 1;
  id: string;
  kcrossVersion: string;
  startedAt: string;
  finishedAt: string | null;
  result: RecordResult;
  /** One line saying why, for non-pass results (`drivers/vfio/: nothing was built…`). */
  reason: string | null;
  exit: { code: number | null; signal: string | null } | null;
  plan: {
    mode: "make.cross" | "native";
    arch: string;
    argv: string[];
    /** Variables set for make over the caller's environment (pinned + plan). */
    env: Record<string, string>;
    envUnset: string[];
    cwd: string;
    outDir: string | null;
    targets: string[];
    jobs: number;
    ccache: boolean;
    allowEmpty: boolean;
    triple: string;
    tripleReason: string;
    notes: string[];
  };
  tree: {
    path: string;
    commit: string | null;
    dirty: boolean | null;
    /** What `make kernelversion` prints. */
    kernelVersion: string | null;
    /**
     * What `make -s kernelrelease` printed after the build (native builds;
     * the drop-in reads `include/config/kernel.release`); null: unknown.
     */
    kernelRelease?: string | null;
  };
  toolchain: {
    id: string;
    family: "gcc" | "clang";
    requested: string;
    version: string;
    provider: ToolchainProvider;
    exact: boolean;
    /** `build`, `version` (same version, another build) or `substitute`. */
    exactness?: string;
    /** How the install was verified (`signature: good <fpr>`, …). */
    verification?: string;
    triple: string;
    crossCompile: string;
    archiveSha256: string | null;
    sourceUrl: string | null;
    /** `CONFIG_CC_VERSION_TEXT` from the final `.config`. */
    ccVersionText: string | null;
  } | null;
  config: {
    plan: ConfigPlan | null;
    inputs: Omit<ConfigInputs, "fragments"> & {
      /** Each fragment: its form (`file`, `url`, `tree`, `make`, `inline`), the word given, its digest; `tree`/`make` name their tree files. */
      fragments: Omit<ResolvedFragment, "text">[];
    };
    inputsDigest: string;
    reused: boolean;
    /** sha256 of the final `.config` (copied to `config`). */
    sha256: string | null;
    dropped: DroppedSymbol[];
    werror: "keep" | "off";
    /** CONFIG_WERROR in the final `.config`. */
    werrorEnabled: boolean;
  } | null;
  /** The build host and its tools (absent in records written before it existed). */
  host?: HostSection | null;
  /** Milliseconds per phase: fetch, config, build (and any the caller adds). */
  timings: Record<string, number>;
  ccache: CcacheStats | null;
  diagnostics: { errors: number; warnings: number; total: number } | null;
  /** Files in the record directory. */
  files: string[];
  /** The phases of a build with named targets, in run order. */
  phases?: PhaseRecord[];
  /** The files collected into `artifacts/` (`--artifacts`). */
  artifacts?: ArtifactRecord[];
  /** The kcross invocations that rebuild this (run by `logs rerun`). */
  reproduce: {
    /** Portable steps, as in `reproducer.sh` (paths relative to the tree). */
    steps: KcrossInvocation[];
    /** The equivalent make.cross lines. */
    makeCross: string[];
    /** Where `logs rerun` runs them and the out dir it passes (this machine). */
    cwd: string;
    outDir: string | null;
  };
}
