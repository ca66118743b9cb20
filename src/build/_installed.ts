/**
 * make.cross's lookups of already installed toolchains in
 * COMPILER_INSTALL_PATH: a prefix glob, `sort -V`, the last one.
 *
 * @module
 */
import type { ResolvedToolchain } from "../toolchain/types.ts";
import { lastByVersion } from "./version_sort.ts";

async function entries(dir: string, prefix: string): Promise<string[]> {
  const out: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (e.name.startsWith(prefix) && !e.name.startsWith(".")) {
        out.push(e.name);
      }
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return [];
    if (e instanceof Deno.errors.NotADirectory) return [];
    throw e;
  }
  return out;
}

async function statOrNull(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    if (e instanceof Deno.errors.NotADirectory) return null;
    throw e;
  }
}

async function executable(path: string): Promise<boolean> {
  const st = await statOrNull(path);
  return !!st && st.isFile && ((st.mode ?? 0o755) & 0o111) !== 0;
}

/** `$dir/<prefix>*<rest>` with bash nullglob: the existing paths. */
async function glob(dir: string, prefix: string, rest: string) {
  const found: string[] = [];
  for (const name of await entries(dir, prefix)) {
    const p = `${dir}/${name}${rest}`;
    if (await statOrNull(p)) found.push(p);
  }
  return found;
}

/**
 * `$CIP/${COMPILER}*` + `/${triple}/bin/${triple}-gcc`, newest by `sort -V`,
 * when executable (make.cross `get_installed_cross_gcc`).
 */
export async function findInstalledGcc(
  cip: string,
  compiler: string,
  triple: string,
): Promise<string | undefined> {
  const last = lastByVersion(
    await glob(cip, compiler, `/${triple}/bin/${triple}-gcc`),
  );
  return last && await executable(last) ? last : undefined;
}

/** The newest `$CIP/${COMPILER}*\/<triple>/libexec/gcc/<triple>/*` directory. */
export async function findGccLibexec(
  cip: string,
  compiler: string,
  triple: string,
): Promise<string | undefined> {
  const parents = await glob(cip, compiler, `/${triple}/libexec/gcc/${triple}`);
  const all: string[] = [];
  for (const p of parents) {
    for (const name of await entries(p, "")) all.push(`${p}/${name}`);
  }
  const last = lastByVersion(all);
  const st = last ? await statOrNull(last) : null;
  return st?.isDirectory ? last : undefined;
}

/**
 * make.cross `get_installed_cross_clang`: with `URL` unset or naming
 * cdn.kernel.org, `$CIP/${COMPILER//clang/llvm}*\/bin/clang` (newest);
 * otherwise the 0day layout `$CIP/$COMPILER/bin/clang`.
 */
export async function findInstalledClang(
  cip: string,
  compiler: string,
  url: string | undefined,
): Promise<string | undefined> {
  let found: string | undefined;
  if (!url || url.includes("cdn.kernel.org")) {
    found = lastByVersion(
      await glob(cip, compiler.replaceAll("clang", "llvm"), "/bin/clang"),
    );
  } else {
    found = `${cip}/${compiler}/bin/clang`;
  }
  return found && await executable(found) ? found : undefined;
}

/**
 * Whether `version` satisfies the request: a bare family, a prefix at
 * dot boundaries (`gcc-11` ← 11.5.0) or the exact version.
 *
 * @example
 * ```ts
 * import { versionSatisfies } from "./_installed.ts";
 * if (!versionSatisfies("gcc-11", "11.5.0") || versionSatisfies("gcc-11.2.0", "11.5.0")) throw new Error();
 * if (!versionSatisfies("gcc", "13.2.0") || !versionSatisfies("clang-17", "17.0.6")) throw new Error();
 * ```
 */
export function versionSatisfies(requested: string, version: string): boolean {
  const want = /-(\d[\w.]*)$/.exec(requested)?.[1];
  if (!want) return true;
  return version === want || version.startsWith(`${want}.`);
}

/** Identity of a gcc found by `findInstalledGcc`. */
export function gccToolchain(
  cip: string,
  gccPath: string,
  options: { compiler: string; triple: string; libexecDir?: string },
): ResolvedToolchain {
  const binDir = gccPath.slice(0, gccPath.lastIndexOf("/"));
  const rel = gccPath.slice(cip.length).replace(/^\/+/, "");
  const top = rel.slice(0, rel.indexOf("/"));
  const version = /^gcc-(\d[^-]*)/.exec(top)?.[1] ??
    /(\d+(?:\.\d+)+)/.exec(top)?.[1] ?? "unknown";
  return {
    id: `${top}/${options.triple}`,
    family: "gcc",
    requested: options.compiler,
    version,
    provider: top.endsWith("-nolibc") ? "crosstool" : "cross-package",
    exact: versionSatisfies(options.compiler, version),
    triple: options.triple,
    binDir,
    crossCompile: gccPath.slice(0, -"gcc".length),
    ...(options.libexecDir ? { libexecDir: options.libexecDir } : {}),
  };
}

/** Identity of a clang found by `findInstalledClang`. */
export function clangToolchain(
  cip: string,
  clangPath: string,
  options: { compiler: string; triple: string },
): ResolvedToolchain {
  const binDir = clangPath.slice(0, clangPath.lastIndexOf("/"));
  const top = binDir.slice(cip.length).replace(/^\/+/, "").split("/")[0] ?? "";
  const version = /(\d+(?:\.\d+)*)/.exec(top)?.[1] ?? "unknown";
  return {
    id: top,
    family: "clang",
    requested: options.compiler,
    version,
    provider: top.startsWith("llvm-") ? "llvm" : "cross-package",
    exact: versionSatisfies(options.compiler, version),
    triple: options.triple,
    binDir,
    crossCompile: `${options.triple}-`,
  };
}
