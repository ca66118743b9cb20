/**
 * The subprocess runner builds use: its own process group (so Ctrl-C ends
 * make and every compiler it started), stdout and stderr through one pipe (so
 * the log keeps their order), and output handed over as it arrives.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { findExecutable } from "./find_executable.ts";

/** Options for `runProcess`. */
export interface RunProcessOptions {
  cwd: string;
  /** The complete environment of the child (nothing is inherited). */
  env: Record<string, string>;
  /** Aborting ends the whole process group (SIGTERM, then SIGKILL). */
  signal?: AbortSignal;
  /** Every chunk of output, raw bytes, in order. */
  onChunk?: (bytes: Uint8Array) => void;
  /** Every complete line of output (without its newline), in order. */
  onLine?: (line: string) => void;
  /** Send stderr into the same pipe as stdout (default true). */
  mergeStderr?: boolean;
  /** Milliseconds between SIGTERM and SIGKILL on abort (default 2000). */
  killGraceMs?: number;
}

/** How a process ended. */
export interface ProcessResult {
  /** Exit code (128+n when killed by signal n). */
  code: number;
  /** The signal that ended it, if one did. */
  signal: string | null;
  /** True when `signal` was aborted while it ran. */
  interrupted: boolean;
}

/**
 * The fixed shell program that joins stderr to stdout and then becomes the
 * command: the command's words travel as positional parameters, never as
 * shell text.
 */
const MERGE_SCRIPT = 'exec "$@" 2>&1';

/**
 * Runs `argv` in a new session/process group and streams its output.
 *
 * @param argv program and arguments; `argv[0]` is looked up on `env.PATH`
 * @param options cwd, env, abort signal and output callbacks
 * @returns the exit status; never rejects for a non-zero exit
 * @throws {InfraError} when `argv[0]` is not found or cannot be started
 *
 * @example
 * ```ts
 * import { runProcess } from "./run_process.ts";
 * const lines: string[] = [];
 * const r = await runProcess(["sh", "-c", "echo a; echo b >&2"], {
 *   cwd: "/", env: { PATH: "/usr/bin:/bin" }, onLine: (l) => lines.push(l),
 * });
 * if (r.code !== 0 || lines.join() !== "a,b") throw new Error(lines.join());
 * ```
 */
export async function runProcess(
  argv: string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  const program = argv[0];
  if (program === undefined) throw new InfraError("Empty command line");
  const resolved = findExecutable(program, options.env.PATH ?? "");
  if (resolved === null) {
    throw new InfraError(`Cannot run "${program}": not found on PATH`, {
      hint: `install it or put it on PATH (PATH=${options.env.PATH ?? ""})`,
    });
  }
  const merge = options.mergeStderr ?? true;
  const [cmd, args] = merge
    ? ["/bin/sh", ["-c", MERGE_SCRIPT, program, resolved, ...argv.slice(1)]]
    : [resolved, argv.slice(1)];
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(cmd, {
      args,
      cwd: options.cwd,
      env: options.env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: merge ? "null" : "piped",
      detached: true,
    }).spawn();
  } catch (error) {
    throw new InfraError(`Cannot start "${program}"`, { cause: error });
  }
  const pgid = child.pid;
  let interrupted = false;
  const grace = options.killGraceMs ?? 2000;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => {
    interrupted = true;
    killGroup(pgid, "SIGTERM");
    killTimer = setTimeout(() => killGroup(pgid, "SIGKILL"), grace);
  };
  if (options.signal?.aborted) onAbort();
  else options.signal?.addEventListener("abort", onAbort, { once: true });

  const splitter = lineSplitter(options.onLine);
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      options.onChunk?.(chunk);
      splitter.push(chunk);
    }
  };
  const readers = [pump(child.stdout)];
  if (!merge) readers.push(pump(child.stderr));
  const readersDone = Promise.all(readers);
  try {
    const status = await child.status;
    if (interrupted) {
      // Members of the group that outlive make still hold the pipe open.
      const settled = await Promise.race([
        readersDone.then(() => true),
        delay(grace).then(() => false),
      ]);
      if (!settled) killGroup(pgid, "SIGKILL");
    }
    await readersDone;
    splitter.flush();
    return {
      code: status.code,
      signal: status.signal ?? null,
      interrupted,
    };
  } finally {
    if (killTimer !== undefined) clearTimeout(killTimer);
    options.signal?.removeEventListener("abort", onAbort);
    // Nothing of the group may outlive an interrupted run.
    if (interrupted) killGroup(pgid, "SIGKILL");
  }
}

/** Sends `signal` to process group `pgid`, ignoring a group already gone. */
export function killGroup(pgid: number, signal: Deno.Signal): void {
  try {
    Deno.kill(-pgid, signal);
  } catch (error) {
    if (
      !(error instanceof Deno.errors.NotFound ||
        error instanceof Deno.errors.PermissionDenied ||
        (error instanceof Error && /ESRCH|No such process/.test(error.message)))
    ) throw error;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    Deno.unrefTimer(t);
  });
}

/** Turns byte chunks into lines, keeping a partial last line until flushed. */
function lineSplitter(onLine: ((line: string) => void) | undefined) {
  const decoder = new TextDecoder();
  let pending = "";
  return {
    push(chunk: Uint8Array) {
      if (!onLine) return;
      pending += decoder.decode(chunk, { stream: true });
      let start = 0;
      let nl = pending.indexOf("\n", start);
      while (nl !== -1) {
        onLine(pending.slice(start, nl));
        start = nl + 1;
        nl = pending.indexOf("\n", start);
      }
      pending = pending.slice(start);
    },
    flush() {
      if (!onLine) return;
      pending += decoder.decode();
      if (pending !== "") onLine(pending);
      pending = "";
    },
  };
}
