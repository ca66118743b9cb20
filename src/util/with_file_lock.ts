/**
 * A cross-process exclusive lock held around one async function: an `flock`
 * on a file, which the kernel drops if the holder dies.
 *
 * @module
 */

/**
 * Runs `fn` holding an exclusive lock on the file at `path` (created, with
 * its directory, if missing), waiting for any other holder first.
 *
 * @param path the lock file
 * @param fn the work to do under the lock
 * @returns what `fn` returns
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
): Promise<T> {
  const slash = path.lastIndexOf("/");
  if (slash > 0) await Deno.mkdir(path.slice(0, slash), { recursive: true });
  using file = await Deno.open(path, { create: true, write: true });
  await file.lock(true);
  try {
    return await fn();
  } finally {
    await file.unlock();
  }
}
