/**
 * The objects a build compiled, from kbuild's short log lines (`  CC [M]
 * drivers/vfio/vfio_main.o`, `  CHECK   drivers/x.c`, `  AS      x.o`):
 * what an incremental build rebuilt.
 *
 * @module
 */

const STEP_RE = /^ {2}(?:CC|AS|CHECK)(?: \[M\])? +(\S+)$/;

/**
 * The objects (and checked files) named by `log`'s kbuild steps.
 *
 * @example
 * ```ts
 * import { rebuiltObjects } from "./rebuilt_objects.ts";
 * const s = rebuiltObjects("  CC [M]  drivers/vfio/vfio_main.o\n  LD [M]  x.ko\n  CC      init/main.o\n");
 * if (!s.has("drivers/vfio/vfio_main.o") || !s.has("init/main.o") || s.size !== 2) throw new Error();
 * ```
 */
export function rebuiltObjects(log: string): Set<string> {
  const out = new Set<string>();
  for (const line of log.split("\n")) {
    const m = STEP_RE.exec(line.trimEnd());
    if (m) out.add(m[1]!);
  }
  return out;
}

/**
 * The objects a build record's `build.log` compiled, or undefined when the
 * record has no log (then nothing is assumed about what was rebuilt).
 */
export async function rebuiltInRecord(
  recordDir: string,
): Promise<Set<string> | undefined> {
  try {
    return rebuiltObjects(await Deno.readTextFile(`${recordDir}/build.log`));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}
