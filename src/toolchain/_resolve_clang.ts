/**
 * Resolution of clang/llvm requests: installed, fetched (kernel.org LLVM),
 * system clang, substitute.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { ResolvedToolchain, ToolchainRequest } from "./types.ts";
import type { ResolveOptions } from "./types.ts";
import { cacheDir as defaultCacheDir } from "../paths.ts";
import {
  type CompilerSpec,
  matchesPartial,
  resolveVersion,
} from "./catalog.ts";
import {
  findInstalledLlvm,
  installedLlvmVersions,
  type InstalledToolchain,
} from "./installed.ts";
import { findSystemClangs } from "./system.ts";
import { mirrorsFor, planFetch } from "../fetch/plan_fetch.ts";
import { fetchInstall, rootsFor, touch } from "./_resolve_common.ts";
import arches from "../../toolchains/arches.json" with { type: "json" };

function clangTripleFor(triple: string): string {
  const table = arches as unknown as {
    arches: Record<string, { triple: string; clangTriple?: string }>;
  };
  for (const a of Object.values(table.arches)) {
    if (a.triple === triple && a.clangTriple) return a.clangTriple;
  }
  return triple;
}

/** Resolves a clang/llvm request (see `resolveToolchain`). */
export async function resolveClang(
  spec: CompilerSpec,
  request: ToolchainRequest,
  options: ResolveOptions,
): Promise<ResolvedToolchain> {
  const cache = options.cacheDir ?? defaultCacheDir();
  const roots = rootsFor(request, cache);
  const out = options.out;
  const crossCompile = `${clangTripleFor(request.triple)}-`;
  const base = {
    family: "clang" as const,
    requested: request.compiler,
    triple: request.triple,
    crossCompile,
  };
  const systemClang = async (exactOnly: string | undefined) => {
    const all = await findSystemClangs();
    const match = exactOnly
      ? all.find((c) => c.version === exactOnly)
      : all.find((c) => matchesPartial(c.version, spec.partial)) ?? all[0];
    return match;
  };
  if (request.provider === "system") {
    const c = await systemClang(undefined);
    if (
      !c ||
      (!matchesPartial(c.version, spec.partial) && !request.allowSubstitute)
    ) {
      throw new UserError(`No system clang matching "${spec.requested}"`, {
        hint: `install one: apt-get install clang-${
          spec.partial.split(".")[0] || "15"
        } lld-${spec.partial.split(".")[0] || "15"} llvm-${
          spec.partial.split(".")[0] || "15"
        }`,
      });
    }
    return {
      ...base,
      id: `system/clang-${c.version}`,
      version: c.version,
      provider: "system",
      exact: matchesPartial(c.version, spec.partial),
      binDir: c.binDir,
    };
  }
  const installed = roots.flatMap((r) =>
    installedLlvmVersions(r.root, { requireMarker: r.requireMarker })
  );
  const { version, explicit } = resolveVersion(spec, installed);
  if (!explicit) out?.err(`Resolved ${spec.requested} to llvm-${version}`);
  const fromInstalled = (f: InstalledToolchain): ResolvedToolchain => ({
    ...base,
    id: f.marker?.id ?? `llvm-${version}-x86_64`,
    version,
    provider: f.marker?.provider ?? "llvm",
    exact: true,
    binDir: f.binDir,
    ...(f.marker?.archiveSha256
      ? { archiveSha256: f.marker.archiveSha256 }
      : {}),
    ...(f.marker?.sourceUrl ? { sourceUrl: f.marker.sourceUrl } : {}),
  });
  for (const r of roots) {
    const f = findInstalledLlvm(r.root, version, r);
    if (f) {
      if (r.requireMarker) touch(f.dir);
      return fromInstalled(f);
    }
  }
  let fetchError: unknown;
  if (!request.offline) {
    try {
      const plan = planFetch({
        family: "clang",
        version,
        mirrors: mirrorsFor("clang", options.mirrors),
        root: request.installPath ?? `${cache}/toolchains`,
        cacheDir: cache,
      });
      return fromInstalled(await fetchInstall(plan, options));
    } catch (error) {
      options.signal?.throwIfAborted();
      fetchError = error;
    }
  }
  const exactSys = await systemClang(version);
  const anySys = exactSys ??
    (request.allowSubstitute ? await systemClang(undefined) : undefined);
  if (anySys) {
    const exact = anySys.version === version;
    if (!exact) {
      out?.err(
        `warning: using substitute clang ${anySys.version} (system) for ${spec.requested}`,
      );
    }
    return {
      ...base,
      id: `system/clang-${anySys.version}`,
      version: anySys.version,
      provider: "system",
      exact,
      binDir: anySys.binDir,
    };
  }
  if (fetchError instanceof Error) throw fetchError;
  throw new UserError(
    `Toolchain llvm-${version} is not installed and kcross is offline`,
    {
      hint:
        `run "kcross toolchain fetch llvm-${version} <arch>" online, or import the tarball`,
    },
  );
}
