/**
 * Toolchains: resolve a `COMPILER=` request to an installed, verified cross
 * compiler, fetching it when needed.
 *
 * @module
 */
import type {
  ResolvedToolchain,
  ResolveOptions,
  ToolchainRequest,
} from "./types.ts";
import { parseCompiler } from "./catalog.ts";
import { assertKnownTriple } from "./arch.ts";
import { fetchTimeoutMs } from "../util/fetch_timeout.ts";
import { resolveGcc } from "./_resolve_gcc.ts";
import { resolveClang } from "./_resolve_clang.ts";

export type {
  Exactness,
  ResolvedToolchain,
  ResolveOptions,
  ToolchainProvider,
  ToolchainRequest,
} from "./types.ts";
export {
  archInfo,
  assertKnownTriple,
  chooseTriple,
  configEnabled,
  supportedArches,
} from "./arch.ts";
export { parseCompiler, resolveVersion } from "./catalog.ts";

/**
 * Resolves a request to a ready toolchain: installed (COMPILER_INSTALL_PATH or
 * kcross's cache), else fetched and verified, else a system compiler of the
 * same version; a different version only with `allowSubstitute` (and then
 * `exact: false`). `KCROSS_OFFLINE=1` in the environment means `offline`
 * unless the request says otherwise.
 *
 * @throws {UserError} unknown compiler/version/triple, or no exact match without allowSubstitute
 * @throws {InfraError} download/verify failures
 */
export async function resolveToolchain(
  request: ToolchainRequest,
  options: ResolveOptions = {},
): Promise<ResolvedToolchain> {
  const spec = parseCompiler(request.compiler);
  // Bad settings are the user's to fix (exit 2), before any request.
  fetchTimeoutMs((n) => Deno.env.get(n), 0);
  // A triple names a directory under the install path: check it first.
  assertKnownTriple(request.triple);
  for (const t of request.alsoNeeds ?? []) assertKnownTriple(t);
  if (request.offline === undefined && Deno.env.get("KCROSS_OFFLINE") === "1") {
    request = { ...request, offline: true };
  }
  if (
    request.allowDistro === undefined &&
    Deno.env.get("KCROSS_ALLOW_DISTRO") === "1"
  ) {
    request = { ...request, allowDistro: true };
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
