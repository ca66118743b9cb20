/**
 * The build plan: the one data type both front doors (`make.cross`, `build`)
 * produce and the runner executes.
 *
 * @module
 */
import type { ResolvedToolchain } from "../toolchain/types.ts";

export type { ConfigPlan, ConfigSource } from "../config/config_plan.ts";
import type { ConfigPlan } from "../config/config_plan.ts";

/** How much `--artifacts` collects: nothing, the usual files, or everything known. */
export type ArtifactLevel = "none" | "default" | "all";

/**
 * How one artifact is collected from the output dir (`toolchains/targets.json`).
 * `file`: a copy of `from`; `tree`: `from` (a directory) packed as `name`
 * (`.tar.xz`), names matching `exclude` left out; `install`: `make <goal> <var>=<staging>` and the staging dir
 * packed; `files`: every file under `dir` matching one of `patterns`,
 * packed with its path below `dir`; `glob`: the files matching `pattern` in `dir` (`.` the output dir,
 * `..` its parent) made since the phase started, each under its own name.
 */
export type ArtifactRule =
  | { kind: "file"; from: string; name: string }
  | { kind: "tree"; from: string; name: string; exclude?: string }
  | { kind: "install"; goal: string; var: string; name: string }
  | { kind: "files"; dir: string; patterns: string[]; name: string }
  | { kind: "glob"; dir: string; pattern: string };

/** One named target (or the Kbuild paths) as a phase of the build. */
export interface PlannedPhase {
  /** `kernel`, `modules`…, or `kbuild` for the Kbuild paths. */
  name: string;
  /** What make is given for it (`vmlinux`, `modules`, `drivers/vfio/`). */
  goals: string[];
  /** Phases that must pass first. */
  requires: string[];
  /** Skipped when this symbol is off in the final `.config`. */
  needs?: string;
  /** Added as a dependency, not asked for. */
  implied: boolean;
  /** What is collected into the record's `artifacts/` after it passes. */
  artifacts: ArtifactRule[];
}

/** Which front door produced a plan. */
export type BuildMode = "make.cross" | "native";

/** Everything needed to run one build, as plain data. */
export interface BuildPlan {
  /** Which front door produced it. */
  mode: BuildMode;
  /** `ARCH` as given to make. */
  arch: string;
  /** Absolute kernel source tree. */
  srcTree: string;
  /** Absolute dir make runs in. */
  cwd: string;
  /** Absolute O= dir, or null for an in-tree build. */
  outDir: string | null;
  /** The full make argv, `argv[0]` is `make`. */
  argv: string[];
  /** Variables set or changed for make (over the caller's environment). */
  env: Record<string, string>;
  /** Variables removed from the environment. */
  envUnset: string[];
  /** The toolchain, or null when the plan is still unresolved (dry run without fetch). */
  toolchain: ResolvedToolchain | null;
  /** The triple chosen and why (`CONFIG_PPC64`, `report`, `default`…). */
  triple: string;
  tripleReason: string;
  /** Config steps to run before make; null to use the build dir's `.config` as is. */
  config: ConfigPlan | null;
  /**
   * The goals as given (e.g. `drivers/vfio/`, or named targets such as
   * `kernel modules`); empty for the default goal. With named targets,
   * `argv` holds only the Kbuild paths and `phases` says what runs.
   */
  targets: string[];
  /**
   * Named targets as phases in run order (config first); absent or empty:
   * one make call with `argv` (Kbuild paths only, the drop-in).
   */
  phases?: PlannedPhase[];
  /** What is collected into `artifacts/` (default `default` with phases). */
  artifacts?: ArtifactLevel;
  /** Run the phases that do not depend on a failed one (`--keep-going`). */
  keepGoing?: boolean;
  jobs: number;
  ccache: boolean;
  /** Fail on a target that builds nothing (`--allow-empty` turns it off). */
  allowEmpty: boolean;
  /** Free-form notes shown by --dry-run (deviations from make.cross, etc.). */
  notes: string[];
  /** `COMPILER` as requested (`gcc-11.2.0`, `clang-17`). */
  compiler?: string;
  /** `make kernelversion` of the source tree, when known. */
  kernelVersion?: string | null;
  /**
   * True when the triple is a guess made before the config step (native mode,
   * config not generated yet): the plan the config step runs with.
   * `runNativeBuild()` settles it against the final `.config` and plans
   * again (`planNativeBuild()` with the settled facts) before make.
   */
  tripleProvisional?: boolean;
  /** Accept a substitute compiler version (recorded as such). */
  allowSubstitute?: boolean;
  /** Accept a distro build of the exact version (`--allow-distro`). */
  allowDistro?: boolean;
  /** Never fetch a toolchain (`--offline`), also when the triple changes. */
  noFetch?: boolean;
  /** COMPILER_INSTALL_PATH used for the toolchain, when one was. */
  installPath?: string;
}
