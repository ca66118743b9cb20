/**
 * CLI for the toolchain area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const toolchainCommands: Command[] = [
  pendingCommand("toolchain", "List, fetch, import and locate cross compilers"),
];
