/**
 * Temporary directories and small file-system checks for tests.
 *
 * @module
 */

/**
 * A new temporary directory, removed with everything in it when disposed
 * (`await using dir = await tempDir("kcross-x-")`).
 */
export async function tempDir(
  prefix: string,
): Promise<string & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix });
  return Object.assign(dir, {
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  }) as string & AsyncDisposable;
}

/** True when something (even a dangling symlink) is at `path`. */
export { exists } from "../../src/toolchain/layout.ts";
