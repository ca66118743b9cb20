/**
 * PATH lookup, so a missing program is reported before anything is spawned.
 *
 * @module
 */

/**
 * The absolute path of `name` found on `path` (colon-separated), or null.
 * A name containing `/` is checked as is.
 *
 * @param name program name or path
 * @param path the PATH to search
 * @returns the executable's path, or null when there is none
 *
 * @example
 * ```ts
 * import { findExecutable } from "./find_executable.ts";
 * if (findExecutable("sh", "/bin:/usr/bin") === null) throw new Error();
 * if (findExecutable("no-such-program-kcross", "/bin") !== null) throw new Error();
 * ```
 */
export function findExecutable(name: string, path: string): string | null {
  const candidates = name.includes("/")
    ? [name]
    : path.split(":").filter((d) => d !== "").map((d) => `${d}/${name}`);
  for (const candidate of candidates) {
    try {
      const info = Deno.statSync(candidate);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return candidate;
    } catch (error) {
      if (
        !(error instanceof Deno.errors.NotFound ||
          error instanceof Deno.errors.NotADirectory ||
          error instanceof Deno.errors.PermissionDenied)
      ) throw error;
    }
  }
  return null;
}
