/**
 * The kernel version make.cross compares against (`make kernelversion`),
 * read straight from the source tree's top Makefile.
 *
 * @module
 */

/** A kernel version as kbuild.sh compares it: MAJOR*100+MINOR. */
export interface KernelVersion {
  /** As printed by `make kernelversion`, e.g. `6.1.0-rc3`. */
  text: string;
  major: number;
  minor: number;
}

/**
 * Parses `make kernelversion` output the way kbuild.sh does (`cut -d. -f1`,
 * `cut -d. -f2`), or null when it has no usable major/minor.
 *
 * @example
 * ```ts
 * import { parseKernelVersion } from "./kernel_version.ts";
 * const v = parseKernelVersion("6.10.0-rc2")!;
 * if (v.major !== 6 || v.minor !== 10) throw new Error();
 * if (parseKernelVersion("") !== null) throw new Error();
 * ```
 */
export function parseKernelVersion(text: string): KernelVersion | null {
  const t = text.trim();
  const [maj, min] = t.split(".");
  const major = /^\d+/.exec(maj ?? "")?.[0];
  const minor = /^\d+/.exec(min ?? "")?.[0];
  if (major === undefined || minor === undefined) return null;
  return { text: t, major: Number(major), minor: Number(minor) };
}

/**
 * kbuild.sh's `is_kernel_version OP X.Y`: false whenever the version is
 * unknown (make.cross prints "empty parameter" and the test fails).
 *
 * @example
 * ```ts
 * import { kernelVersionIs, parseKernelVersion } from "./kernel_version.ts";
 * const v = parseKernelVersion("5.15.0");
 * if (!kernelVersionIs(v, ">", "5.14")) throw new Error();
 * if (kernelVersionIs(null, "<", "5.7") || kernelVersionIs(null, ">=", "5.7")) throw new Error();
 * ```
 */
export function kernelVersionIs(
  v: KernelVersion | null,
  op: "<" | "<=" | ">" | ">=" | "==" | "!=",
  other: string,
): boolean {
  if (!v) return false;
  const [a, b] = other.split(".");
  const lhs = v.major * 100 + v.minor;
  const rhs = Number(a) * 100 + Number(b ?? 0);
  switch (op) {
    case "<":
      return lhs < rhs;
    case "<=":
      return lhs <= rhs;
    case ">":
      return lhs > rhs;
    case ">=":
      return lhs >= rhs;
    case "==":
      return lhs === rhs;
    case "!=":
      return lhs !== rhs;
  }
}

function field(makefile: string, name: string): string | undefined {
  const m = new RegExp(`^${name}[ \\t]*=[ \\t]*(.*)$`, "m").exec(makefile);
  return m ? m[1]!.trim() : undefined;
}

/**
 * What `make -C dir kernelversion` prints, from `dir/Makefile` (following the
 * `include` line of a kbuild output dir's generated Makefile), or null when
 * the directory holds no kernel Makefile.
 */
export async function readKernelVersion(dir: string): Promise<string | null> {
  return (await readKernelVersionWithFiles(dir)).version;
}

/**
 * `readKernelVersion`, with the Makefiles it read (what a cached answer
 * depends on).
 */
export async function readKernelVersionWithFiles(
  dir: string,
): Promise<{ version: string | null; files: string[] }> {
  const files: string[] = [];
  let path = `${dir}/Makefile`;
  for (let hop = 0; hop < 3; hop++) {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return { version: null, files };
      if (e instanceof Deno.errors.IsADirectory) {
        return { version: null, files };
      }
      throw e;
    }
    files.push(path);
    const version = field(text, "VERSION");
    if (version !== undefined) {
      const patch = field(text, "PATCHLEVEL") ?? "";
      const sub = field(text, "SUBLEVEL") ?? "";
      const extra = field(text, "EXTRAVERSION") ?? "";
      return {
        version: `${version}${
          patch ? `.${patch}${sub ? `.${sub}` : ""}` : ""
        }${extra}`,
        files,
      };
    }
    const inc = /^include[ \t]+(\S+)/m.exec(text)?.[1];
    if (!inc) return { version: null, files };
    path = inc.startsWith("/") ? inc : `${dir}/${inc}`;
  }
  return { version: null, files };
}
