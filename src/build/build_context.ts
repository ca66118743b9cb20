/**
 * Where an orchestrator's side effects enter: one context object that
 * `repro`, `verify`, `series`, `bisect` and matrix cells are given, with the
 * real things as the default. Pure steps (parsing a report, planning a
 * reproduction, comparing diagnostics) are plain function calls and are
 * not in it.
 *
 * @module
 */
import {
  type ProcessRunner,
  realProcessRunner,
} from "../proc/process_runner.ts";
import { resolveToolchain } from "../toolchain/mod.ts";
import type {
  ResolvedToolchain,
  ToolchainRequest,
} from "../toolchain/types.ts";
import type { Output } from "../util/output.ts";
import {
  type Builder,
  prepareNativeBuild,
  runNativeBuild,
} from "./native_build.ts";

/** Resolves `COMPILER=` to an installed toolchain (fetching it when allowed). */
export type ToolchainResolver = (
  request: ToolchainRequest,
  options: { out?: Output; mirrors?: string[]; signal?: AbortSignal },
) => Promise<ResolvedToolchain>;

/** The side effects an orchestrator runs on. */
export interface BuildContext {
  /** How processes start: make (through `builder`), compiler probes. */
  proc: ProcessRunner;
  /** Downloads: report configs, config fragments. */
  fetch: typeof fetch;
  /**
   * Toolchains: the ones a caller resolves itself (repro: the report's
   * compiler) and the ones the builder resolves while it plans.
   */
  resolveToolchain: ToolchainResolver;
  /** The one builder, bound to `proc`, `fetch` and `resolveToolchain`. */
  builder: Builder;
}

/** What a caller may set; the rest is real. */
export type BuildContextOverrides = Partial<BuildContext>;

/**
 * The builder with `proc` and `fetch` bound: `prepare` resolves the
 * toolchain through `resolve` (unless the input brings its own) and probes
 * the compiler through `proc`, `run` starts make through it and fetches
 * config URLs through `fetch`.
 */
export function builderWith(
  proc: ProcessRunner,
  fetcher: typeof fetch = fetch,
  resolve: ToolchainResolver = resolveToolchain,
): Builder {
  return {
    prepare: (input) => prepareNativeBuild({ proc, resolve, ...input }),
    run: (build, options) =>
      runNativeBuild(build, { proc, fetch: fetcher, ...options }),
  };
}

/**
 * A context: the real runner, `fetch`, toolchain resolver and builder,
 * with `overrides` in their place (a test's fake `ProcessRunner` and
 * toolchain resolver reach the builder too unless a builder is given).
 *
 * @example
 * ```ts
 * import { buildContext } from "./build_context.ts";
 * import { realProcessRunner } from "../proc/process_runner.ts";
 * if (buildContext().proc !== realProcessRunner) throw new Error();
 * ```
 */
export function buildContext(
  overrides: BuildContextOverrides = {},
): BuildContext {
  const proc = overrides.proc ?? realProcessRunner;
  const fetcher = overrides.fetch ?? ((...a) => fetch(...a));
  const resolve = overrides.resolveToolchain ?? resolveToolchain;
  return {
    proc,
    fetch: fetcher,
    resolveToolchain: resolve,
    builder: overrides.builder ?? builderWith(proc, fetcher, resolve),
  };
}
