/**
 * The shape of a kcross subcommand.
 *
 * @module
 */
import type { Output } from "./output.ts";

/** What a subcommand gets to run. */
export interface CommandContext {
  /** Arguments after the subcommand name. */
  args: string[];
  out: Output;
  /** The directory the user ran kcross from. */
  cwd: string;
  /** Aborted on Ctrl-C / SIGTERM. */
  signal: AbortSignal;
  /**
   * Runs another subcommand by name (how `logs rerun` replays a record
   * without knowing the command registry); `main.ts` provides it.
   *
   * @throws {UserError} when no command has that name
   */
  dispatch?: (name: string, ctx: CommandContext) => Promise<number>;
}

/** A subcommand: `kcross <name> …`. */
export interface Command {
  name: string;
  /** Full usage text for `kcross <name> --help`. */
  usage: string;
  /** Runs the command; resolves to the exit code (0 ok, 1 failed result). */
  run(ctx: CommandContext): Promise<number>;
}
