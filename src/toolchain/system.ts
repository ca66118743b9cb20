/**
 * The system provider: distro cross compilers on PATH (Debian's
 * `powerpc64-linux-gnu-gcc-12`, `powerpc64le-linux-gnu-gcc-11`), exposed under
 * crosstool names (`powerpc64-linux-gcc`, …) in a shim dir of symlinks so a
 * build sees one layout. Symlinks, not `exec -a` wrappers: gcc finds its own
 * paths by resolving argv[0], which a symlink keeps intact.
 *
 * @module
 */
import systemData from "../../toolchains/system.json" with { type: "json" };
import arches from "../../toolchains/arches.json" with { type: "json" };
import { InfraError } from "../errors.ts";
import { compareVersions } from "./catalog.ts";
import { exists, isExecutable, MARKER } from "./layout.ts";
import type { InstallMarker } from "./installed.ts";
import { runCaptured } from "../proc/run_captured.ts";

/** A distro cross gcc found on PATH. */
export interface SystemGcc {
  /** Debian triple, e.g. `powerpc64-linux-gnu`. */
  debian: string;
  /** Absolute path of the gcc driver. */
  exe: string;
  /** Full version (`gcc -dumpfullversion`), e.g. `12.2.0`. */
  version: string;
  /** The dir holding it (its binutils are looked up there first). */
  dir: string;
}

/** A distro clang found on the host. */
export interface SystemClang {
  binDir: string;
  version: string;
}

/**
 * Debian triples that may stand in for crosstool `triple`, best first: the
 * arch table's `debian` names, then `toolchains/system.json` candidates.
 *
 * @example
 * ```ts
 * import { debianCandidates } from "./system.ts";
 * if (debianCandidates("powerpc64-linux")[0] !== "powerpc64-linux-gnu") throw new Error();
 * ```
 */
export function debianCandidates(triple: string): string[] {
  const out: string[] = [];
  const table = arches as unknown as {
    arches: Record<
      string,
      {
        triple: string;
        debian?: string;
        rules?: { triple: string; debian?: string }[];
      }
    >;
  };
  for (const a of Object.values(table.arches)) {
    if (a.triple === triple && a.debian) out.push(a.debian);
    for (const r of a.rules ?? []) {
      if (r.triple === triple && r.debian) out.push(r.debian);
    }
  }
  const extra = (systemData.candidates as Record<string, string[]>)[triple] ??
    [];
  return [...new Set([...out, ...extra])];
}

/** The Debian package that installs gcc `major` for `debian`. */
export function debianPackage(debian: string, major?: number): string {
  return major === undefined
    ? `gcc-${debian}`
    : systemData.packages.replace("{major}", String(major)).replace(
      "{debian}",
      debian,
    );
}

/**
 * The `apt-get` argv that installs a distro gcc able to serve `triple`
 * (gcc `major` when given), or undefined when Debian has none.
 *
 * @example
 * ```ts
 * import { distroInstallArgv } from "./system.ts";
 * const a = distroInstallArgv("powerpc64-linux", 12);
 * if (a?.at(-1) !== "gcc-12-powerpc64-linux-gnu") throw new Error(a?.join(" "));
 * ```
 */
export function distroInstallArgv(
  triple: string,
  major?: number,
): string[] | undefined {
  const debian = debianCandidates(triple)[0];
  if (!debian) return undefined;
  return [
    "apt-get",
    "install",
    "-y",
    "--no-install-recommends",
    debianPackage(debian, major),
  ];
}

function pathDirs(path: string | undefined): string[] {
  return [...new Set((path ?? "/usr/bin").split(":").filter((d) => d))];
}

/**
 * Every distro gcc on PATH for `triple`, ordered by Debian-triple preference,
 * then newest version.
 */
export async function findSystemGccs(
  triple: string,
  options: { path?: string } = {},
): Promise<SystemGcc[]> {
  const path = options.path ?? Deno.env.get("PATH");
  const out: SystemGcc[] = [];
  const seen = new Set<string>();
  const candidates = debianCandidates(triple);
  for (const debian of candidates) {
    const re = new RegExp(
      `^${debian.replaceAll(".", "\\.")}-gcc(-[0-9]+(\\.[0-9]+)*)?$`,
    );
    const found: SystemGcc[] = [];
    for (const dir of pathDirs(path)) {
      let names: string[];
      try {
        names = [...Deno.readDirSync(dir)].map((e) => e.name);
      } catch {
        continue;
      }
      // Versioned names first: they say which gcc they are.
      const matching = names.filter((n) => re.test(n)).sort((a, b) =>
        b.length - a.length || (a < b ? -1 : 1)
      );
      for (const name of matching) {
        const exe = `${dir}/${name}`;
        if (!isExecutable(exe)) continue;
        const real = Deno.realPathSync(exe);
        if (seen.has(real)) continue;
        seen.add(real);
        const version = await dumpVersion(exe);
        if (version) found.push({ debian, exe, version, dir });
      }
    }
    found.sort((a, b) => compareVersions(b.version, a.version));
    out.push(...found);
  }
  return out;
}

async function dumpVersion(exe: string): Promise<string | undefined> {
  try {
    const r = await runCaptured([exe, "-dumpfullversion"], {
      stderr: "discard",
    });
    const v = r.stdout.trim();
    return r.success && /^[0-9]+(\.[0-9]+)*$/.test(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `exe` is the very distro build a report names: its `--version`
 * line carries `(<build>)`, e.g. `powerpc64-linux-gnu-gcc (Debian 12.2.0-14)
 * 12.2.0` for `Debian 12.2.0-14`.
 *
 * @example
 * if (typeof isDistroBuild !== "function") throw new Error();
 */
export async function isDistroBuild(
  exe: string,
  build: string,
): Promise<boolean> {
  try {
    const r = await runCaptured([exe, "--version"], { stderr: "discard" });
    const first = r.stdout.split("\n", 1)[0] ?? "";
    return r.success && first.includes(`(${build})`);
  } catch {
    return false;
  }
}

/** The shim dir of `gcc` exposed as `triple`, under `root`. */
export function shimDir(root: string, gcc: SystemGcc, triple: string): string {
  const base = gcc.exe.slice(gcc.exe.lastIndexOf("/") + 1);
  return `${root}/${base}-${gcc.version}/${triple}`;
}

/** Plans the shim links: `<triple>-<tool>` name → absolute target. */
export function planShims(
  gcc: SystemGcc,
  triple: string,
  options: { path?: string } = {},
): Record<string, string> {
  const major = gcc.version.split(".")[0];
  const links: Record<string, string> = {};
  const dirs = [gcc.dir, ...pathDirs(options.path ?? Deno.env.get("PATH"))];
  for (const tool of systemData.tools) {
    if (tool === "gcc") {
      links[`${triple}-gcc`] = gcc.exe;
      continue;
    }
    const names = systemData.versionedTools.includes(tool)
      ? [`${gcc.debian}-${tool}-${major}`, `${gcc.debian}-${tool}`]
      : [`${gcc.debian}-${tool}`];
    const target = names.flatMap((n) => dirs.map((d) => `${d}/${n}`)).find(
      isExecutable,
    );
    if (target) links[`${triple}-${tool}`] = target;
  }
  return links;
}

/**
 * Creates (once, atomically) the shim dir exposing `gcc` as `triple` and
 * returns its bin dir.
 *
 * @throws {InfraError} when the cache is not writable
 */
export function ensureShims(
  root: string,
  gcc: SystemGcc,
  triple: string,
  options: { path?: string } = {},
): string {
  const dir = shimDir(root, gcc, triple);
  if (exists(`${dir}/${MARKER}`)) return `${dir}/bin`;
  const staging = `${root}/.staging-${crypto.randomUUID()}`;
  try {
    Deno.mkdirSync(`${staging}/bin`, { recursive: true });
    for (
      const [name, target] of Object.entries(planShims(gcc, triple, options))
    ) {
      Deno.symlinkSync(target, `${staging}/bin/${name}`);
    }
    const marker: InstallMarker = {
      schema: 1,
      id: `system/${dir.slice(root.length + 1)}`,
      family: "gcc",
      version: gcc.version,
      provider: "system",
      triple,
      sourceUrl: `file://${gcc.exe}`,
      installedAt: new Date().toISOString(),
    };
    Deno.writeTextFileSync(
      `${staging}/${MARKER}`,
      JSON.stringify(marker, null, 2),
    );
    Deno.mkdirSync(dir.slice(0, dir.lastIndexOf("/")), { recursive: true });
    try {
      Deno.renameSync(staging, dir);
    } catch (error) {
      // Another process won the race: its shims are identical.
      if (!exists(`${dir}/${MARKER}`)) throw error;
    }
  } catch (error) {
    throw new InfraError(`Cannot create compiler shims in "${root}"`, {
      cause: error,
      hint:
        "check that the cache directory is writable, or set KCROSS_CACHE_DIR",
    });
  } finally {
    try {
      Deno.removeSync(staging, { recursive: true });
    } catch { /* already renamed */ }
  }
  return `${dir}/bin`;
}

/** Distro clang installs (`/usr/lib/llvm-<N>/bin`), newest first. */
export async function findSystemClangs(): Promise<SystemClang[]> {
  const out: SystemClang[] = [];
  for (const major of systemData.clang.majors) {
    for (const t of systemData.clang.binDirs) {
      const binDir = t.replace("{major}", String(major));
      if (!isExecutable(`${binDir}/clang`)) continue;
      const r = await runCaptured([`${binDir}/clang`, "--version"], {
        stderr: "discard",
      });
      const m = /clang version ([0-9]+\.[0-9]+\.[0-9]+)/.exec(r.stdout);
      if (m) out.push({ binDir, version: m[1]! });
    }
  }
  return out;
}
