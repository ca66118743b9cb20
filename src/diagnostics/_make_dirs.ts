/**
 * What make's own lines say about where the build runs: the directory
 * relative paths resolve against (`Entering`/`Leaving directory`), kbuild's
 * objtree (the latest directory entered), and the source tree a
 * `make[N]: *** [SRCTREE/scripts/Makefile.build:NNN: x.o] Error 1` line
 * gives away.
 *
 * @module
 */
import { MAKE_DIR_RE } from "./_patterns.ts";
import { resolveAgainst } from "./_paths.ts";
import type { DirCaches } from "./_dir_caches.ts";

/** Follows make's directory lines, setting the current directory of `dirs`. */
export class MakeDirs {
  #dirs: DirCaches;
  #stack: string[] = [];
  /** The latest directory make entered: kbuild's objtree. */
  objTree: string | null = null;
  /** The source tree a make error line named (the first one wins). */
  srcTree: string | null = null;

  /** Follows directories for `dirs` (whose `cwd` it sets). */
  constructor(dirs: DirCaches) {
    this.#dirs = dirs;
  }

  /**
   * Takes a `make[N]: Entering|Leaving directory '…'` line.
   *
   * @returns false when `line` is not one
   */
  directory(line: string): boolean {
    // Most make lines are `Target … not remade` / `*** […] Error N`: test
    // for the word before running a pattern.
    const m = line.includes(" directory ") ? MAKE_DIR_RE.exec(line) : null;
    if (m === null) return false;
    if (m[1] === "Entering") {
      this.#stack.push(m[2]!);
      this.#dirs.setCwd(m[2]!);
      this.objTree = m[2]!;
    } else {
      this.#stack.pop();
      this.#dirs.setCwd(this.#stack[this.#stack.length - 1] ?? null);
    }
    return true;
  }

  /** Learns the source tree from a make error line, unless known already. */
  learnSrcTree(line: string): void {
    if (this.srcTree !== null) return;
    const i = line.indexOf("/scripts/Makefile.build:");
    if (i < 0) return;
    const open = line.lastIndexOf("[", i);
    if (open < 0) return;
    this.srcTree = resolveAgainst(this.#dirs.cwd, line.slice(open + 1, i));
  }
}
