/**
 * Which objects of an incremental build dir a reproduction must recompile.
 *
 * A diagnostic is printed when its file is compiled. In a build dir kept from
 * an earlier run (same slot, same arch) make finds the objects up to date and
 * prints nothing, so a second `repro` of the same report would come out
 * `not-reproduced`. The robot builds from scratch; repro gets the same
 * output by removing, before make runs, the objects of the report's
 * directory and file targets and of every reported `.c`/`.S` file. ccache
 * (on by default) replays the compiler's messages, so this costs little.
 * `buildReproAt`'s `recompile` (shared with `verify`) removes them.
 *
 * @module
 */

/**
 * Build-dir paths (relative) whose `.o` files are removed: for a directory
 * target (`drivers/usb/dwc2/`) the directory, for an object-like file target
 * (`drivers/foo/bar.o`, `.i`, `.s`, `.lst`) that `.o`, and for each reported
 * `.c`/`.S` file its `.o`. Whole-tree targets (`vmlinux`, `modules`, `all`…)
 * name nothing. Paths that climb out (`..`) or are absolute are dropped.
 *
 * ```ts
 * import { freshObjectPaths } from "./fresh_objects.ts";
 * const p = freshObjectPaths(["drivers/usb/dwc2/", "vmlinux"], ["lib/a.c", "include/x.h"]);
 * if (p.dirs.join() !== "drivers/usb/dwc2" || p.files.join() !== "lib/a.o") throw new Error();
 * ```
 */
export function freshObjectPaths(
  targets: string[],
  reportedFiles: string[],
): { dirs: string[]; files: string[] } {
  const dirs = new Set<string>();
  const files = new Set<string>();
  const safe = (p: string) =>
    p !== "" && p !== "." && !p.startsWith("/") &&
    !p.split("/").includes("..");
  for (const t of targets) {
    if (t.endsWith("/")) {
      const d = t.replace(/\/+$/, "");
      if (safe(d)) dirs.add(d);
    } else if (/\.(o|i|s|lst)$/.test(t) && t.includes("/")) {
      const o = t.replace(/\.(i|s|lst)$/, ".o");
      if (safe(o)) files.add(o);
    }
  }
  for (const f of reportedFiles) {
    const p = f.replace(/^\.\//, "");
    if (/\.[cS]$/.test(p) && safe(p)) files.add(p.replace(/\.[cS]$/, ".o"));
  }
  return { dirs: [...dirs].sort(), files: [...files].sort() };
}

/**
 * The `.o` files under build-dir directories `dirs` (relative to `outDir`,
 * walked recursively, symlinks not followed), as paths relative to `outDir`.
 * A directory not built yet has none.
 */
export async function objectsUnder(
  outDir: string,
  dirs: readonly string[],
): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(`${outDir}/${rel}`));
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
      throw e;
    }
    for (const e of entries) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (e.isFile && e.name.endsWith(".o")) found.push(p);
    }
  };
  for (const d of dirs) await walk(d);
  return found.sort();
}
