/**
 * Extraction by piping into GNU `tar -xJf -` (fast, exact, keeps symlinks),
 * into a private staging dir, then a safety walk: nothing may escape it.
 *
 * GNU tar already refuses `..` members and link targets (exit 2) and strips a
 * leading `/` (with a warning); kcross turns both into a rejection, and after
 * extraction rejects symlinks resolving outside the staging dir, device nodes,
 * fifos and sockets. The staging dir is then discarded, so the cache is
 * unchanged.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { spawnChild } from "../proc/run_captured.ts";

/** A running `tar -xJf -` fed through `writer`. */
export interface TarSink {
  writer: WritableStreamDefaultWriter<Uint8Array>;
  /** Resolves when tar exits (never rejects). */
  done: Promise<{ success: boolean; stderr: string }>;
  kill(): void;
}

/** The argv of the extraction (echoed in verbose output). */
export function tarArgv(dest: string): string[] {
  return ["tar", "-xJf", "-", "-C", dest, "--no-same-owner"];
}

/** Starts `tar -xJf -` into `dest`. */
export function startTar(dest: string): TarSink {
  const child = spawnChild(tarArgv(dest), {
    stdin: "piped",
    stdout: "null",
    stderr: "piped",
    env: { LANG: "C", LC_ALL: "C" },
  });
  const writer = child.stdin.getWriter();
  const stderr = new Response(child.stderr).text();
  const done = (async () => {
    const status = await child.status;
    // tar -J runs xz as its own child, which shares our stdin and stderr; if
    // tar dies first, do not wait forever for xz to let go of stderr.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const err = await Promise.race([
      stderr,
      new Promise<string>((r) => timer = setTimeout(() => r(""), 2000)),
    ]);
    clearTimeout(timer);
    return { success: status.success, stderr: err };
  })();
  return {
    writer,
    done,
    kill() {
      // Closing stdin lets tar's xz child see EOF and exit too.
      writer.abort().catch(() => {});
      try {
        child.kill("SIGKILL");
      } catch { /* already gone */ }
    },
  };
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

/**
 * Walks an extracted tree and lists what makes it unsafe: symlinks whose
 * target resolves outside `root`, device nodes, fifos, sockets.
 *
 * @returns problems as `path: reason` strings (empty when safe)
 */
export function unsafeEntries(root: string): string[] {
  const problems: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const path = `${dir}/${e.name}`;
      const relPath = rel ? `${rel}/${e.name}` : e.name;
      if (e.isSymlink) {
        const target = Deno.readLinkSync(path);
        if (target.startsWith("/")) {
          problems.push(`${relPath}: symlink to absolute path "${target}"`);
        } else if (escapes(rel, target)) {
          problems.push(`${relPath}: symlink "${target}" points outside`);
        }
      } else if (e.isDirectory) {
        walk(path, relPath);
      } else if (!e.isFile) {
        problems.push(`${relPath}: special file (device, fifo or socket)`);
      } else {
        const st = Deno.lstatSync(path);
        if (st.isBlockDevice || st.isCharDevice || st.isFifo || st.isSocket) {
          problems.push(`${relPath}: special file (device, fifo or socket)`);
        }
      }
    }
  };
  walk(root, "");
  return problems;
}

/** Whether a relative link `target` in dir `rel` climbs above the root. */
function escapes(rel: string, target: string): boolean {
  const parts = rel ? rel.split("/") : [];
  for (const p of target.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") {
      if (parts.length === 0) return true;
      parts.pop();
    } else {
      parts.push(p);
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
  const problems = unsafeEntries(root);
  if (problems.length) {
    throw new InfraError(
      `Rejected archive "${what}": unsafe members: ${
        problems.slice(0, 5).join("; ")
      }`,
      { hint: "the archive is malicious or broken; nothing was installed" },
    );
  }
}
