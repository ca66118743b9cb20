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
 * Counts the `CC` lines of the build log(s) in a build record directory
 * (every `*.log` file directly in it), or undefined when it has none.
 */
export async function countCompiledInRecord(
  recordDir: string,
): Promise<number | undefined> {
  let total: number | undefined;
  try {
    for await (const e of Deno.readDir(recordDir)) {
      if (!e.isFile || !e.name.endsWith(".log")) continue;
      total = (total ?? 0) +
        countCompiledLines(await Deno.readTextFile(`${recordDir}/${e.name}`));
    }
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
  return total;
}
