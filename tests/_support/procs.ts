/**
 * Process checks for tests that kill process groups.
 *
 * @module
 */

/** Whether `pid` still runs (a zombie has finished: only its parent's bookkeeping is left). */
export function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\d+ \(.*\) Z /.test(stat);
  } catch {
    return false;
  }
}

/**
 * Waits until none of `pids` runs, for at most `capMs` (default 60 s: a
 * killed process needs the CPU once more to exit, which a loaded machine
 * may take a while to give it). Resolves to those still running then.
 * The state is checked, no fixed time is assumed: a pass never waits
 * longer than the processes take to go.
 */
export async function waitGone(
  pids: number[],
  capMs = 60_000,
): Promise<number[]> {
  const end = performance.now() + capMs;
  let wait = 5;
  while (pids.some(alive) && performance.now() < end) {
    await new Promise((r) => setTimeout(r, wait));
    wait = Math.min(wait * 2, 200);
  }
  return pids.filter(alive);
}
