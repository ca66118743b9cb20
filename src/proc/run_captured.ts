/**
 * Short commands whose output kcross reads (`gcc -dumpfullversion`, `tar -t`,
 * `gpgv`, `git rev-parse`, `ccache --print-stats`): argv only, output
 * captured up to a cap, stdin closed unless given. Together with
 * `runProcess` (builds) and `spawnChild` (streaming), the only way kcross
 * starts a process.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { killGroup } from "./run_process.ts";
import { concatBytes } from "../util/bytes.ts";

/** Where a child's stdout or stderr goes. */
export type OutputMode = "capture" | "inherit" | "discard";

/** Options for `runCaptured`. */
export interface CaptureOptions {
  /** Directory to run in (default: kcross's own). */
  cwd?: string;
  /**
   * Variables for the child. They go over kcross's own environment, or are
   * the whole environment when `inheritEnv` is false.
   */
  env?: Record<string, string>;
  /** Start from kcross's environment (default true). */
  inheritEnv?: boolean;
  /** Text or bytes written to the child's stdin (default: stdin closed). */
  stdin?: string | Uint8Array;
  /** Default "capture". "inherit" is for what the user watches (apt-get). */
  stdout?: OutputMode;
  /** Default "capture". */
  stderr?: OutputMode;
  /** Aborting kills the child. */
  signal?: AbortSignal;
  /** Most bytes read from each stream (default 64 MiB); more is an error. */
  maxBytes?: number;
  /**
   * Its own process group, ended whole (SIGKILL) on abort or overflow
   * (default true). False for what the user runs in the terminal (a package
   * manager): it then gets the terminal's Ctrl-C itself and is never killed.
   */
  processGroup?: boolean;
}

/** How a captured command ended and what it printed. */
export interface CapturedOutput {
  code: number;
  success: boolean;
  /** The signal that ended it, if one did. */
  signal: string | null;
  /** Its stdout as text (empty unless captured). */
  stdout: string;
  /** Its stderr as text (empty unless captured). */
  stderr: string;
}

/** The program of a command line is not installed (or not on PATH). */
export class CommandNotFoundError extends InfraError {
  /** The program that was not found. */
  readonly program: string;
  /** @param program the missing program */
  constructor(program: string, options: { cause?: unknown } = {}) {
    super(
      `Cannot run "${program}": not installed, not executable or not on PATH`,
      {
        ...options,
        hint: `install ${program} or put it on PATH`,
      },
    );
    this.program = program;
  }
}

const DEFAULT_MAX = 64 * 1024 * 1024;

/**
 * Runs `argv` to completion and returns its output.
 *
 * @param argv program and arguments (never a shell string)
 * @param options cwd, environment, stdin, output modes, signal, cap
 * @returns the exit status and output; never rejects for a non-zero exit
 * @throws {CommandNotFoundError} when `argv[0]` does not exist
 * @throws {InfraError} when it cannot be started or prints more than the cap
 *
 * @example
 * ```ts
 * import { runCaptured } from "./run_captured.ts";
 * const r = await runCaptured(["sh", "-c", "echo out; echo err >&2; exit 3"]);
 * if (r.code !== 3 || r.stdout !== "out\n" || r.stderr !== "err\n") throw new Error();
 * ```
 */
export async function runCaptured(
  argv: readonly string[],
  options: CaptureOptions = {},
): Promise<CapturedOutput> {
  const program = argv[0];
  if (program === undefined) throw new InfraError("Empty command line");
  const stdoutMode = options.stdout ?? "capture";
  const stderrMode = options.stderr ?? "capture";
  // Its own process group, so a cap or an abort ends whatever it started.
  const child = spawnChild(argv, {
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
    ...(options.inheritEnv !== undefined
      ? { inheritEnv: options.inheritEnv }
      : {}),
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: pipeMode(stdoutMode),
    stderr: pipeMode(stderrMode),
    detached: options.processGroup ?? true,
  });
  const kill = () => {
    if (options.processGroup ?? true) killGroup(child.pid, "SIGKILL");
  };
  const signal = options.signal;
  if (signal?.aborted) kill();
  else signal?.addEventListener("abort", kill, { once: true });
  const max = options.maxBytes ?? DEFAULT_MAX;
  let over = false;
  const read = async (
    stream: ReadableStream<Uint8Array> | null,
  ): Promise<string> => {
    if (stream === null) return "";
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += chunk.length;
      if (size > max) {
        if (!over) {
          over = true;
          kill();
        }
        continue;
      }
      chunks.push(chunk);
    }
    return new TextDecoder().decode(
      concatBytes(chunks, size > max ? max : size),
    );
  };
  const writing = options.stdin === undefined
    ? Promise.resolve()
    : writeStdin(child.stdin, options.stdin);
  let stdout: string, stderr: string, status: Deno.CommandStatus;
  try {
    [stdout, stderr, status] = await Promise.all([
      read(stdoutMode === "capture" ? child.stdout : null),
      read(stderrMode === "capture" ? child.stderr : null),
      child.status,
      writing,
    ]);
  } finally {
    signal?.removeEventListener("abort", kill);
  }
  if (signal?.aborted) throw signal.reason;
  if (over) {
    throw new InfraError(
      `Command "${program}" printed more than ${max} bytes`,
      { hint: "this output is capped; the command's input may be hostile" },
    );
  }
  return {
    code: status.code,
    success: status.success,
    signal: status.signal ?? null,
    stdout,
    stderr,
  };
}

/** Options for `spawnChild`. */
export interface SpawnOptions {
  cwd?: string;
  /** As in `CaptureOptions.env`. */
  env?: Record<string, string>;
  /** Start from kcross's environment (default true). */
  inheritEnv?: boolean;
  stdin?: "piped" | "null" | "inherit";
  stdout?: "piped" | "null" | "inherit";
  stderr?: "piped" | "null" | "inherit";
  /** Aborting kills the child. */
  signal?: AbortSignal;
  /** Its own session and process group (default false). */
  detached?: boolean;
}

/**
 * Starts `argv` and hands back the child, for streaming its stdin or
 * output as it goes (`tar -x` fed from a download).
 *
 * @throws {CommandNotFoundError} when `argv[0]` does not exist
 * @throws {InfraError} when it cannot be started
 */
export function spawnChild(
  argv: readonly string[],
  options: SpawnOptions = {},
): Deno.ChildProcess {
  const program = argv[0];
  if (program === undefined) throw new InfraError("Empty command line");
  try {
    return new Deno.Command(program, {
      args: argv.slice(1),
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.env !== undefined ? { env: options.env } : {}),
      clearEnv: options.inheritEnv === false,
      stdin: options.stdin ?? "null",
      stdout: options.stdout ?? "piped",
      stderr: options.stderr ?? "piped",
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      detached: options.detached ?? false,
    }).spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new CommandNotFoundError(program, { cause: error });
    }
    if (error instanceof Deno.errors.PermissionDenied) {
      throw new CommandNotFoundError(program, { cause: error });
    }
    throw new InfraError(`Cannot start "${program}"`, { cause: error });
  }
}

function pipeMode(mode: OutputMode): "piped" | "inherit" | "null" {
  return mode === "capture" ? "piped" : mode === "inherit" ? "inherit" : "null";
}

async function writeStdin(
  stdin: WritableStream<Uint8Array>,
  data: string | Uint8Array,
): Promise<void> {
  const writer = stdin.getWriter();
  try {
    await writer.write(
      typeof data === "string" ? new TextEncoder().encode(data) : data,
    );
    await writer.close();
  } catch { /* the child closed its stdin early; its exit status tells */ }
}
