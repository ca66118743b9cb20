/**
 * A per-toolchain lock: an exclusive `flock` on a file in the cache. The
 * kernel drops it when the holder dies, so a killed fetch never wedges others.
 *
 * @module
 */
import { InfraError } from "../errors.ts";

/** A held lock; release it with `using` or `release()`. */
export interface HeldLock extends Disposable {
  release(): void;
}

/**
 * Takes the exclusive lock at `path`, waiting for another holder.
 *
 * @param onWait called once if the lock is busy (to tell the user)
 * @throws {InfraError} when the lock file cannot be created
 */
export async function acquireLock(
  path: string,
  onWait?: () => void,
): Promise<HeldLock> {
  let file: Deno.FsFile;
  try {
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    file = await Deno.open(path, { create: true, write: true });
  } catch (error) {
    throw new InfraError(`Cannot create lock file "${path}"`, {
      cause: error,
      hint: "make the cache directory writable or set KCROSS_CACHE_DIR",
    });
  }
  // Try without blocking first so the user hears why we wait.
  const locked = file.lock(true);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const busy = await Promise.race([
    locked.then(() => false),
    new Promise<boolean>((r) => timer = setTimeout(() => r(true), 200)),
  ]);
  clearTimeout(timer);
  if (busy) {
    onWait?.();
    await locked;
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    try {
      file.unlockSync();
    } catch { /* closing releases it anyway */ }
    file.close();
  };
  return { release, [Symbol.dispose]: release };
}
