/**
 * Finding a toolchain on a mirror from the mirror's own directory listing,
 * as make.cross's `lftp find | sort -V | grep | tail -1` intends (the newest
 * match), without its mis-picks: versions compare numerically and are never
 * matched as unanchored regexes, a triple is matched whole (`arc-linux` is
 * not `sparc-linux`), both `-` and `_` spellings and `.tar.gz` count, and a
 * release candidate is picked only when no release of that major exists.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { Mirror } from "./plan_fetch.ts";
import {
  type ListingEntry,
  readListing,
  type SmallFetchOptions,
} from "../fetch/listing.ts";
import {
  compareVersions,
  type CompilerSpec,
  isPrerelease,
  nearestVersions,
  newestMatching,
} from "./catalog.ts";
import {
  crossPackageClangLayouts,
  type HostNames,
  parseCrosstoolFile,
  parseLlvmFile,
  tripleBuilt,
  tripleRanges,
  tripleSpellings,
} from "./naming.ts";

/** Where a toolchain is on one mirror, as its listing says. */
export interface Located {
  mirror: Mirror;
  provider: "crosstool" | "cross-package" | "llvm";
  version: string;
  archiveUrl: string;
  archiveName: string;
  /** `<name>.tar.sign` when the listing has one. */
  signUrl: string | null;
  /** The directory's `sha256sums.asc` when the listing has one. */
  sumsUrl: string | null;
  /** The listing the archive was found in. */
  listingUrl: string;
  /** gcc: the triple as the file spells it (an alias of the requested one). */
  fileTriple?: string;
  /** 01.org clang: the archive's top dir (`clang-15`). */
  topDir?: string;
  /** Why this is not what was asked for, when it is not (a `…git` snapshot). */
  substituteFor?: string;
}

/** The mirror lists no match; `near` names what it does list. */
export class NotOnMirror extends UserError {
  constructor(message: string, readonly near: string[], hint: string) {
    super(message, { hint });
  }
}

const MAX_DIR_TRIES = 4;

function dirs(entries: ListingEntry[]): string[] {
  return entries.filter((e) => e.isDir).map((e) => e.name);
}

function files(entries: ListingEntry[]): Set<string> {
  return new Set(entries.filter((e) => !e.isDir).map((e) => e.name));
}

function signOf(archive: string, names: Set<string>): string | null {
  const sign = archive.replace(/\.tar\.(?:xz|gz)$/, ".tar.sign");
  return names.has(sign) ? sign : null;
}

function extRank(name: string): number {
  return name.endsWith(".tar.xz") ? 0 : 1;
}

/** Picks the version a spec means among `versions` (newest match). */
export function pickVersion(
  spec: CompilerSpec,
  versions: string[],
): { version: string; substituteFor?: string } | undefined {
  if (spec.snapshot) {
    const major = spec.partial.split(".")[0]!;
    const same = newestMatching(
      versions.filter((v) => !isPrerelease(v)),
      major,
    );
    if (same) return { version: same, substituteFor: spec.requested };
    const later = versions.filter((v) =>
      !isPrerelease(v) && Number(v.split(".")[0]) > Number(major)
    ).sort(compareVersions);
    return later[0]
      ? { version: later[0], substituteFor: spec.requested }
      : undefined;
  }
  if (spec.partial.split(".").length === 3) {
    return versions.includes(spec.partial)
      ? { version: spec.partial }
      : undefined;
  }
  const v = newestMatching(versions, spec.partial);
  return v ? { version: v } : undefined;
}

function notListed(
  what: string,
  where: string,
  versions: string[],
  wanted: string,
): NotOnMirror {
  const near = nearestVersions(
    wanted || "999",
    versions.filter((v) => !isPrerelease(v) || v.startsWith(wanted)),
  );
  return new NotOnMirror(
    `No mirror has ${what}: ${where} does not list it`,
    near,
    near.length
      ? `versions listed there nearest to ${wanted || "the newest"}: ${
        near.join(", ")
      }`
      : "the listing names no version at all; check the mirror URL (--mirror)",
  );
}

/**
 * Finds a gcc for `triple` on a crosstool (kernel.org) or cross-package
 * (01.org) mirror.
 *
 * @throws {NotOnMirror} the listing has no such version or triple
 * @throws {InfraError} listing missing, malformed or unreachable
 */
export async function locateGcc(
  mirror: Mirror,
  spec: CompilerSpec,
  triple: string,
  host: HostNames,
  options: SmallFetchOptions = {},
): Promise<Located> {
  const kernelOrg = mirror.layout !== "cross-package";
  const root = kernelOrg
    ? `${mirror.base}/pub/tools/crosstool/files/bin/${host.crosstool}/`
    : `${mirror.base}/`;
  const top = await readListing(root, options);
  const versions = dirs(top).map((d) =>
    kernelOrg ? d : /^gcc-([0-9.]+)-nolibc$/.exec(d)?.[1] ?? ""
  ).filter((v) => /^[0-9]+\.[0-9]+\.[0-9]+$/.test(v));
  const explicit = spec.partial.split(".").length === 3;
  let candidates: string[];
  if (explicit) {
    if (!versions.includes(spec.partial)) {
      throw notListed(
        `gcc-${spec.partial} for "${triple}"`,
        root,
        versions,
        spec.partial,
      );
    }
    candidates = [spec.partial];
  } else {
    candidates = versions.filter((v) =>
      spec.partial === "" || v === spec.partial ||
      v.startsWith(`${spec.partial}.`)
    ).sort((a, b) => compareVersions(b, a));
    if (!candidates.length) {
      throw notListed(
        `${spec.requested} for "${triple}"`,
        root,
        versions,
        spec.partial,
      );
    }
    // The data says which versions build this triple: skip the others.
    const built = candidates.filter((v) => tripleBuilt(v, triple));
    candidates = (built.length ? built : candidates).slice(0, MAX_DIR_TRIES);
  }
  const spellings = tripleSpellings(triple);
  const seen: string[] = [];
  for (const version of candidates) {
    const dirUrl = kernelOrg
      ? `${root}${version}/`
      : `${root}gcc-${version}-nolibc/`;
    const names = files(await readListing(dirUrl, options));
    const matches = [...names].map((n) => ({ n, f: parseCrosstoolFile(n) }))
      .filter((x) =>
        x.f && x.f.version === version && x.f.host === host.crosstool &&
        spellings.includes(x.f.triple)
      ).sort((a, b) =>
        spellings.indexOf(a.f!.triple) - spellings.indexOf(b.f!.triple) ||
        extRank(a.n) - extRank(b.n)
      );
    const best = matches[0];
    if (best) {
      return {
        mirror,
        provider: kernelOrg ? "crosstool" : "cross-package",
        version,
        archiveUrl: `${dirUrl}${encodeURIComponent(best.n)}`,
        archiveName: best.n,
        signUrl: signOf(best.n, names)
          ? `${dirUrl}${encodeURIComponent(signOf(best.n, names)!)}`
          : null,
        sumsUrl: names.has("sha256sums.asc") ? `${dirUrl}sha256sums.asc` : null,
        listingUrl: dirUrl,
        fileTriple: best.f!.triple,
      };
    }
    for (const n of names) {
      const f = parseCrosstoolFile(n);
      if (f && f.host === host.crosstool) seen.push(f.triple);
    }
  }
  const ranges = tripleRanges(triple);
  const v = candidates.length === 1 ? candidates[0]! : spec.requested;
  throw new NotOnMirror(
    `No mirror has gcc-${v} for "${triple}" (host ${host.crosstool}): ${root} lists no such file`,
    [],
    `${ranges ? `${triple} is built for ${ranges}; ` : ""}${
      seen.length
        ? `that version is built for: ${[...new Set(seen)].sort().join(" ")}`
        : "no build for this host at all"
    }`,
  );
}

/**
 * Finds a kernel.org LLVM build (`llvm-<v>-<host>.tar.xz`) or an 01.org
 * cross-package clang (`clang-<N>/clang-<N>.tar.xz`).
 *
 * @throws {NotOnMirror} the listing has no match
 * @throws {InfraError} listing missing, malformed or unreachable
 */
export async function locateClang(
  mirror: Mirror,
  spec: CompilerSpec,
  host: HostNames,
  options: SmallFetchOptions = {},
): Promise<Located> {
  if (mirror.layout === "cross-package") {
    return await locateCrossPackageClang(mirror, spec, options);
  }
  const root = `${mirror.base}/pub/tools/llvm/files/`;
  const names = files(await readListing(root, options));
  const byVersion = new Map<string, string[]>();
  for (const n of names) {
    const f = parseLlvmFile(n);
    if (!f || f.host !== host.llvm) continue;
    byVersion.set(f.version, [...(byVersion.get(f.version) ?? []), n]);
  }
  const versions = [...byVersion.keys()];
  const pick = pickVersion(spec, versions);
  if (!pick) {
    throw notListed(
      `llvm ${
        spec.requested.replace(/^(clang|llvm)-?/, "") || "build"
      } for host ${host.llvm}`,
      root,
      versions,
      spec.partial.split(".")[0] ?? "",
    );
  }
  const archive = byVersion.get(pick.version)!.sort((a, b) =>
    extRank(a) - extRank(b)
  )[0]!;
  const sign = signOf(archive, names);
  return {
    mirror,
    provider: "llvm",
    version: pick.version,
    archiveUrl: `${root}${encodeURIComponent(archive)}`,
    archiveName: archive,
    signUrl: sign ? `${root}${encodeURIComponent(sign)}` : null,
    sumsUrl: names.has("sha256sums.asc") ? `${root}sha256sums.asc` : null,
    listingUrl: root,
    ...(pick.substituteFor ? { substituteFor: pick.substituteFor } : {}),
  };
}

async function locateCrossPackageClang(
  mirror: Mirror,
  spec: CompilerSpec,
  options: SmallFetchOptions,
): Promise<Located> {
  const root = `${mirror.base}/`;
  const listed = new Set(dirs(await readListing(root, options)));
  const major = spec.partial.split(".")[0] ?? "";
  const layouts = crossPackageClangLayouts(major || "latest").filter((l) =>
    major ? l.dir === `clang-${major}` : l.dir !== "clang-latest" || true
  );
  const empty: string[] = [];
  for (const l of layouts) {
    if (!listed.has(l.dir)) continue;
    const dirUrl = `${root}${l.dir}/`;
    const names = files(await readListing(dirUrl, options));
    if (!names.has(l.archive)) {
      empty.push(`${dirUrl} has no ${l.archive}`);
      continue;
    }
    const sign = signOf(l.archive, names);
    return {
      mirror,
      provider: "cross-package",
      version: major || l.dir.replace(/^clang-?/, "") || "latest",
      archiveUrl: `${dirUrl}${encodeURIComponent(l.archive)}`,
      archiveName: l.archive,
      signUrl: sign ? `${dirUrl}${sign}` : null,
      sumsUrl: names.has("sha256sums.asc") ? `${dirUrl}sha256sums.asc` : null,
      listingUrl: dirUrl,
      topDir: l.top,
    };
  }
  // The one asked for is never "available instead", even when its dir is
  // listed but holds no archive.
  const majors = [...listed].map((d) => /^clang-([0-9]+)$/.exec(d)?.[1])
    .filter((m): m is string => !!m && m !== major);
  throw new NotOnMirror(
    empty.length
      ? `No ${spec.requested} on the mirror: ${empty.join("; ")}`
      : `No ${spec.requested} on the mirror: ${root} lists no ${
        major ? `clang-${major}/` : "clang-latest/ or clang/"
      } directory`,
    majors.map((m) => `clang-${m}`),
    majors.length
      ? `other clang builds listed there: ${
        majors.sort((a, b) => Number(a) - Number(b)).map((m) => `clang-${m}`)
          .join(", ")
      }`
      : "that mirror publishes no clang builds",
  );
}
