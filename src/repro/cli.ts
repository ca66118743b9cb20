/**
 * CLI for the repro area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const reproCommands: Command[] = [
  pendingCommand("repro", "Reproduce a 0-day robot report and give a verdict"),
  pendingCommand(
    "demo",
    "Reproduce the seed vfio report on a sample kernel repository",
  ),
];
