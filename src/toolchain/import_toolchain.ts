/**
 * `kcross toolchain import <tarball>`: install a local crosstool or LLVM
 * tarball through the same verified, atomic, safe pipeline as a download.
 *
 * @module
 */
import { sha256File } from "../util/mod.ts";
import type { Output } from "../util/output.ts";
import { InfraError, UserError } from "../errors.ts";
import { type InstallResult, installToolchain } from "../fetch/install.ts";
import { planFetch } from "./plan_fetch.ts";
import { runCaptured } from "../proc/run_captured.ts";

/** What an archive holds, from its member names. */
export interface ArchiveIdentity {
  family: "gcc" | "clang";
  version: string;
  triple?: string;
}

/**
 * Finds the toolchain in a member list: `gcc-<v>-nolibc/<t>/bin/<t>-gcc` or
 * `llvm-<v>-x86_64/bin/clang`.
 *
 * @throws {UserError} when none or several are present
 * @example
 * ```ts
 * import { identifyArchive } from "./import_toolchain.ts";
 * const id = identifyArchive(["gcc-9.3.0-nolibc/m68k-linux/bin/m68k-linux-gcc"], "a.tar.xz");
 * if (id.version !== "9.3.0" || id.triple !== "m68k-linux") throw new Error();
 * ```
 */
export function identifyArchive(
  members: string[],
  name: string,
): ArchiveIdentity {
  const found = new Map<string, ArchiveIdentity>();
  for (const raw of members) {
    const m = raw.replace(/^\.\//, "");
    const g = /^gcc-([0-9]+\.[0-9]+\.[0-9]+)-nolibc\/([^/]+)\/bin\/([^/]+)-gcc$/
      .exec(m);
    if (g && g[2] === g[3]) {
      found.set(m, { family: "gcc", version: g[1]!, triple: g[2]! });
    }
    const l = /^llvm-([0-9]+\.[0-9]+\.[0-9]+)-x86_64\/bin\/clang$/.exec(m);
    if (l) found.set(m, { family: "clang", version: l[1]! });
  }
  const ids = [...found.values()];
  if (ids.length === 0) {
    throw new UserError(`"${name}" is not a toolchain archive kcross knows`, {
      hint:
        "expected gcc-<version>-nolibc/<triple>/bin/<triple>-gcc (kernel.org crosstool) or llvm-<version>-x86_64/bin/clang",
    });
  }
  if (ids.length > 1) {
    throw new UserError(`"${name}" holds several toolchains`, {
      hint: "import one archive per toolchain",
    });
  }
  return ids[0]!;
}

async function listMembers(tarball: string): Promise<string[]> {
  let r;
  try {
    r = await runCaptured(["tar", "-tf", tarball], { env: { LANG: "C" } });
  } catch (error) {
    throw new InfraError(`Cannot run "tar" to read "${tarball}"`, {
      cause: error,
    });
  }
  if (!r.success) {
    throw new UserError(`Cannot read "${tarball}" as a tar archive`, {
      hint: r.stderr.trim().split("\n")[0] ?? "",
    });
  }
  return r.stdout.split("\n").filter((l) => l);
}

/**
 * Imports `tarball` into `root` (kcross's toolchain dir or an install path).
 *
 * @throws {UserError} missing file or unknown layout
 * @throws {InfraError} unsafe members, disk
 */
export async function importToolchain(
  tarball: string,
  options: { root: string; cacheDir: string; out?: Output },
): Promise<InstallResult & ArchiveIdentity> {
  let abs: string;
  try {
    abs = Deno.realPathSync(tarball);
  } catch {
    throw new UserError(`No such file "${tarball}"`);
  }
  const name = abs.slice(abs.lastIndexOf("/") + 1);
  const id = identifyArchive(await listMembers(abs), name);
  const plan = planFetch({
    family: id.family,
    version: id.version,
    ...(id.triple ? { triple: id.triple } : {}),
    mirrors: [],
    root: options.root,
    cacheDir: options.cacheDir,
  });
  plan.sources = [{
    mirror: { name: "import", base: "file://", layout: "crosstool" },
    url: `file://${abs}`,
    sumsUrl: null,
    listingUrl: `file://${abs}`,
    provider: "import",
  }];
  plan.archiveName = name;
  plan.pinnedSha256 = await sha256File(abs);
  plan.pinnedBy = "import";
  plan.partFile =
    `${options.cacheDir}/downloads/import-${plan.pinnedSha256}.part`;
  const res = await installToolchain(
    plan,
    options.out ? { out: options.out } : {},
  );
  return { ...res, ...id };
}
