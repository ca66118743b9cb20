/**
 * CPU load for tests that must pass on a busy machine: `stress-ng --cpu N`
 * (or, without stress-ng, N busy-looping deno subprocesses) running until
 * disposed. The load is what CI has when other test files and builds run in
 * parallel; a test under it proves it waits for events, not for time.
 *
 * @module
 */

/** Running load; dispose (or `stop()`) to end it. */
export interface CpuLoad extends AsyncDisposable {
  /** What runs: `stress-ng` or `busy-loop`. */
  kind: string;
  stop(): Promise<void>;
}

function hasStressNg(): boolean {
  try {
    return new Deno.Command("stress-ng", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}

/**
 * Starts `workers` CPU hogs (default 2). They also end by themselves after
 * `maxSeconds` (default 600), should the test process die without
 * disposing them.
 */
export function startCpuLoad(workers = 2, maxSeconds = 600): CpuLoad {
  const stress = hasStressNg();
  const children = stress
    ? [
      new Deno.Command("stress-ng", {
        args: [
          "--cpu",
          String(workers),
          "--timeout",
          `${maxSeconds}s`,
          "--quiet",
        ],
        stdout: "null",
        stderr: "null",
        stdin: "null",
      }).spawn(),
    ]
    : Array.from({ length: workers }, () =>
      new Deno.Command(Deno.execPath(), {
        args: [
          "eval",
          `const end = Date.now() + ${
            maxSeconds * 1000
          }; while (Date.now() < end) {}`,
        ],
        stdout: "null",
        stderr: "null",
        stdin: "null",
      }).spawn());
  let stopped: Promise<void> | null = null;
  const stop = () =>
    stopped ??= (async () => {
      for (const c of children) {
        try {
          c.kill("SIGTERM");
        } catch {
          // gone
        }
      }
      await Promise.all(children.map((c) => c.status));
    })();
  return {
    kind: stress ? "stress-ng" : "busy-loop",
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
