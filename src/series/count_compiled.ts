/**
 * Counts the objects a build compiled, from kbuild's short log lines
 * (`  CC [M]  drivers/vfio/vfio_main.o`, `  CC      init/main.o`): the
 * measure of how incremental a series step was.
 *
 * @module
 */

const CC_RE = /^ {2}CC( \[M\])? +\S+$/;

/**
 * How many `CC` lines `log` has.
 *
 * @example
 * ```ts
 * import { countCompiledLines } from "./count_compiled.ts";
 * const log = "  CC [M]  drivers/vfio/vfio_main.o\n  LD [M]  x.ko\n  HOSTCC  scripts/x\n  CC      kernel/bounds.s\n";
 * if (countCompiledLines(log) !== 2) throw new Error();
 * ```
 */
export function countCompiledLines(log: string): number {
  let n = 0;
  for (const line of log.split("\n")) if (CC_RE.test(line)) n++;
  return n;
}

/**
 * Counts the `CC` lines of a build record's `build.log` (make's raw output),
 * or undefined when the record has none.
 */
export async function countCompiledInRecord(
  recordDir: string,
): Promise<number | undefined> {
  try {
    return countCompiledLines(
      await Deno.readTextFile(`${recordDir}/build.log`),
    );
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
