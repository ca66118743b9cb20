/**
 * Placeholder for a subcommand whose area has not landed yet.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import type { Command } from "./command.ts";

/** A command that explains it is not available yet. */
export function pendingCommand(name: string, summary: string): Command {
  return {
    name,
    summary,
    usage: `Usage: kcross ${name} …\n\n${summary}`,
    run() {
      return Promise.reject(
        new UserError(`Command "${name}" is not available in this version`),
      );
    },
  };
}
