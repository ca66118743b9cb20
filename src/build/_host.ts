/**
 * Small host facts the planners need.
 *
 * @module
 */
import { CommandNotFoundError, runCaptured } from "../proc/run_captured.ts";

/**
 * `getconf _NPROCESSORS_CONF`: configured CPUs, what make.cross doubles for
 * `--jobs` (not online CPUs, not the cgroup or affinity limit).
 */
export async function configuredCpus(): Promise<number> {
  try {
    const out = await runCaptured(["getconf", "_NPROCESSORS_CONF"], {
      stderr: "discard",
    });
    const n = Number(out.stdout.trim());
    if (out.success && Number.isInteger(n) && n > 0) return n;
  } catch (e) {
    if (!(e instanceof CommandNotFoundError)) throw e;
  }
  return navigator.hardwareConcurrency || 1;
}

/** `realpath`, or the path itself when it does not exist. */
export async function realPathOr(path: string): Promise<string> {
  try {
    return await Deno.realPath(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return path;
    if (e instanceof Deno.errors.NotADirectory) return path;
    throw e;
  }
}

/** `path` resolved against `base` (no symlink resolution), normalised. */
export function resolvePath(base: string, path: string): string {
  const joined = path.startsWith("/") ? path : `${base}/${path}`;
  const parts: string[] = [];
  for (const p of joined.split("/")) {
    if (p === "" || p === ".") continue;
    if (p === "..") parts.pop();
    else parts.push(p);
  }
  return `/${parts.join("/")}`;
}

/** A `.config`'s text, or null when missing or empty (kbuild.sh's `-s` test). */
export async function readConfig(path: string): Promise<string | null> {
  try {
    const text = await Deno.readTextFile(path);
    return text.length > 0 ? text : null;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    if (e instanceof Deno.errors.NotADirectory) return null;
    if (e instanceof Deno.errors.IsADirectory) return null;
    throw e;
  }
}

/** Whether `path` is a directory (following symlinks). */
export async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    if (e instanceof Deno.errors.NotADirectory) return false;
    throw e;
  }
}

/** Whether `path` itself is a symlink. */
export async function isSymlink(path: string): Promise<boolean> {
  try {
    return (await Deno.lstat(path)).isSymlink;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return false;
    if (e instanceof Deno.errors.NotADirectory) return false;
    throw e;
  }
}
