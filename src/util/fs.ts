/**
 * Small file checks and reads and a file-name-safe slug, shared by the
 * layers above.
 *
 * @module
 */

/** Turns an id into a flat file-name-safe slug (for locks and downloads). */
export function idSlug(id: string): string {
  return id.replaceAll("/", "__");
}

/** Whether `path` is an executable regular file (or a link to one). */
export function isExecutable(path: string): boolean {
  try {
    const st = Deno.statSync(path);
    return st.isFile && ((st.mode ?? 0o755) & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** Whether `path` exists (no link following on the last component). */
export function exists(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * A file's text, or null when it is not there. Other failures (a directory,
 * no permission) propagate.
 *
 * @example
 * ```ts
 * import { readTextOrNull } from "./fs.ts";
 * if (await readTextOrNull("/nonexistent/kcross") !== null) throw new Error();
 * ```
 */
export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

/**
 * Whether `path` exists, following links (a dangling link does not). Other
 * failures (no permission) propagate.
 *
 * @example
 * ```ts
 * import { pathExists } from "./fs.ts";
 * if (await pathExists("/nonexistent/kcross") || !await pathExists("/")) throw new Error();
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
