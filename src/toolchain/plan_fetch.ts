/**
 * Planning a toolchain download: mirrors from data (or `--mirror` /
 * `KCROSS_MIRROR`), the archive URL on each, the checksum source, and every
 * path the install will touch. Pure: no I/O.
 *
 * @module
 */
import mirrorData from "../../toolchains/mirrors.json" with { type: "json" };
import pins from "../../toolchains/pins.json" with { type: "json" };
import { UserError } from "../errors.ts";
import type { Family } from "./catalog.ts";
import { publishedBy } from "./catalog.ts";
import { gccDir, gccId, idSlug, llvmDir, llvmId } from "./layout.ts";
import type {
  FetchPlan,
  FetchSource,
  ListedArchive,
  Mirror,
} from "../fetch/types.ts";
export type {
  FetchPlan,
  FetchSource,
  ListedArchive,
  Mirror,
} from "../fetch/types.ts";

type Layouts = Record<
  string,
  { provider: string; archive: string; sums: string | null; listing: string }
>;

const layouts = mirrorData.layouts as unknown as Layouts;

function fill(
  template: string,
  vars: Record<string, string>,
): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? "");
}

/**
 * Parses a `--mirror` / `KCROSS_MIRROR` value. A bare base URL serves the
 * kernel.org layout; make.cross-style `URL=` values are accepted too
 * (`…/pub/tools/crosstool/files/bin/x86_64`, `…/pub/tools/llvm/files`,
 * `…/0day-ci/cross-package`); `cross-package:<url>` forces that layout.
 *
 * @example
 * ```ts
 * import { parseMirror } from "./plan_fetch.ts";
 * const m = parseMirror("https://cdn.kernel.org/pub/tools/crosstool/files/bin/x86_64", "gcc");
 * if (m.base !== "https://cdn.kernel.org" || m.layout !== "crosstool") throw new Error();
 * ```
 */
export function parseMirror(value: string, family: Family): Mirror {
  let v = value.trim().replace(/\/+$/, "");
  let layout: Mirror["layout"] | undefined;
  const forced = /^(crosstool|cross-package|llvm):(.*)$/.exec(v);
  if (forced) {
    layout = forced[1] as Mirror["layout"];
    v = forced[2]!.replace(/\/+$/, "");
  }
  if (!/^(https?|file):\/\//.test(v)) {
    throw new UserError(`Bad mirror URL "${value}"`, {
      hint: "give an http(s) base URL such as https://cdn.kernel.org",
    });
  }
  for (
    const suffix of [
      "/pub/tools/crosstool/files/bin/x86_64",
      "/pub/tools/llvm/files",
    ]
  ) {
    if (v.endsWith(suffix)) v = v.slice(0, -suffix.length);
  }
  if (!layout) {
    layout = /cross-package$/.test(v)
      ? "cross-package"
      : family === "gcc"
      ? "crosstool"
      : "llvm";
  }
  return { name: v, base: v, layout };
}

/**
 * Mirrors to try, in order: explicit ones, else `KCROSS_MIRROR`
 * (comma/space separated), else `toolchains/mirrors.json`.
 */
export function mirrorsFor(
  family: Family,
  explicit: string[] | undefined,
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): Mirror[] {
  const given = explicit?.length
    ? explicit
    : (env("KCROSS_MIRROR") ?? "").split(/[\s,]+/).filter((s) => s);
  if (given.length) return given.map((g) => parseMirror(g, family));
  return (mirrorData[family] as Mirror[]).map((m) => ({ ...m }));
}

/**
 * The lock that serialises everything that changes `<root>/<id>` (install,
 * `cache gc`): it lives in the install root, not in a cache, because two
 * processes with different caches may share one `COMPILER_INSTALL_PATH`.
 *
 * @example
 * ```ts
 * import { installLockFile } from "./plan_fetch.ts";
 * if (installLockFile("/r", "gcc-12.2.0-nolibc/powerpc64-linux") !== "/r/.kcross-locks/gcc-12.2.0-nolibc__powerpc64-linux.lock") throw new Error();
 * ```
 */
export function installLockFile(root: string, id: string): string {
  return `${root}/.kcross-locks/${idSlug(id)}.lock`;
}

/**
 * Refuses a value that cannot be one plain path component (`..`, `/`,
 * spaces, a leading `-` or `.`).
 *
 * @throws {UserError}
 */
function assertPathWord(value: string, what: string): void {
  if (
    !/^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/.test(value) || value.includes("..")
  ) {
    throw new UserError(`Bad ${what} "${value.slice(0, 100)}"`, {
      hint:
        "a version or triple is letters, digits, dots and dashes (e.g. gcc-12.2.0, powerpc64-linux)",
    });
  }
}

/** Inputs of `planFetch`. */
export interface PlanFetchInput {
  family: Family;
  version: string;
  /** Crosstool triple (gcc only). */
  triple?: string;
  mirrors: Mirror[];
  root: string;
  cacheDir: string;
  /** The archive as a mirror listing names it: the one source to use. */
  listed?: ListedArchive;
  /** LLVM host suffix (`x86_64`, `aarch64`; default `x86_64`). */
  llvmHost?: string;
}

/**
 * Plans the install of one toolchain.
 *
 * @example
 * ```ts
 * import { planFetch } from "./plan_fetch.ts";
 * const p = planFetch({ family: "gcc", version: "12.2.0", triple: "powerpc64-linux",
 *   mirrors: [{ name: "k", base: "http://m", layout: "crosstool" }], root: "/r", cacheDir: "/c" });
 * if (p.sources[0]!.url !== "http://m/pub/tools/crosstool/files/bin/x86_64/12.2.0/x86_64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz") throw new Error();
 * if (p.finalDir !== "/r/gcc-12.2.0-nolibc/powerpc64-linux") throw new Error();
 * ```
 */
export function planFetch(input: PlanFetchInput): FetchPlan {
  const { family, version, root, cacheDir } = input;
  const triple = input.listed?.fileTriple ?? input.triple;
  if (family === "gcc" && !triple) {
    throw new UserError(`A gcc toolchain needs a target triple`);
  }
  // Each becomes a path component under the install root: a "../x" would
  // make the install rename or replace a directory outside it.
  assertPathWord(version, "toolchain version");
  if (triple !== undefined) assertPathWord(triple, "target triple");
  if (input.listed?.topDir !== undefined) {
    assertPathWord(input.listed.topDir, "archive directory");
  }
  if (input.llvmHost !== undefined) assertPathWord(input.llvmHost, "host");
  if (input.listed) return planListed(input, input.listed, triple);
  const vars = { version, triple: triple ?? "" };
  const sources = input.mirrors
    .filter((m) => (family === "gcc") === (m.layout !== "llvm"))
    .map((mirror): FetchSource => {
      const l = layouts[mirror.layout]!;
      const v = { ...vars, base: mirror.base };
      return {
        mirror,
        url: fill(l.archive, v),
        sumsUrl: l.sums ? fill(l.sums, v) : null,
        listingUrl: fill(l.listing, v),
        provider: mirror.layout,
      };
    });
  // Prefer mirrors known to publish this version; keep the others as fallbacks.
  const published = publishedBy(family, version);
  sources.sort((a, b) =>
    Number(!published.includes(a.provider)) -
    Number(!published.includes(b.provider))
  );
  const id = family === "gcc"
    ? gccId(version, triple!)
    : llvmId(version, input.llvmHost);
  const archiveName = sources[0]
    ? sources[0].url.slice(sources[0].url.lastIndexOf("/") + 1)
    : `${idSlug(id)}.tar.xz`;
  return {
    id,
    family,
    version,
    triple,
    archiveName,
    sources,
    pinnedSha256: (pins.sha256 as Record<string, string>)[archiveName],
    root,
    finalDir: family === "gcc"
      ? gccDir(root, version, triple!)
      : llvmDir(root, version, input.llvmHost),
    archiveTopDir: id,
    checkFile: family === "gcc" ? `bin/${triple}-gcc` : "bin/clang",
    stagingParent: `${root}/.kcross-staging`,
    partFile: `${cacheDir}/downloads/${archiveName}.part`,
    lockFile: installLockFile(root, id),
    downloadLockFile: `${cacheDir}/locks/${idSlug(id)}.lock`,
  };
}

function planListed(
  input: PlanFetchInput,
  listed: ListedArchive,
  triple: string | undefined,
): FetchPlan {
  const { family, version, root, cacheDir } = input;
  const llvmHost = /-(aarch64|x86_64)\.tar\./.exec(listed.archiveName)?.[1];
  const id = family === "gcc"
    ? gccId(version, triple!)
    : listed.topDir ?? llvmId(version, llvmHost);
  const archiveName = listed.archiveName;
  return {
    id,
    family,
    version,
    triple,
    archiveName,
    sources: [{
      mirror: listed.mirror,
      url: listed.archiveUrl,
      sumsUrl: listed.sumsUrl,
      listingUrl: listed.listingUrl,
      provider: listed.provider,
      signUrl: listed.signUrl,
    }],
    pinnedSha256: (pins.sha256 as Record<string, string>)[archiveName],
    root,
    finalDir: family === "gcc"
      ? gccDir(root, version, triple!)
      : `${root}/${id}`,
    archiveTopDir: id,
    checkFile: family === "gcc" ? `bin/${triple}-gcc` : "bin/clang",
    stagingParent: `${root}/.kcross-staging`,
    // 01.org's clang.tar.xz is not a unique name: prefix its id.
    partFile: `${cacheDir}/downloads/${
      listed.topDir ? `${idSlug(id)}--` : ""
    }${archiveName}.part`,
    lockFile: installLockFile(root, id),
    downloadLockFile: `${cacheDir}/locks/${idSlug(id)}.lock`,
  };
}
