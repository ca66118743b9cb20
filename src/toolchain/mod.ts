/**
 * Toolchains: resolve a `COMPILER=` request to an installed, verified cross
 * compiler, fetching it when needed.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import type { ResolvedToolchain, ToolchainRequest } from "./types.ts";
import { parseCompiler } from "./catalog.ts";
import type { DownloadOptions } from "../fetch/download.ts";
import { resolveGcc } from "./_resolve_gcc.ts";
import { resolveClang } from "./_resolve_clang.ts";

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
export { parseCompiler, resolveVersion } from "./catalog.ts";

/** Options for `resolveToolchain`. */
export interface ResolveOptions {
  /** Progress and messages go here (nothing when absent). */
  out?: Output;
  /** Mirror base URLs to try in order (defaults from toolchains/). */
  mirrors?: string[];
  signal?: AbortSignal;
  /** kcross cache root (default: `cacheDir()`, i.e. KCROSS_CACHE_DIR…). */
  cacheDir?: string;
  /** Install from a mirror with no published or pinned checksum. */
  allowUnverified?: boolean;
  /** gpgv keyring for `sha256sums.asc` (default `KCROSS_GPG_KEYRING`). */
  keyring?: string;
  /** Timeouts and retries of downloads. */
  download?: Omit<DownloadOptions, "signal" | "onProgress">;
  /** PATH searched for system compilers (default: the environment's). */
  path?: string;
}

/**
 * Resolves a request to a ready toolchain: installed (COMPILER_INSTALL_PATH or
 * kcross's cache), else fetched and verified, else a system compiler of the
 * same version; a different version only with `allowSubstitute` (and then
 * `exact: false`). `KCROSS_OFFLINE=1` in the environment means `offline`
 * unless the request says otherwise.
 *
 * @throws {UserError} unknown compiler/version, or no exact match without allowSubstitute
 * @throws {InfraError} download/verify failures
 */
export async function resolveToolchain(
  request: ToolchainRequest,
  options: ResolveOptions = {},
): Promise<ResolvedToolchain> {
  const spec = parseCompiler(request.compiler);
  if (request.offline === undefined && Deno.env.get("KCROSS_OFFLINE") === "1") {
    request = { ...request, offline: true };
  }
  const primary = spec.family === "gcc"
    ? await resolveGcc(spec, request, options)
    : await resolveClang(spec, request, options);
  if (spec.family !== "gcc" || !request.alsoNeeds?.length) return primary;
  const extraBinDirs: string[] = [];
  for (const triple of request.alsoNeeds) {
    const extra = await resolveGcc(spec, {
      ...request,
      triple,
      alsoNeeds: [],
    }, options);
    extraBinDirs.push(extra.binDir);
  }
  return { ...primary, extraBinDirs };
}
