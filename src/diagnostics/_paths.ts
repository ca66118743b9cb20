/**
 * Path helpers for diagnostics: make log paths relative to the kernel tree.
 *
 * @module
 */

/** Top-level directories of a kernel tree, used to guess an unknown srctree. */
const KERNEL_TOP_DIRS = new Set([
  "arch",
  "block",
  "certs",
  "crypto",
  "drivers",
  "fs",
  "include",
  "init",
  "io_uring",
  "ipc",
  "kernel",
  "lib",
  "mm",
  "net",
  "rust",
  "samples",
  "scripts",
  "security",
  "sound",
  "tools",
  "usr",
  "virt",
]);

/** Resolves `.` and `..` segments; keeps leading `..` of relative paths. */
export function normalizeSegments(path: string): string {
  if (path.indexOf("/.") < 0 && !path.startsWith(".")) {
    return path.indexOf("//") < 0 ? path : path.replace(/\/{2,}/g, "/");
  }
  const abs = path.startsWith("/");
  const out: string[] = [];
  for (const seg of path.split("/")) {
    if (seg === "" || seg === ".") continue;
    if (seg === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!abs) out.push("..");
      continue;
    }
    out.push(seg);
  }
  const joined = out.join("/");
  return abs ? `/${joined}` : joined;
}

/** Joins `path` onto `dir` unless it is absolute, and normalises. */
export function resolveAgainst(dir: string | null, path: string): string {
  if (path.startsWith("/") || dir === null) return normalizeSegments(path);
  return normalizeSegments(`${dir}/${path}`);
}

/** Strips leading `./` and `../` segments from a relative path. */
export function stripDotPrefixes(path: string): string {
  let p = normalizeSegments(path);
  while (p.startsWith("../")) p = p.slice(3);
  return p === ".." ? "" : p;
}

/**
 * Makes `path` relative to the source tree: strips the `srcTree` or
 * `outDir` prefix (the longer that matches), or any leading `./` or `../`. Paths outside both (system
 * headers, `{standard input}`) are returned normalised but otherwise as is.
 */
export function relativeToTree(
  path: string,
  roots: { srcTree?: string | null; outDir?: string | null },
): string {
  const p = normalizeSegments(path);
  if (!p.startsWith("/")) return stripDotPrefixes(p);
  let best = "";
  for (const root of [roots.srcTree, roots.outDir]) {
    if (!root) continue;
    const r = root.endsWith("/") ? root.slice(0, -1) : root;
    if (
      r.length > best.length && p.length > r.length && p.startsWith(r) &&
      p[r.length] === "/"
    ) best = r;
  }
  // The longer root wins: an O= dir inside the tree holds generated files.
  return best === "" ? p : p.slice(best.length + 1);
}

/**
 * Guesses the kernel tree root from absolute paths: the prefix before the
 * first kernel top-level directory, taking the prefix most paths share.
 * Returns null when no path looks like one inside a kernel tree.
 */
export function guessSrcTree(paths: Iterable<string>): string | null {
  const votes = new Map<string, number>();
  for (const path of paths) {
    if (!path.startsWith("/") || path.startsWith("/usr/")) continue;
    const segs = path.split("/");
    // Kernel trees have the top dir right under the root: look from the top
    // for the first segment that is a kernel top-level directory followed
    // by at least one more segment.
    for (let i = 2; i < segs.length - 1; i++) {
      if (KERNEL_TOP_DIRS.has(segs[i]!)) {
        const root = segs.slice(0, i).join("/");
        votes.set(root, (votes.get(root) ?? 0) + 1);
        break;
      }
    }
  }
  let best: string | null = null;
  let bestVotes = 0;
  for (const [root, n] of votes) {
    if (n > bestVotes) [best, bestVotes] = [root, n];
  }
  return best;
}

/** The path without its extension (`a/b.c` → `a/b`). */
export function stem(path: string): string {
  const slash = path.lastIndexOf("/");
  const dot = path.lastIndexOf(".");
  return dot > slash ? path.slice(0, dot) : path;
}
