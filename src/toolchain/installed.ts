/**
 * Finding toolchains already on disk, in a COMPILER_INSTALL_PATH (make.cross
 * installs, no marker needed) or in kcross's cache (marker required, since
 * only a marked dir is known to be complete).
 *
 * @module
 */
import { compareVersions } from "./catalog.ts";
import { exists, gccDir, isExecutable, llvmDir } from "./layout.ts";
import { type InstallMarker, readMarker } from "../fetch/marker.ts";
export { type InstallMarker, readMarker } from "../fetch/marker.ts";
import { hostNames } from "./naming.ts";

/** This machine's LLVM host suffix (`x86_64`, `aarch64`). */
const LLVM_HOST = hostNames().llvm;
const LLVM_DIR = new RegExp(
  `^llvm-([0-9]+\\.[0-9]+\\.[0-9]+(?:-rc[0-9]+)?)-${LLVM_HOST}$`,
);

/** An installed toolchain found on disk. */
export interface InstalledToolchain {
  dir: string;
  binDir: string;
  marker: InstallMarker | undefined;
}

/**
 * The crosstool gcc `version` for `triple` under `root`, if installed.
 *
 * @param options.requireMarker only accept kcross-completed installs
 */
export function findInstalledGcc(
  root: string,
  version: string,
  triple: string,
  options: { requireMarker: boolean },
): InstalledToolchain | undefined {
  const dir = gccDir(root, version, triple);
  if (!isExecutable(`${dir}/bin/${triple}-gcc`)) return undefined;
  const marker = readMarker(dir);
  if (options.requireMarker && !marker) return undefined;
  return { dir, binDir: `${dir}/bin`, marker };
}

/** gcc's libexec dir of an install (make.cross adds it to LD_LIBRARY_PATH). */
export function gccLibexecDir(
  dir: string,
  version: string,
  triple: string,
): string | undefined {
  const d = `${dir}/libexec/gcc/${triple}/${version}`;
  return exists(d) ? d : undefined;
}

/** The kernel.org LLVM `version` under `root`, if installed. */
export function findInstalledLlvm(
  root: string,
  version: string,
  options: { requireMarker: boolean },
): InstalledToolchain | undefined {
  const dir = llvmDir(root, version, LLVM_HOST);
  if (!isExecutable(`${dir}/bin/clang`)) return undefined;
  const marker = readMarker(dir);
  if (options.requireMarker && !marker) return undefined;
  return { dir, binDir: `${dir}/bin`, marker };
}

/**
 * An 01.org cross-package clang (`<root>/clang-<major>/bin/clang`, as
 * make.cross installs it from download.01.org), if installed.
 */
export function findInstalledCrossClang(
  root: string,
  major: string,
  options: { requireMarker: boolean },
): InstalledToolchain | undefined {
  const dir = `${root}/clang-${major}`;
  if (!isExecutable(`${dir}/bin/clang`)) return undefined;
  const marker = readMarker(dir);
  if (options.requireMarker && !marker) return undefined;
  return { dir, binDir: `${dir}/bin`, marker };
}

/** gcc versions installed for `triple` under `root`, newest first. */
export function installedGccVersions(
  root: string,
  triple: string,
  options: { requireMarker: boolean },
): string[] {
  const out: string[] = [];
  for (const name of listDir(root)) {
    const m = /^gcc-([0-9]+\.[0-9]+\.[0-9]+)-nolibc$/.exec(name);
    if (m && findInstalledGcc(root, m[1]!, triple, options)) out.push(m[1]!);
  }
  return out.sort((a, b) => compareVersions(b, a));
}

/** LLVM versions installed under `root`, newest first. */
export function installedLlvmVersions(
  root: string,
  options: { requireMarker: boolean },
): string[] {
  const out: string[] = [];
  for (const name of listDir(root)) {
    const m = LLVM_DIR.exec(name);
    if (m && findInstalledLlvm(root, m[1]!, options)) out.push(m[1]!);
  }
  return out.sort((a, b) => compareVersions(b, a));
}

/** Every installed toolchain dir under `root` (any triple), for listings. */
export function listInstalled(
  root: string,
  options: { requireMarker: boolean },
): {
  family: "gcc" | "clang";
  version: string;
  triple?: string;
  dir: string;
}[] {
  const out: {
    family: "gcc" | "clang";
    version: string;
    triple?: string;
    dir: string;
  }[] = [];
  for (const name of listDir(root).sort()) {
    const g = /^gcc-([0-9]+\.[0-9]+\.[0-9]+)-nolibc$/.exec(name);
    if (g) {
      for (const triple of listDir(`${root}/${name}`).sort()) {
        if (findInstalledGcc(root, g[1]!, triple, options)) {
          out.push({
            family: "gcc",
            version: g[1]!,
            triple,
            dir: gccDir(root, g[1]!, triple),
          });
        }
      }
    }
    const l = LLVM_DIR.exec(name);
    if (l && findInstalledLlvm(root, l[1]!, options)) {
      out.push({
        family: "clang",
        version: l[1]!,
        dir: llvmDir(root, l[1]!, LLVM_HOST),
      });
    }
    const c = /^clang-([0-9]+)$/.exec(name);
    if (c && findInstalledCrossClang(root, c[1]!, options)) {
      out.push({ family: "clang", version: c[1]!, dir: `${root}/${name}` });
    }
  }
  return out;
}

function listDir(dir: string): string[] {
  try {
    return [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).map((e) =>
      e.name
    );
  } catch {
    return [];
  }
}
