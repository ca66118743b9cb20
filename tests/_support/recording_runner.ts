/**
 * The real process runner, recording every argv: for tests that check an
 * area starts its processes only through the runner it was given.
 *
 * @module
 */
import {
  type ProcessRunner,
  realProcessRunner,
} from "../../src/proc/process_runner.ts";

/** The real runner, recording every argv. */
export function recording(): { proc: ProcessRunner; argv: string[][] } {
  const argv: string[][] = [];
  return {
    argv,
    proc: {
      run: (a, o) => {
        argv.push(a);
        return realProcessRunner.run(a, o);
      },
      capture: (a, o) => {
        argv.push(a);
        return realProcessRunner.capture(a, o);
      },
    },
  };
}

/** The git subcommands the recorded calls ran (after the -c options). */
export function subcommands(argv: string[][]): string[] {
  return argv.filter((a) => a[0] === "git").map((a) => {
    let i = 1;
    while (a[i] === "-c") i += 2;
    return a.slice(i, i + 2).join(" ");
  });
}
