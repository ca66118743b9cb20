/**
 * The only way commands print. `main.ts` owns the real streams and hands each
 * command an `Output`; tests hand in a recording one.
 *
 * @module
 */
import { terminalSafe } from "./terminal_text.ts";

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

/**
 * The real terminal: stdout and stderr of this process. Lines are printed
 * with control and bidi characters escaped (`terminalSafe`): they may hold
 * text from a hostile report. `errRaw` is kcross's own progress drawing.
 *
 * A reader that goes away (`kcross report parse x | head -1`) is not a
 * failure of the command: from the first broken-pipe error on, that
 * stream's output is dropped, as a program killed by SIGPIPE would have
 * stopped printing, and the command ends with its own exit code.
 */
export function terminalOutput(): Output {
  const stdout = pipeWriter(Deno.stdout);
  const stderr = pipeWriter(Deno.stderr);
  return {
    out: (line) => stdout(`${terminalSafe(line)}\n`),
    err: (line) => stderr(`${terminalSafe(line)}\n`),
    errRaw: (text) => stderr(text),
    isTty: Deno.stderr.isTerminal(),
  };
}

function pipeWriter(stream: typeof Deno.stdout): (text: string) => void {
  let gone = false;
  return (text) => {
    if (gone) return;
    try {
      writeAll(stream, text);
    } catch (error) {
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
      gone = true;
    }
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
