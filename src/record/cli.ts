/**
 * CLI for the record area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const logsCommands: Command[] = [
  pendingCommand("logs", "List, show, diff and rerun build records"),
];
