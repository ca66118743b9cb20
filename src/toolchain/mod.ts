/**
 * Toolchains: resolve a `COMPILER=` request to an installed, verified cross
 * compiler, fetching it when needed.
 *
 * @module
 */
import type { Output } from "../cli/output.ts";
import { InfraError, UserError } from "../errors.ts";
import type { ResolvedToolchain, ToolchainRequest } from "./types.ts";
import { cacheDir as defaultCacheDir } from "../paths.ts";
import {
  type CompilerSpec,
  matchesPartial,
  nearestVersions,
  parseCompiler,
  resolveVersion,
} from "./catalog.ts";
import {
  findInstalledGcc,
  findInstalledLlvm,
  gccLibexecDir,
  installedGccVersions,
  installedLlvmVersions,
  type InstalledToolchain,
} from "./installed.ts";
import { MARKER } from "./layout.ts";
import {
  debianCandidates,
  debianPackage,
  ensureShims,
  findSystemClangs,
  findSystemGccs,
  type SystemGcc,
} from "./system.ts";
import { mirrorsFor, planFetch } from "../fetch/plan_fetch.ts";
import type { DownloadOptions } from "../fetch/download.ts";
import arches from "../../toolchains/arches.json" with { type: "json" };

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

interface Root {
  root: string;
  requireMarker: boolean;
}

function rootsFor(request: ToolchainRequest, cache: string): Root[] {
  const roots: Root[] = [];
  if (request.installPath) {
    roots.push({ root: request.installPath, requireMarker: false });
  }
  roots.push({ root: `${cache}/toolchains`, requireMarker: true });
  return roots;
}

function touch(dir: string): void {
  try {
    const now = new Date();
    Deno.utimeSync(`${dir}/${MARKER}`, now, now);
  } catch { /* not ours or read-only: usage is best effort */ }
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

async function resolveGcc(
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
      // Loaded on demand: a cache hit never pays for the download machinery.
      const { installToolchain } = await import("../fetch/install.ts");
      const res = await installToolchain(plan, {
        ...(out ? { out } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.allowUnverified ? { allowUnverified: true } : {}),
        ...(options.keyring ? { keyring: options.keyring } : {}),
        ...(options.download ? { download: options.download } : {}),
      });
      return gccResult(request, version, true, {
        dir: res.dir,
        binDir: `${res.dir}/bin`,
        marker: res.marker,
      });
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

function clangTripleFor(triple: string): string {
  const table = arches as unknown as {
    arches: Record<string, { triple: string; clangTriple?: string }>;
  };
  for (const a of Object.values(table.arches)) {
    if (a.triple === triple && a.clangTriple) return a.clangTriple;
  }
  return triple;
}

async function resolveClang(
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
      // Loaded on demand: a cache hit never pays for the download machinery.
      const { installToolchain } = await import("../fetch/install.ts");
      const res = await installToolchain(plan, {
        ...(out ? { out } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.allowUnverified ? { allowUnverified: true } : {}),
        ...(options.keyring ? { keyring: options.keyring } : {}),
        ...(options.download ? { download: options.download } : {}),
      });
      return fromInstalled({
        dir: res.dir,
        binDir: `${res.dir}/bin`,
        marker: res.marker,
      });
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
