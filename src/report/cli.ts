/**
 * CLI for the report area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const reportCommands: Command[] = [
  pendingCommand("report", "Parse a 0-day robot report"),
];
