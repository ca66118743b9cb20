/**
 * Resolution of gcc requests: installed, fetched from the mirrors' listings
 * (verified), a distro build of the same version when allowed, the nearest
 * usable substitute when allowed. Never a swap after an integrity failure.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import type {
  Exactness,
  ResolvedToolchain,
  ToolchainRequest,
} from "./types.ts";
import type { ResolveOptions } from "./types.ts";
import { cacheDir as defaultCacheDir } from "../paths.ts";
import {
  type CompilerSpec,
  matchesPartial,
  nearestVersions,
  newestMatching,
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
  isDistroBuild,
  type SystemGcc,
} from "./system.ts";
import { mirrorsFor, planFetch } from "./plan_fetch.ts";
import {
  fetchFromMirrors,
  hostFor,
  mirrorError,
  rootsFor,
  touch,
} from "./_resolve_common.ts";
import { crosstoolNames } from "./naming.ts";

function gccResult(
  request: ToolchainRequest,
  version: string,
  exactness: Exactness,
  found: InstalledToolchain,
  triple = request.triple,
): ResolvedToolchain {
  const t = triple;
  const libexec = gccLibexecDir(found.dir, version, t);
  const m = found.marker;
  return {
    id: m?.id ?? `gcc-${version}-nolibc/${t}`,
    family: "gcc",
    requested: request.compiler,
    version,
    provider: m?.provider ?? "crosstool",
    exact: exactness !== "substitute",
    exactness,
    verification: m?.verification ??
      (m?.verifiedBy
        ? `sha256: ok (${m.verifiedBy})`
        : "not recorded (installed outside kcross)"),
    triple: request.triple,
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
  exactness: Exactness,
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
    exact: exactness !== "substitute",
    exactness,
    verification: "distro package (verified by the package manager)",
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
    if (match) {
      const same = request.distroBuild !== undefined &&
        await isDistroBuild(match.exe, request.distroBuild);
      return systemResult(
        request,
        match,
        same ? "build" : "version",
        cache,
        options.path,
      );
    }
    if (request.allowSubstitute && all[0]) {
      return systemResult(request, all[0], "substitute", cache, options.path);
    }
    throw noSystemGcc(spec, triple, all);
  }

  const installed = roots.flatMap((r) =>
    installedGccVersions(r.root, triple, { requireMarker: r.requireMarker })
  );
  const explicit = spec.partial.split(".").length === 3;
  // make.cross takes an installed match before asking the mirror.
  const installedPick = explicit
    ? (installed.includes(spec.partial) ? spec.partial : undefined)
    : newestMatching(installed, spec.partial);
  if (installedPick) {
    if (!explicit) {
      out?.err(
        `Resolved ${spec.requested} to gcc-${installedPick} (installed)`,
      );
    }
    for (const r of roots) {
      const found = findInstalledGcc(r.root, installedPick, triple, r);
      if (found) {
        if (r.requireMarker) touch(found.dir);
        return gccResult(request, installedPick, "build", found);
      }
    }
  }

  const mirrors = mirrorsFor("gcc", options.mirrors);
  let failure: Error | undefined;
  let near: string[] = [];
  if (!request.offline) {
    const got = await fetchFromMirrors(spec, triple, mirrors, request, {
      ...options,
      cache,
    });
    if (got.kind === "installed") {
      return gccResult(
        request,
        got.located.version,
        "build",
        got.found,
        got.located.fileTriple ?? triple,
      );
    }
    near = got.near;
    failure = mirrorError(
      `gcc ${spec.partial || "(newest)"} for "${triple}"`,
      got,
      "",
    );
  }
  // Offline (or nothing on the mirrors): the version the snapshot means.
  let version = spec.partial;
  try {
    // Unknown to the snapshot, and no mirror could be read to say otherwise.
    const choice = resolveVersion(spec, installed);
    version = choice.version;
    if (!explicit && request.offline) {
      out?.err(
        `Resolved ${spec.requested} to gcc-${version} (offline snapshot)`,
      );
    }
  } catch (error) {
    if (
      !failure || (failure instanceof InfraError && error instanceof UserError)
    ) {
      if (failure && error instanceof UserError) {
        throw new UserError(error.message, {
          hint:
            `${error.hint}; no mirror could be read to check (${failure.message})`,
        });
      }
      throw error;
    }
  }

  const systems = await findSystemGccs(triple, systemOpts);
  const same = systems.find((g) => g.version === version);
  if (same && (request.allowDistro || request.allowSubstitute)) {
    out?.err(
      `warning: using ${same.exe} (gcc ${version}, a distro build of the same version, not the kernel.org build${
        failure ? `: ${failure.message}` : request.offline ? ": offline" : ""
      })`,
    );
    return systemResult(request, same, "version", cache, options.path);
  }

  if (request.allowSubstitute) {
    const sub = await substitute(spec, version, request, options, {
      cache,
      installed,
      systems,
      near,
      mirrors,
    });
    if (sub) return sub;
  }

  const available = [
    ...installed.map((v) => `gcc-${v} (installed)`),
    ...systems.map((g) => `gcc-${g.version} (system: ${g.exe})`),
  ];
  const alt = same
    ? `${same.exe} is gcc ${version} from the distro (another build of it): pass --allow-distro to use it`
    : available.length
    ? `available instead: ${
      available.join(", ")
    }; pass --allow-substitute to use the nearest`
    : `no other gcc for ${triple} is installed; a distro compiler would do with --allow-substitute (apt-get install ${
      debianPackage(debianCandidates(triple)[0] ?? "powerpc64-linux-gnu")
    })`;
  if (request.offline) {
    const plan = planFetch({
      family: "gcc",
      version,
      triple,
      mirrors,
      root: request.installPath ?? `${cache}/toolchains`,
      cacheDir: cache,
    });
    const src = plan.sources[0];
    const host = hostFor(options).crosstool;
    const name = crosstoolNames(version, triple, { host })[0]!;
    const url = src && src.provider === "crosstool"
      ? src.url.replace(/[^/]+\/[^/]+$/, `${version}/${name}`).replace(
        /\/bin\/x86_64\//,
        `/bin/${host}/`,
      )
      : src?.url ?? plan.archiveName;
    throw new UserError(
      `Toolchain gcc-${version} for "${triple}" is not installed and kcross is offline`,
      {
        hint: `fetch ${url} (with ${
          url.replace(/\.tar\.(xz|gz)$/, ".tar.sign")
        }${
          src?.sumsUrl ? ` or ${src.sumsUrl}` : ""
        }) and run "kcross toolchain import <file>", or run "kcross toolchain prefetch --compilers gcc-${version}" online; ${alt}`,
      },
    );
  }
  const e = failure as UserError;
  throw new (Object.getPrototypeOf(e).constructor as typeof UserError)(
    e.message,
    { hint: [e.hint, alt].filter((h) => h).join("; "), cause: e.cause },
  );
}

/** The nearest usable gcc: installed, distro or on the mirror. */
async function substitute(
  spec: CompilerSpec,
  version: string,
  request: ToolchainRequest,
  options: ResolveOptions,
  ctx: {
    cache: string;
    installed: string[];
    systems: SystemGcc[];
    near: string[];
    mirrors: ReturnType<typeof mirrorsFor>;
  },
): Promise<ResolvedToolchain | undefined> {
  const { cache, installed, systems } = ctx;
  const roots = rootsFor(request, cache);
  const wanted = version || spec.partial || "999";
  const pool = [
    ...installed,
    ...systems.map((g) => g.version),
    ...(request.offline ? [] : ctx.near),
  ];
  const best = nearestVersions(wanted, pool, 1)[0];
  if (!best) return undefined;
  let res: ResolvedToolchain | undefined;
  if (installed.includes(best)) {
    for (const r of roots) {
      const f = findInstalledGcc(r.root, best, request.triple, r);
      if (f) {
        res = gccResult(request, best, "substitute", f);
        break;
      }
    }
  } else if (systems.some((g) => g.version === best)) {
    res = systemResult(
      request,
      systems.find((g) => g.version === best)!,
      "substitute",
      cache,
      options.path,
    );
  } else {
    const got = await fetchFromMirrors(
      { ...spec, partial: best, requested: `gcc-${best}` },
      request.triple,
      ctx.mirrors,
      request,
      { ...options, cache },
    );
    if (got.kind === "installed") {
      res = gccResult(request, best, "substitute", got.found);
    }
  }
  if (res) {
    options.out?.err(
      `warning: using substitute gcc ${res.version} (${res.provider}) for ${spec.requested} (${
        version || spec.partial
      } is not available)`,
    );
  }
  return res;
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
