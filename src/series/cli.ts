/**
 * CLI for the series area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const seriesCommands: Command[] = [
  pendingCommand(
    "series",
    "Build every commit of a range and check bisectability",
  ),
  pendingCommand(
    "bisect",
    "Find the first commit that introduces a diagnostic",
  ),
];
