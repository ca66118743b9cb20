/**
 * Resolution of gcc requests: installed, fetched, system, substitute.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import type { ResolvedToolchain, ToolchainRequest } from "./types.ts";
import type { ResolveOptions } from "./types.ts";
import { cacheDir as defaultCacheDir } from "../paths.ts";
import {
  type CompilerSpec,
  matchesPartial,
  nearestVersions,
  resolveVersion,
} from "./catalog.ts";
import {
  findInstalledGcc,
  gccLibexecDir,
  installedGccVersions,
  type InstalledToolchain,
} from "./installed.ts";
import {
  debianCandidates,
  debianPackage,
  ensureShims,
  findSystemGccs,
  type SystemGcc,
} from "./system.ts";
import { mirrorsFor, planFetch } from "../fetch/plan_fetch.ts";
import { fetchInstall, rootsFor, touch } from "./_resolve_common.ts";

function gccResult(
  request: ToolchainRequest,
  version: string,
  exact: boolean,
  found: InstalledToolchain,
): ResolvedToolchain {
  const t = request.triple;
  const libexec = gccLibexecDir(found.dir, version, t);
  const m = found.marker;
  return {
    id: m?.id ?? `gcc-${version}-nolibc/${t}`,
    family: "gcc",
    requested: request.compiler,
    version,
    provider: m?.provider ?? "crosstool",
    exact,
    triple: t,
    binDir: found.binDir,
    crossCompile: `${found.binDir}/${t}-`,
    ...(libexec ? { libexecDir: libexec } : {}),
    ...(m?.archiveSha256 ? { archiveSha256: m.archiveSha256 } : {}),
    ...(m?.sourceUrl ? { sourceUrl: m.sourceUrl } : {}),
  };
}

function systemResult(
  request: ToolchainRequest,
  gcc: SystemGcc,
  exact: boolean,
  cache: string,
  path: string | undefined,
): ResolvedToolchain {
  const binDir = ensureShims(
    `${cache}/system`,
    gcc,
    request.triple,
    path ? { path } : {},
  );
  const base = gcc.exe.slice(gcc.exe.lastIndexOf("/") + 1);
  return {
    id: `system/${base}-${gcc.version}/${request.triple}`,
    family: "gcc",
    requested: request.compiler,
    version: gcc.version,
    provider: "system",
    exact,
    triple: request.triple,
    binDir,
    crossCompile: `${binDir}/${request.triple}-`,
    sourceUrl: `file://${gcc.exe}`,
  };
}

/** Resolves a gcc request (see `resolveToolchain`). */
export async function resolveGcc(
  spec: CompilerSpec,
  request: ToolchainRequest,
  options: ResolveOptions,
): Promise<ResolvedToolchain> {
  const cache = options.cacheDir ?? defaultCacheDir();
  const roots = rootsFor(request, cache);
  const triple = request.triple;
  const out = options.out;
  const systemOpts = options.path ? { path: options.path } : {};

  if (request.provider === "system") {
    const all = await findSystemGccs(triple, systemOpts);
    const match = all.find((g) => matchesPartial(g.version, spec.partial));
    if (match) return systemResult(request, match, true, cache, options.path);
    if (request.allowSubstitute && all[0]) {
      return systemResult(request, all[0], false, cache, options.path);
    }
    throw noSystemGcc(spec, triple, all);
  }

  const installed = roots.flatMap((r) =>
    installedGccVersions(r.root, triple, { requireMarker: r.requireMarker })
  );
  const { version, explicit } = resolveVersion(spec, installed);
  if (!explicit) out?.err(`Resolved ${spec.requested} to gcc-${version}`);

  for (const r of roots) {
    const found = findInstalledGcc(r.root, version, triple, r);
    if (found) {
      if (r.requireMarker) touch(found.dir);
      return gccResult(request, version, true, found);
    }
  }

  let fetchError: unknown;
  if (!request.offline) {
    try {
      const root = request.installPath ?? `${cache}/toolchains`;
      const plan = planFetch({
        family: "gcc",
        version,
        triple,
        mirrors: mirrorsFor("gcc", options.mirrors),
        root,
        cacheDir: cache,
      });
      return gccResult(
        request,
        version,
        true,
        await fetchInstall(plan, options),
      );
    } catch (error) {
      options.signal?.throwIfAborted();
      if (
        error instanceof InfraError &&
        /Checksum mismatch|Rejected archive/.test(error.message)
      ) throw error;
      fetchError = error;
    }
  }

  const systems = await findSystemGccs(triple, systemOpts);
  const same = systems.find((g) => g.version === version);
  if (same) {
    if (fetchError) {
      out?.err(
        `Using the system compiler ${same.exe} (gcc ${version}): ${
          (fetchError as Error).message
        }`,
      );
    }
    return systemResult(request, same, true, cache, options.path);
  }

  if (request.allowSubstitute) {
    const others: { version: string; pick: () => ResolvedToolchain }[] = [];
    for (const r of roots) {
      for (
        const v of installedGccVersions(r.root, triple, {
          requireMarker: r.requireMarker,
        })
      ) {
        const f = findInstalledGcc(r.root, v, triple, r)!;
        others.push({
          version: v,
          pick: () => gccResult(request, v, false, f),
        });
      }
    }
    for (const g of systems) {
      others.push({
        version: g.version,
        pick: () => systemResult(request, g, false, cache, options.path),
      });
    }
    const best = nearestVersions(version, others.map((o) => o.version), 1)[0];
    const pick = others.find((o) => o.version === best);
    if (pick) {
      const res = pick.pick();
      out?.err(
        `warning: using substitute gcc ${res.version} (${res.provider}) for ${spec.requested} (${version} is not available)`,
      );
      return res;
    }
  }

  const available = [
    ...installed.map((v) => `gcc-${v} (installed)`),
    ...systems.map((g) => `gcc-${g.version} (system: ${g.exe})`),
  ];
  const alt = available.length
    ? `available instead: ${
      available.join(", ")
    }; pass --allow-substitute to use one`
    : `no other gcc for ${triple} is installed; a distro compiler would do with --allow-substitute (apt-get install ${
      debianPackage(debianCandidates(triple)[0] ?? "powerpc64-linux-gnu")
    })`;
  if (request.offline) {
    const plan = planFetch({
      family: "gcc",
      version,
      triple,
      mirrors: mirrorsFor("gcc", options.mirrors),
      root: request.installPath ?? `${cache}/toolchains`,
      cacheDir: cache,
    });
    const src = plan.sources[0];
    throw new UserError(
      `Toolchain gcc-${version} for "${triple}" is not installed and kcross is offline`,
      {
        hint: `fetch ${src?.url ?? plan.archiveName}${
          src?.sumsUrl ? ` (checksums: ${src.sumsUrl})` : ""
        } and run "kcross toolchain import <file>", or run "kcross toolchain fetch gcc-${version} <arch>" online; ${alt}`,
      },
    );
  }
  if (fetchError instanceof UserError) {
    throw new UserError(fetchError.message, {
      hint: `${fetchError.hint ?? ""}${fetchError.hint ? "; " : ""}${alt}`,
    });
  }
  if (fetchError instanceof InfraError) {
    throw new InfraError(fetchError.message, {
      cause: fetchError,
      hint: `${fetchError.hint ?? "retry"}; ${alt}`,
    });
  }
  throw fetchError ??
    new UserError(`No gcc-${version} for "${triple}"`, { hint: alt });
}

function noSystemGcc(
  spec: CompilerSpec,
  triple: string,
  all: SystemGcc[],
): UserError {
  const d = debianCandidates(triple)[0];
  const major = Number(spec.partial.split(".")[0]) || undefined;
  return new UserError(
    `No system ${spec.requested} for "${triple}" on PATH`,
    {
      hint: all.length
        ? `found: ${all.map((g) => `${g.exe} (${g.version})`).join(", ")}`
        : d
        ? `install it: apt-get install ${debianPackage(d, major)}`
        : `no distro package is known for ${triple}`,
    },
  );
}
