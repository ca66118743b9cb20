/**
 * CLI for the matrix area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const matrixCommands: Command[] = [
  pendingCommand("matrix", "Plan and run arch x config x compiler matrices"),
];
