/**
 * Disk use of a directory (a build's output dir), as `du` counts it.
 *
 * @module
 */
import { runProcess } from "../proc/mod.ts";

/**
 * Bytes used by `dir` (`du -s -B1`: allocated blocks, hard links once), or
 * null when `du` is missing, fails or takes longer than `timeoutMs`.
 */
export async function diskUsage(
  dir: string,
  options: { path?: string; timeoutMs?: number } = {},
): Promise<number | null> {
  let out = "";
  try {
    const r = await runProcess(["du", "-s", "-B1", "--", dir], {
      cwd: "/",
      env: { PATH: options.path ?? "/usr/bin:/bin", LC_ALL: "C" },
      mergeStderr: false,
      onChunk: (b) => {
        if (out.length < 4096) out += new TextDecoder().decode(b);
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    if (r.code !== 0) return null;
  } catch {
    return null;
  }
  const n = Number(/^(\d+)\s/.exec(out)?.[1]);
  return Number.isFinite(n) ? n : null;
}
