/**
 * A reproduction's build as the builder's input: the report's setup as one
 * `BuildRequest` through the one adapter `toNativeInput`, with the triple
 * the report names and the toolchain repro resolved. Pure.
 *
 * @module
 */
import {
  type BuildRequest,
  type ConfigSource,
  type NativeInput,
  toNativeInput,
} from "../build/mod.ts";
import type { ResolvedToolchain } from "../toolchain/types.ts";

/** What a reproduction builds, in repro's terms. */
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
  /** Where the make words came from (for the make-word policy's errors). */
  makeOrigin?: string;
  /** `--trust-make-line`: pass make words the policy refuses. */
  trustMakeLine?: boolean;
}

/**
 * The builder's input for a reproduction. The report's triple is given, so
 * the plan is never provisional; the toolchain is already resolved (exact
 * or an accepted substitute), so `resolve` hands it back.
 *
 * @example
 * ```ts
 * import { reproNativeInput } from "./repro_input.ts";
 * const toolchain = { requested: "gcc-12", exact: true } as never;
 * const n = reproNativeInput({ arch: "arm", srcTree: "/s", outDir: "/o",
 *   config: { kind: "name", name: "allmodconfig" } as never, werror: "off", toolchain,
 *   triple: "arm-linux-gnueabi", tripleReason: "report", makeVars: ["W=1", "CF=-x"],
 *   targets: ["drivers/"], jobs: null, ccache: false });
 * if (n.w !== "1" || n.makeArgs?.[0] !== "CF=-x" || n.triple !== "arm-linux-gnueabi") throw new Error();
 * ```
 */
export function reproNativeInput(input: ReproBuildInput): NativeInput {
  const w = input.makeVars.find((v) => v.startsWith("W="))?.slice(2);
  const c = input.makeVars.find((v) => v.startsWith("C="))?.slice(2);
  const request: BuildRequest = {
    arch: input.arch,
    config: input.config,
    seed: null,
    compiler: input.toolchain.requested,
    fragments: [],
    sets: [],
    werror: input.werror,
    w: w ?? null,
    c: c ?? null,
    jobs: input.jobs,
    ccache: input.ccache,
    allowSubstitute: !input.toolchain.exact,
    allowDistro: false,
    offline: false,
    allowEmpty: false,
    trustMakeLine: input.trustMakeLine ?? false,
    triple: input.triple,
    targets: input.targets,
    makeArgs: input.makeVars.filter((v) => !/^[WC]=/.test(v)),
  };
  return {
    ...toNativeInput(request, {
      srcTree: input.srcTree,
      outDir: input.outDir,
      cwd: input.srcTree,
    }),
    tripleReason: input.tripleReason,
    ...(input.makeOrigin ? { makeOrigin: input.makeOrigin } : {}),
    resolve: () => Promise.resolve(input.toolchain),
  };
}
