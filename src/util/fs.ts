/**
 * Small synchronous file checks and a file-name-safe slug, shared by the
 * fetch and toolchain layers.
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
