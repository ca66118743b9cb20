/**
 * Between a matrix cell and the builder: cell → build request → the one
 * adapter `toNativeInput` → `Builder.prepare` → `Builder.run` → outcome.
 * Everything else in the matrix area sees only the `CellRunner` interface.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import {
  type Builder,
  type BuildOutcome,
  type BuildRequest,
  type NativeInput,
  toNativeInput,
} from "../build/mod.ts";
import { reproducerCommand } from "../record/reproducer.ts";
import { cellPhases } from "./_cell_targets.ts";
import type { CellContext, CellRunner } from "./runner.ts";
import type { Cell, CellOutcome, CellResult } from "./types.ts";

/**
 * The build request of a cell: `W`/`C` as such, other make variables as
 * extra make words; the context gives make -j, ccache and the toolchain
 * policy.
 */
export function cellRequest(cell: Cell, ctx: CellContext): BuildRequest {
  const i = cell.inputs;
  return {
    arch: i.arch,
    config: i.config,
    seed: null,
    compiler: i.compiler,
    fragments: i.fragments,
    sets: i.sets,
    werror: i.werror,
    w: i.make.W ?? null,
    c: i.make.C ?? null,
    jobs: ctx.makeJobs,
    ccache: ctx.ccache,
    allowSubstitute: i.allowSubstitute === true,
    allowDistro: i.allowDistro === true || ctx.allowDistro === true,
    offline: ctx.offline === true,
    allowEmpty: false,
    trustMakeLine: i.trustMakeLine === true,
    triple: null,
    targets: i.targets,
    makeArgs: Object.entries(i.make)
      .filter(([k]) => k !== "W" && k !== "C")
      .map(([k, v]) => `${k}=${v}`),
  };
}

/**
 * The builder's input for a cell (`cellRequest` through the one adapter,
 * config values relative to the source tree).
 *
 * @example
 * ```ts
 * import { nativeInput } from "./run_cell.ts";
 * const cell = { inputs: { arch: "powerpc", config: "allmodconfig", compiler: "gcc-12.2.0", targets: ["drivers/vfio/"], make: { CF: "-D__CHECK_ENDIAN__", W: "1" }, fragments: [], fragmentDigests: [], sets: [], werror: "keep", allowFailure: false } } as never;
 * const ctx = { srcTree: "/src", buildDir: "/b", makeJobs: 2, ccache: true } as never;
 * const n = nativeInput(cell, ctx);
 * if (n.w !== "1" || n.makeArgs?.[0] !== "CF=-D__CHECK_ENDIAN__" || n.jobs !== 2) throw new Error();
 * ```
 */
export function nativeInput(cell: Cell, ctx: CellContext): NativeInput {
  return {
    ...toNativeInput(cellRequest(cell, ctx), {
      srcTree: ctx.srcTree,
      outDir: ctx.buildDir,
      cwd: ctx.srcTree,
    }),
    // the matrix loader already made them absolute or in-tree names
    fragments: cell.inputs.fragments,
    makeOrigin: "the matrix file",
  };
}

/** Output that keeps a cell's engine chatter out of the matrix display. */
function cellOutput(ctx: CellContext): Output {
  const last = (line: string) => {
    const t = line.trim();
    if (t) ctx.status?.(t.length > 80 ? `${t.slice(0, 77)}...` : t);
  };
  return { out: last, err: last, errRaw: () => {}, isTty: false };
}

function mapResult(result: BuildOutcome["result"]): CellResult {
  switch (result) {
    case "pass":
      return "pass";
    case "fail":
    case "empty":
      return "fail";
    case "infra-error":
      return "infra";
    case "interrupted":
      return "interrupted";
  }
}

/**
 * The cell runner: every matrix cell (local, on a worker, a series' or
 * verify's cells) builds through `builder`, the one of the caller's
 * `BuildContext`. Planning (which resolves and, when needed, fetches the
 * toolchain) is serialized per compiler and arch, so parallel cells fetch
 * a toolchain once; the builds themselves run in parallel.
 *
 * @param builder the context's builder (`buildContext().builder`)
 * @returns the runner
 */
export function createCellRunner(builder: Builder): CellRunner {
  return {
    async run(cell, ctx): Promise<CellOutcome> {
      const out = cellOutput(ctx);
      await Deno.mkdir(ctx.buildDir, { recursive: true });
      const t0 = performance.now();
      ctx.status?.("resolving toolchain");
      const build = await ctx.serialize(
        `toolchain:${cell.inputs.compiler}:${cell.inputs.arch}`,
        () =>
          builder.prepare({
            ...nativeInput(cell, ctx),
            out,
            signal: ctx.signal,
          }),
      );
      const planMs = Math.round(performance.now() - t0);
      const built = await builder.run(build, {
        out,
        signal: ctx.signal,
        echo: false,
        timings: { plan: planMs },
      });
      const meta = built.record;
      // As the record's reproducer.sh runs it, with the record dir spelled out.
      const reproducer = reproducerCommand(
        meta?.reproduce?.steps ?? [],
        built.recordDir,
      );
      const plan = built.plan ?? build.plan;
      const tc = plan.toolchain;
      const phases = cellPhases(meta);
      return {
        result: mapResult(built.result),
        ...(built.reason ? { message: built.reason } : {}),
        diagnostics: built.diagnostics,
        recordDir: built.recordDir,
        recordId: built.id,
        logPath: `${built.recordDir}/build.log`,
        reproducer,
        toolchain: tc
          ? { id: tc.id, version: tc.version, exact: tc.exact }
          : null,
        configDigest: meta?.config?.inputsDigest ?? null,
        exitCode: built.exitCode,
        timings: built.timings,
        ...(phases ? { phases } : {}),
        extra: {
          triple: meta?.plan?.triple ?? plan.triple,
          ...(meta?.ccache ? { ccache: meta.ccache } : {}),
        },
      };
    },
  };
}
