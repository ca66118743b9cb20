/**
 * Process environment changes for tests, one at a time.
 *
 * `deno test --parallel` runs test modules in worker threads of one process:
 * they share `Deno.env`. Two modules that each set `KCROSS_STATE_DIR` for a
 * while (and restore it after) interleave: one's records land in the
 * other's temp dir, or the restore of one leaves the other with its dir
 * gone. `scopedEnv` holds a lock shared by every worker of this process
 * (a file lock: each worker opens the file itself, so they exclude each
 * other) from setting the variables until they are restored.
 *
 * @module
 */
import { acquireFileLock } from "../../src/util/with_file_lock.ts";

const TMP = Deno.env.get("TMPDIR") ?? "/tmp";
const LOCK = `${TMP}/kcross-test-env-${Deno.pid}.lock`;

// The lock is shared by every worker of this process, so none can remove it
// when it is done; the ones of test processes that are gone go here.
try {
  for (const e of Deno.readDirSync(TMP)) {
    const m = /^kcross-test-env-(\d+)\.lock$/.exec(e.name);
    if (!m || m[1] === String(Deno.pid)) continue;
    try {
      Deno.statSync(`/proc/${m[1]}`);
    } catch {
      Deno.removeSync(`${TMP}/${e.name}`);
    }
  }
} catch { /* another process swept it first */ }

/**
 * Sets `vars` (undefined: unset) until the result is disposed, holding the
 * process-wide test-env lock meanwhile. `scopedEnv({})` only holds it: code
 * run in-process with the default dirs sees the environment unchanged by
 * other modules. Not reentrant: never nest two in one test.
 *
 * @example
 * ```ts ignore
 * await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${t}/state` });
 * ```
 */
export async function scopedEnv(
  vars: Record<string, string | undefined>,
): Promise<AsyncDisposable> {
  const lock = await acquireFileLock(LOCK);
  const saved = Object.keys(vars).map((k) => [k, Deno.env.get(k)] as const);
  const apply = (
    entries: readonly (readonly [string, string | undefined])[],
  ) => {
    for (const [k, v] of entries) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  };
  apply(Object.entries(vars));
  return {
    [Symbol.asyncDispose]() {
      try {
        apply(saved);
      } finally {
        lock.release();
      }
      return Promise.resolve();
    },
  };
}
