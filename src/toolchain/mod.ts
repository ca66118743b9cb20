/**
 * Toolchains: resolve a `COMPILER=` request to an installed, verified cross
 * compiler, fetching it when needed.
 *
 * @module
 */
import type { Output } from "../cli/output.ts";
import { InfraError } from "../errors.ts";
import type { ResolvedToolchain, ToolchainRequest } from "./types.ts";

export type {
  ResolvedToolchain,
  ToolchainProvider,
  ToolchainRequest,
} from "./types.ts";
export {
  archInfo,
  chooseTriple,
  configEnabled,
  supportedArches,
} from "./arch.ts";

/** Options for `resolveToolchain`. */
export interface ResolveOptions {
  /** Progress and messages go here (nothing when absent). */
  out?: Output;
  /** Mirror base URLs to try in order (defaults from toolchains/). */
  mirrors?: string[];
  signal?: AbortSignal;
}

/**
 * Resolves a request to a ready toolchain: installed (COMPILER_INSTALL_PATH or
 * kcross's cache), else fetched and verified, else a system compiler.
 *
 * @throws {UserError} unknown compiler/version, or no exact match without allowSubstitute
 * @throws {InfraError} download/verify failures
 */
export function resolveToolchain(
  request: ToolchainRequest,
  _options: ResolveOptions = {},
): Promise<ResolvedToolchain> {
  return Promise.reject(
    new InfraError(
      `Toolchain resolution is not available yet for "${request.compiler}"`,
    ),
  );
}
