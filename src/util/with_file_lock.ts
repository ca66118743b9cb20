/**
 * A cross-process exclusive lock: an `flock` on a file, which the kernel
 * drops if the holder dies, so a killed process never wedges the others.
 *
 * Waiting polls a non-blocking `flock` instead of blocking in one: a blocked
 * `flock` cannot be cancelled, and a user who presses Ctrl-C (or a
 * supervisor that sends SIGTERM) while another process holds the lock must
 * get an exit at once, not whenever the holder is done.
 *
 * @module
 */
import { InfraError, InterruptedError } from "../errors.ts";

/** A held lock; release it with `using` or `release()`. */
export interface HeldLock extends Disposable {
  release(): void;
}

/** Options of `acquireFileLock` and `withFileLock`. */
export interface FileLockOptions {
  /** Stops waiting with an `InterruptedError` when aborted. */
  signal?: AbortSignal;
  /** Called once when the lock is busy (to tell the user why we wait). */
  onWait?: () => void;
  /** The hint of the error when the lock file cannot be created. */
  hint?: string;
}

const FIRST_POLL_MS = 20;
const MAX_POLL_MS = 250;

function interrupted(path: string): InterruptedError {
  return new InterruptedError(
    `Interrupted while waiting for the lock "${path}"`,
  );
}

/**
 * Takes the exclusive lock at `path` (created, with its directory, if
 * missing), waiting for another holder.
 *
 * @param path the lock file
 * @param options signal, wait notice, hint
 * @returns the held lock
 * @throws {InterruptedError} when `options.signal` aborts before the lock is held
 * @throws {InfraError} when the lock file cannot be created
 */
export async function acquireFileLock(
  path: string,
  options: FileLockOptions = {},
): Promise<HeldLock> {
  const { signal } = options;
  if (signal?.aborted) throw interrupted(path);
  let file: Deno.FsFile;
  try {
    const slash = path.lastIndexOf("/");
    if (slash > 0) Deno.mkdirSync(path.slice(0, slash), { recursive: true });
    file = await Deno.open(path, { create: true, write: true });
  } catch (error) {
    throw new InfraError(`Cannot create the lock file "${path}"`, {
      cause: error,
      hint: options.hint ??
        "make its directory writable, or choose another place for it",
    });
  }
  try {
    if (!file.tryLockSync(true)) {
      options.onWait?.();
      let wait = FIRST_POLL_MS;
      while (!file.tryLockSync(true)) {
        await pause(wait, signal);
        if (signal?.aborted) throw interrupted(path);
        wait = Math.min(wait * 2, MAX_POLL_MS);
      }
    }
  } catch (error) {
    file.close();
    throw error;
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

/** Waits `ms`, or less when `signal` aborts (never rejects). */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs `fn` holding an exclusive lock on the file at `path` (created, with
 * its directory, if missing), waiting for any other holder first.
 *
 * @param path the lock file
 * @param fn the work to do under the lock
 * @param options signal, wait notice, hint (see `acquireFileLock`)
 * @returns what `fn` returns
 */
export async function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  using _lock = await acquireFileLock(path, options);
  return await fn();
}
