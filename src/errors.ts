/**
 * The error tiers of kcross. `main.ts` is the only place that maps them to
 * exit codes; everything else throws.
 *
 * @module
 */

/** Exit codes, decided once. */
export const ExitCode = {
  ok: 0,
  /** A build or reproduction ran and failed: a result, not an exception. */
  failed: 1,
  user: 2,
  infra: 3,
  interrupted: 130,
} as const;

/** Options shared by every kcross error. */
export interface KcrossErrorOptions {
  /** A line telling the user what to type or retry instead. */
  hint?: string;
  cause?: unknown;
}

/** Base class: an error kcross expected and can explain. */
export class KcrossError extends Error {
  // Spelled out, not `new.target.name`: the make.cross bundle is minified,
  // which renames classes.
  override name = "KcrossError";
  /** Exit code `main.ts` uses for this error. */
  readonly exitCode: number = ExitCode.infra;
  /** Optional hint printed after the message. */
  readonly hint: string | undefined;

  /**
   * @param message sentence case, no final period, values quoted
   * @param options hint and cause
   */
  constructor(message: string, options: KcrossErrorOptions = {}) {
    super(
      message,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.hint = options.hint;
  }
}

/**
 * Bad input: unknown arch, bad option, malformed report. Exits 2.
 *
 * @example
 * ```ts
 * import { UserError } from "./errors.ts";
 * const e = new UserError('Unknown arch "ppc9"', { hint: "see kcross toolchain list" });
 * if (e.exitCode !== 2) throw new Error("exit code");
 * ```
 */
export class UserError extends KcrossError {
  override name = "UserError";
  override readonly exitCode: number = ExitCode.user;
}

/** The environment failed: download, checksum, disk, server. Exits 3. */
export class InfraError extends KcrossError {
  override name = "InfraError";
  override readonly exitCode: number = ExitCode.infra;
}

/** The user pressed Ctrl-C or the process got SIGTERM. Exits 130. */
export class InterruptedError extends KcrossError {
  override name = "InterruptedError";
  override readonly exitCode: number = ExitCode.interrupted;
}

/**
 * Exit code for any thrown value: kcross errors carry theirs, anything else is
 * an unexpected infrastructure failure.
 *
 * @example
 * ```ts
 * import { exitCodeOf, UserError } from "./errors.ts";
 * if (exitCodeOf(new UserError("x")) !== 2) throw new Error();
 * if (exitCodeOf(new Error("x")) !== 3) throw new Error();
 * ```
 */
export function exitCodeOf(error: unknown): number {
  if (error instanceof KcrossError) return error.exitCode;
  if (error instanceof Deno.errors.Interrupted) return ExitCode.interrupted;
  return ExitCode.infra;
}

/** File-system errors only a path the user gave can cause, by errno name. */
const PATH_ERRORS: Record<string, string> = {
  ENAMETOOLONG: "a path is too long",
  ELOOP: "a path has too many levels of symbolic links",
  ENOTDIR: "a part of a path is not a directory",
};

/**
 * The user error a path problem stands for (`ENAMETOOLONG`, `ELOOP`,
 * `ENOTDIR` from any file-system call), so it ends in one line and exit 2
 * wherever it was thrown; any other value is returned unchanged.
 *
 * @example
 * ```ts
 * import { asUserError, UserError } from "./errors.ts";
 * const e = Object.assign(new Error("File name too long (os error 36): stat '/x'"), { code: "ENAMETOOLONG" });
 * if (!(asUserError(e) instanceof UserError)) throw new Error();
 * const other = new Error("x");
 * if (asUserError(other) !== other) throw new Error();
 * ```
 */
export function asUserError(error: unknown): unknown {
  if (error instanceof KcrossError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const what = typeof code === "string" ? PATH_ERRORS[code] : undefined;
  if (what === undefined) return error;
  const path = /'([^']*)'\s*$/.exec(error.message)?.[1];
  const shown = path === undefined
    ? ""
    : `: "${
      path.length > 120 ? `${path.slice(0, 60)}…${path.slice(-59)}` : path
    }"`;
  return new UserError(`Cannot use the path${shown}: ${what}`, {
    hint: "check the paths given on the command line and in input files",
    cause: error,
  });
}

/** How Deno's operation names read in a message. */
const OPERATIONS: Record<string, string> = {
  mkdir: "create the directory",
  rename: "rename",
  remove: "remove",
  copy: "copy to",
  symlink: "create the link",
  chmod: "change the mode of",
};

/** File-system errors the machine causes (not the input), by errno name. */
const HOST_ERRORS: Record<string, string> = {
  EROFS: "read-only file system",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on device",
  EDQUOT: "disk quota exceeded",
};

/**
 * The infrastructure error a file-system failure of the machine stands for
 * (`EROFS`, `EACCES`, `EPERM`, `ENOSPC`, `EDQUOT` from any call, e.g. a
 * state dir on a read-only mount), so it ends in one line and exit 3
 * wherever it was thrown; any other value is returned unchanged.
 *
 * @example
 * ```ts
 * import { asHostError, InfraError } from "./errors.ts";
 * const e = Object.assign(new Error("Read-only file system (os error 30): mkdir '/ro/x'"), { code: "EROFS" });
 * const h = asHostError(e);
 * if (!(h instanceof InfraError) || !h.message.includes('"/ro/x"')) throw new Error();
 * ```
 */
export function asHostError(error: unknown): unknown {
  if (error instanceof KcrossError || !(error instanceof Error)) return error;
  const code = (error as { code?: unknown }).code;
  const what = typeof code === "string" ? HOST_ERRORS[code] : undefined;
  if (what === undefined) return error;
  const m = /: (\w+) '([^']*)'\s*$/.exec(error.message);
  const path = m?.[2];
  const shown = path === undefined
    ? ""
    : ` "${
      path.length > 120 ? `${path.slice(0, 60)}…${path.slice(-59)}` : path
    }"`;
  const full = code === "ENOSPC" || code === "EDQUOT";
  const verb = OPERATIONS[m?.[1] ?? ""] ?? "write";
  return new InfraError(
    `Cannot ${verb}${shown}: ${what}`,
    {
      hint: full
        ? "free some space (kcross cache gc), or point KCROSS_CACHE_DIR / KCROSS_STATE_DIR elsewhere"
        : "kcross's state and cache dirs must be writable: set KCROSS_STATE_DIR and KCROSS_CACHE_DIR (or XDG_STATE_HOME, XDG_CACHE_HOME) to writable places",
      cause: error,
    },
  );
}
