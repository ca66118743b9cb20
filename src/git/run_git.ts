/**
 * Runs `git` with an argv array and returns its output; the one place the
 * git area spawns processes.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import {
  type ProcessRunner,
  realProcessRunner,
} from "../proc/process_runner.ts";
import { CommandNotFoundError } from "../proc/run_captured.ts";

/** Most output read from one git call (rev lists of long ranges). */
const GIT_MAX_OUTPUT = 512 * 1024 * 1024;

/** Options for `git()`. */
export interface GitOptions {
  /** Directory to run in (`git -C` is not used so paths stay readable). */
  cwd?: string;
  /** Extra environment variables. */
  env?: Record<string, string>;
  signal?: AbortSignal;
  /** Return a failed result instead of throwing (default false). */
  allowFail?: boolean;
  /** How git starts (an orchestrator's context `proc`; default the real runner). */
  proc?: ProcessRunner;
}

/**
 * How a git-area function starts git: an orchestrator passes its context's
 * `proc` (default the real runner), so every git call of a command goes
 * through the one runner it was given.
 */
export interface GitVia {
  proc?: ProcessRunner;
}

/**
 * Only the runner of `options` (none of its other fields), to hand on to
 * git-area functions from a wider options object.
 *
 * @example
 * ```ts
 * import { viaOf } from "./run_git.ts";
 * if (Object.keys(viaOf({ proc: undefined })).length !== 0) throw new Error();
 * ```
 */
export function viaOf(options: GitVia): GitVia {
  return options.proc ? { proc: options.proc } : {};
}

/** What a git call printed and how it ended. */
export interface GitResult {
  success: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Environment that keeps git non-interactive and locale-stable: no prompts
 * for credentials, no pager, no editor, C locale for parseable messages.
 */
export const GIT_ENV: Readonly<Record<string, string>> = {
  GIT_TERMINAL_PROMPT: "0",
  GIT_PAGER: "cat",
  GIT_EDITOR: "true",
  GIT_ASKPASS: "true",
  LANG: "C",
  LC_ALL: "C",
};

/**
 * Leading options of every git call: whatever the user's or a repository's
 * config says, only https, http, git, ssh and local (file) transports run;
 * `ext::` (runs a command) and every other remote helper are refused.
 * `file` is `user`: allowed when kcross names the path, not when a
 * submodule or a redirect does.
 */
export const GIT_PROTOCOL_ARGS: readonly string[] = [
  "-c",
  "protocol.allow=never",
  "-c",
  "protocol.ext.allow=never",
  "-c",
  "protocol.fd.allow=never",
  "-c",
  "protocol.file.allow=user",
  "-c",
  "protocol.git.allow=always",
  "-c",
  "protocol.http.allow=always",
  "-c",
  "protocol.https.allow=always",
  "-c",
  "protocol.ssh.allow=always",
];

/** Leading git options that keep the repository's hooks from running. */
export const NO_HOOKS: readonly string[] = ["-c", "core.hooksPath=/dev/null"];

/**
 * Runs `git <args>` (after `GIT_PROTOCOL_ARGS`).
 *
 * @param args git's arguments (never a shell string)
 * @param options cwd, env, signal, allowFail, the process runner
 * @returns stdout/stderr as text and the exit status
 * @throws {InfraError} when git cannot be started, or exits non-zero and
 *   `allowFail` is not set
 */
export async function git(
  args: string[],
  options: GitOptions = {},
): Promise<GitResult> {
  let output;
  try {
    const proc = options.proc ?? realProcessRunner;
    output = await proc.capture(["git", ...GIT_PROTOCOL_ARGS, ...args], {
      ...(options.cwd ? { cwd: options.cwd } : {}),
      env: { ...GIT_ENV, ...options.env },
      ...(options.signal ? { signal: options.signal } : {}),
      maxBytes: GIT_MAX_OUTPUT,
    });
  } catch (error) {
    if (error instanceof CommandNotFoundError) {
      throw new InfraError(`Cannot run "git": it is not installed`, {
        hint: "apt-get install git",
        cause: error,
      });
    }
    throw error;
  }
  const result: GitResult = {
    success: output.success,
    code: output.code,
    stdout: output.stdout,
    stderr: output.stderr,
  };
  if (!result.success && !options.allowFail) {
    const detail = result.stderr.trim().split("\n").slice(-3).join(" / ");
    throw new InfraError(
      `Command "git ${args.join(" ")}" failed (exit ${result.code})${
        detail ? `: ${detail}` : ""
      }`,
    );
  }
  return result;
}
