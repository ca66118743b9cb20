/**
 * Extraction by GNU tar (fast, exact, keeps symlinks; fed by the pipeline of
 * `verify_stream.ts`) into a private staging dir, then a safety walk: nothing may escape it.
 *
 * GNU tar already refuses `..` members and link targets (exit 2) and strips a
 * leading `/` (with a warning); kcross turns both into a rejection, and after
 * extraction rejects symlinks resolving outside the tree that is installed
 * (alone or as a chain), device nodes, fifos and sockets, and clears
 * setuid, setgid and world-writable bits. A rejected staging dir is
 * discarded, so the cache is unchanged.
 *
 * @module
 */
import { InfraError } from "../errors.ts";

/** A running extraction fed through `writer`. */
export interface TarSink {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  /** Resolves when tar exits (never rejects). */
  done: Promise<{ success: boolean; stderr: string }>;
  kill(): void;
}

/** The argv of the extraction: an uncompressed tar on stdin. */
export function tarArgv(dest: string): string[] {
  return ["tar", "-xf", "-", "-C", dest, "--no-same-owner"];
}

/** Why tar's own output means the archive is unsafe or broken. */
export function classifyTarFailure(
  stderr: string,
): "unsafe" | "disk-full" | "truncated" | "corrupt" | undefined {
  if (/No space left on device|Disk quota exceeded/i.test(stderr)) {
    return "disk-full";
  }
  if (
    /Removing leading|Member name contains '\.\.'|Cannot hard link|Not a directory/
      .test(stderr)
  ) {
    return "unsafe";
  }
  if (/Unexpected end of input|Unexpected EOF|unexpected end/i.test(stderr)) {
    return "truncated";
  }
  if (stderr.trim() !== "") return "corrupt";
  return undefined;
}

/** Mode bits an install never keeps: setuid, setgid, world-writable. */
export const STRIPPED_MODE_BITS = 0o6002;

/** Options of `unsafeEntries`. */
export interface TreeCheckOptions {
  /**
   * `strip` (extraction): clear setuid, setgid and world-writable bits;
   * `report` (`cache verify`): list files that have them.
   */
  modes?: "strip" | "report";
}

/**
 * Walks a tree and lists what makes it unsafe: symlinks that resolve
 * outside `root` (alone or through a chain of links, judged by where each
 * link really points inside the tree, not by its text), symlink loops,
 * device nodes, fifos, sockets; and with `modes: "report"`, setuid, setgid
 * or world-writable files.
 *
 * @returns problems as `path: reason` strings (empty when safe)
 */
export function unsafeEntries(
  root: string,
  options: TreeCheckOptions = {},
): string[] {
  const problems: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const path = `${dir}/${e.name}`;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymlink) {
        const why = linkEscapes(root, relPath);
        if (why) problems.push(`${relPath}: ${why}`);
        continue;
      }
      const st = Deno.lstatSync(path);
      if (!e.isDirectory && !e.isFile) {
        problems.push(`${relPath}: special file (device, fifo or socket)`);
        continue;
      }
      if (st.isBlockDevice || st.isCharDevice || st.isFifo || st.isSocket) {
        problems.push(`${relPath}: special file (device, fifo or socket)`);
        continue;
      }
      const mode = (st.mode ?? 0) & 0o7777;
      if (mode & STRIPPED_MODE_BITS) {
        if (options.modes === "strip") {
          Deno.chmodSync(path, mode & ~STRIPPED_MODE_BITS);
        } else if (options.modes === "report") {
          problems.push(`${relPath}: mode ${mode.toString(8)} (${
            [
              mode & 0o4000 ? "setuid" : "",
              mode & 0o2000 ? "setgid" : "",
              mode & 0o002 ? "world-writable" : "",
            ].filter((w) => w).join(", ")
          })`);
        }
      }
      if (e.isDirectory) walk(path, relPath);
    }
  };
  walk(root, "");
  return problems;
}

const MAX_LINK_HOPS = 40;

/**
 * Why the symlink at `rel` (relative to `root`) resolves outside `root`,
 * or undefined when it stays inside. The path is resolved component by
 * component the way the kernel would, with `root` as the top: every link
 * met on the way is followed (so `a -> ..` plus `b -> a/..` is caught), an
 * absolute target or a `..` above the top escapes, and a missing component
 * ends the walk (the rest cannot be a link).
 */
function linkEscapes(root: string, rel: string): string | undefined {
  const first = Deno.readLinkSync(`${root}/${rel}`);
  if (first.startsWith("/")) return `symlink to absolute path "${first}"`;
  const at: string[] = rel.split("/").slice(0, -1);
  let todo = first.split("/");
  let hops = 1;
  while (todo.length) {
    const c = todo.shift()!;
    if (c === "" || c === ".") continue;
    if (c === "..") {
      if (at.length === 0) return `symlink "${first}" points outside`;
      at.pop();
      continue;
    }
    const here = `${root}/${[...at, c].join("/")}`;
    let st: Deno.FileInfo;
    try {
      st = Deno.lstatSync(here);
    } catch {
      // Dangling from here on: harmless, the rest is only text.
      return escapesLexically([...at, c], todo)
        ? `symlink "${first}" points outside`
        : undefined;
    }
    if (st.isSymlink) {
      if (++hops > MAX_LINK_HOPS) return `symlink "${first}" loops`;
      const target = Deno.readLinkSync(here);
      if (target.startsWith("/")) {
        return `symlink "${first}" resolves through "${
          [...at, c].join("/")
        }" to absolute path "${target}"`;
      }
      todo = [...target.split("/"), ...todo];
      continue;
    }
    at.push(c);
  }
  return undefined;
}

/** Whether the components `rest`, taken as text from `at`, climb above the top. */
function escapesLexically(at: string[], rest: string[]): boolean {
  let depth = at.length;
  for (const p of rest) {
    if (p === "" || p === ".") continue;
    if (p === "..") {
      if (depth === 0) return true;
      depth--;
    } else {
      depth++;
    }
  }
  return false;
}

/**
 * Rejects an unsafe staging tree with an InfraError naming the members.
 *
 * @throws {InfraError}
 */
export function assertSafe(root: string, what: string): void {
  const problems = unsafeEntries(root, { modes: "strip" });
  if (problems.length) {
    throw new InfraError(
      `Rejected archive "${what}": unsafe members: ${
        problems.slice(0, 5).join("; ")
      }`,
      { hint: "the archive is malicious or broken; nothing was installed" },
    );
  }
}
