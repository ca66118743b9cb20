/**
 * The build plan: the one data type both front doors (`make.cross`, `build`)
 * produce and the runner executes.
 *
 * @module
 */
import type { ResolvedToolchain } from "../toolchain/types.ts";

export type { ConfigPlan, ConfigSource } from "../config/config_plan.ts";
import type { ConfigPlan } from "../config/config_plan.ts";

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
  /** Goals given to make (e.g. `drivers/vfio/`); empty for the default goal. */
  targets: string[];
  jobs: number;
  ccache: boolean;
  /** Fail on a target that builds nothing (`--allow-empty` turns it off). */
  allowEmpty: boolean;
  /** Free-form notes shown by --dry-run (deviations from make.cross, etc.). */
  notes: string[];
  /** `COMPILER` as requested (`gcc-11.2.0`, `clang-17`); needed to re-resolve. */
  compiler?: string;
  /** `make kernelversion` of the source tree, when known. */
  kernelVersion?: string | null;
  /**
   * True when the triple is a guess made before the config step (native mode,
   * config not generated yet): the runner calls `retargetPlan()` from
   * `src/build/mod.ts` with the final `.config` before running make.
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
  /** The toolchain words inside `argv` (CROSS_COMPILE/LLVM…/KCFLAGS), for `retargetPlan`. */
  crossArgs?: string[];
}
