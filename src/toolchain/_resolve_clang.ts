/**
 * Resolution of clang/llvm requests: installed (kernel.org `llvm-<v>-<host>`
 * or 01.org `clang-<N>`), fetched from the mirrors' listings (verified), a
 * distro clang when allowed, the nearest usable release with
 * `--allow-substitute`, and `…git` snapshots as the newest release of their
 * major (a named substitute).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type {
  Exactness,
  ResolvedToolchain,
  ToolchainRequest,
} from "./types.ts";
import type { ResolveOptions } from "./types.ts";
import { cacheDir as defaultCacheDir } from "../paths.ts";
import {
  type CompilerSpec,
  knownVersions,
  matchesPartial,
  nearestVersions,
} from "./catalog.ts";
import {
  findInstalledCrossClang,
  findInstalledLlvm,
  installedLlvmVersions,
  type InstalledToolchain,
} from "./installed.ts";
import { findSystemClangs, type SystemClang } from "./system.ts";
import { mirrorsFor } from "./plan_fetch.ts";
import {
  fetchFromMirrors,
  hostFor,
  mirrorError,
  rootsFor,
  touch,
} from "./_resolve_common.ts";
import { pickVersion } from "./locate_on_mirror.ts";
import { llvmNames } from "./naming.ts";
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
  const base = {
    family: "clang" as const,
    requested: request.compiler,
    triple: request.triple,
    crossCompile: `${clangTripleFor(request.triple)}-`,
  };
  const fromInstalled = (
    f: InstalledToolchain,
    version: string,
    exactness: Exactness,
  ): ResolvedToolchain => ({
    ...base,
    id: f.marker?.id ?? f.dir.slice(f.dir.lastIndexOf("/") + 1),
    version,
    provider: f.marker?.provider ?? "llvm",
    exact: exactness !== "substitute",
    exactness,
    verification: f.marker?.verification ??
      (f.marker?.verifiedBy
        ? `sha256: ok (${f.marker.verifiedBy})`
        : "not recorded (installed outside kcross)"),
    binDir: f.binDir,
    ...(f.marker?.archiveSha256
      ? { archiveSha256: f.marker.archiveSha256 }
      : {}),
    ...(f.marker?.sourceUrl ? { sourceUrl: f.marker.sourceUrl } : {}),
  });
  const fromSystem = (
    c: SystemClang,
    exactness: Exactness,
  ): ResolvedToolchain => ({
    ...base,
    id: `system/clang-${c.version}`,
    version: c.version,
    provider: "system",
    exact: exactness !== "substitute",
    exactness,
    verification: "distro package (verified by the package manager)",
    binDir: c.binDir,
  });
  const snapshotNote = (version: string) =>
    spec.snapshot
      ? out?.err(
        `note: ${spec.requested} is a development snapshot nobody can download; using llvm-${version}, the newest release of ${
          spec.partial.split(".")[0]
        } (a substitute, named in the record)`,
      )
      : undefined;

  if (request.provider === "system") {
    const all = await findSystemClangs();
    const major = spec.partial.split(".")[0] ?? "";
    const c = all.find((c) => matchesPartial(c.version, spec.partial)) ??
      (spec.snapshot
        ? all.find((c) => matchesPartial(c.version, major))
        : undefined) ??
      (request.allowSubstitute
        ? all.find((c) =>
          c.version ===
            nearestVersions(
              spec.partial || "999",
              all.map((x) => x.version),
              1,
            )[0]
        )
        : undefined);
    if (!c) {
      throw new UserError(`No system clang matching "${spec.requested}"`, {
        hint: `install one: apt-get install clang-${major || "15"} lld-${
          major || "15"
        } llvm-${major || "15"}${
          all.length ? `; found: ${all.map((x) => x.version).join(", ")}` : ""
        }`,
      });
    }
    const ok = matchesPartial(c.version, spec.partial) && !spec.snapshot;
    return fromSystem(c, ok ? "version" : "substitute");
  }

  // Installed: kernel.org LLVM dirs (exact versions), then 01.org clang-<N>.
  const installed = roots.flatMap((r) =>
    installedLlvmVersions(r.root, { requireMarker: r.requireMarker })
  );
  const pick = pickVersion(spec, installed);
  if (pick) {
    for (const r of roots) {
      const f = findInstalledLlvm(r.root, pick.version, r);
      if (f) {
        if (r.requireMarker) touch(f.dir);
        if (pick.version !== spec.partial) {
          if (spec.snapshot) snapshotNote(pick.version);
          else {out?.err(
              `Resolved ${spec.requested} to llvm-${pick.version} (installed)`,
            );}
        }
        return fromInstalled(
          f,
          pick.version,
          spec.snapshot ? "substitute" : "build",
        );
      }
    }
  }
  const major = spec.partial.split(".")[0] ?? "";
  if (major && spec.partial === major) {
    for (const r of roots) {
      const f = findInstalledCrossClang(r.root, major, r);
      if (f) {
        if (r.requireMarker) touch(f.dir);
        return fromInstalled(f, f.marker?.version ?? major, "build");
      }
    }
  }

  const mirrors = [
    ...mirrorsFor("clang", options.mirrors),
    // make.cross URL=…/0day-ci/cross-package serves clang-<N> builds too.
    ...(options.mirrors ?? []).filter((m) => /cross-package\/?$/.test(m)).map((
      m,
    ) => ({
      name: m,
      base: m.replace(/^cross-package:/, "").replace(/\/+$/, ""),
      layout: "cross-package" as const,
    })),
  ].filter((m, i, all) =>
    all.findIndex((x) => x.base === m.base && x.layout === m.layout) === i
  );
  let failure: Error | undefined;
  let near: string[] = [];
  if (!request.offline) {
    const got = await fetchFromMirrors(spec, undefined, mirrors, request, {
      ...options,
      cache,
    });
    if (got.kind === "installed") {
      if (got.located.substituteFor) snapshotNote(got.located.version);
      return fromInstalled(
        got.found,
        got.located.version,
        got.located.substituteFor ? "substitute" : "build",
      );
    }
    near = got.near;
    failure = mirrorError(`clang ${spec.partial || "(newest)"}`, got, "");
  }
  const wanted = pickVersion(spec, knownVersions("clang"))?.version ??
    spec.partial;
  const systems = await findSystemClangs();
  const same = systems.find((c) =>
    spec.partial.split(".").length === 3
      ? c.version === spec.partial
      : matchesPartial(c.version, spec.partial)
  );
  if (
    same && !spec.snapshot && (request.allowDistro || request.allowSubstitute)
  ) {
    out?.err(
      `warning: using the distro clang ${same.version} (${same.binDir}), not a kernel.org build${
        failure ? `: ${failure.message}` : request.offline ? ": offline" : ""
      }`,
    );
    return fromSystem(same, "version");
  }
  if (request.allowSubstitute || spec.snapshot) {
    // Nearest usable: installed, on the mirror, distro; same major first.
    const pool = [
      ...installed.map((v) => ({ v, how: "installed" })),
      ...(request.offline ? [] : near.map((v) => ({ v, how: "mirror" }))),
      ...systems.map((c) => ({ v: c.version, how: "system" })),
    ];
    const best = nearestVersions(
      spec.partial || "999",
      pool.map((p) => p.v),
      1,
    )[0];
    const choice = pool.find((p) => p.v === best);
    let res: ResolvedToolchain | undefined;
    if (choice?.how === "installed") {
      for (const r of roots) {
        const f = findInstalledLlvm(r.root, choice.v, r);
        if (f) res = fromInstalled(f, choice.v, "substitute");
      }
    } else if (choice?.how === "mirror") {
      const got = await fetchFromMirrors(
        { family: "clang", partial: choice.v, requested: `llvm-${choice.v}` },
        undefined,
        mirrors,
        request,
        { ...options, cache },
      );
      if (got.kind === "installed") {
        res = fromInstalled(got.found, choice.v, "substitute");
      }
    } else if (choice?.how === "system") {
      res = fromSystem(
        systems.find((c) => c.version === choice.v)!,
        "substitute",
      );
    }
    if (res) {
      out?.err(
        `warning: using substitute clang ${res.version} (${res.provider}) for ${spec.requested} (${
          spec.partial || "it"
        } is not available${spec.snapshot ? ": a development snapshot" : ""})`,
      );
      return res;
    }
  }
  const alt = same
    ? `the distro clang ${same.version} (${same.binDir}) is another build of it: pass --allow-distro to use it`
    : systems.length || installed.length
    ? `available instead: ${
      [
        ...installed.map((v) => `llvm-${v} (installed)`),
        ...systems.map((c) => `clang-${c.version} (system)`),
      ].join(", ")
    }; pass --allow-substitute to use the nearest`
    : "";
  if (request.offline || !failure) {
    const host = hostFor(options).llvm;
    throw new UserError(
      `Toolchain llvm-${wanted} is not installed and kcross is offline`,
      {
        hint: `fetch ${
          // A major alone names no file: the newest x.y.z of it is listed.
          /^\d+\.\d+\.\d+/.test(wanted)
            ? `https://cdn.kernel.org/pub/tools/llvm/files/${
              llvmNames(wanted, host)[0]
            }`
            : `the newest llvm-${wanted}.*-${host}.tar.xz listed at https://cdn.kernel.org/pub/tools/llvm/files/`} and run "kcross toolchain import <file>", or run "kcross toolchain prefetch --compilers clang-${wanted}" online${
          alt ? `; ${alt}` : ""
        }`,
      },
    );
  }
  const e = failure as UserError;
  throw new (Object.getPrototypeOf(e).constructor as typeof UserError)(
    e.message,
    { hint: [e.hint, alt].filter((h) => h).join("; "), cause: e.cause },
  );
}
