/**
 * The only way commands print. `main.ts` owns the real streams and hands each
 * command an `Output`; tests hand in a recording one.
 *
 * @module
 */

/** Where a command writes. */
export interface Output {
  /** A line of normal output on stdout. */
  out(line: string): void;
  /** A line of diagnostics/progress on stderr. */
  err(line: string): void;
  /** Raw text on stderr without newline (progress bars). */
  errRaw(text: string): void;
  /** Whether stderr is a terminal (progress bars vs plain lines). */
  readonly isTty: boolean;
}

const encoder = new TextEncoder();

/** The real terminal: stdout and stderr of this process. */
export function terminalOutput(): Output {
  return {
    out: (line) => writeAll(Deno.stdout, `${line}\n`),
    err: (line) => writeAll(Deno.stderr, `${line}\n`),
    errRaw: (text) => writeAll(Deno.stderr, text),
    isTty: Deno.stderr.isTerminal(),
  };
}

function writeAll(stream: typeof Deno.stdout, text: string): void {
  const bytes = encoder.encode(text);
  let off = 0;
  while (off < bytes.length) off += stream.writeSync(bytes.subarray(off));
}

/** An output that records lines, for tests. */
export interface RecordingOutput extends Output {
  readonly stdout: string[];
  readonly stderr: string[];
}

/**
 * A recording output for tests.
 *
 * @example
 * ```ts
 * import { recordingOutput } from "./output.ts";
 * const o = recordingOutput();
 * o.out("hi");
 * if (o.stdout[0] !== "hi") throw new Error();
 * ```
 */
export function recordingOutput(): RecordingOutput {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (line) => void stdout.push(line),
    err: (line) => void stderr.push(line),
    errRaw: (text) => void stderr.push(text),
    isTty: false,
  };
}
