/**
 * CLI for the build area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const buildCommands: Command[] = [
  pendingCommand(
    "build",
    "Build a kernel target with an exact toolchain (native options)",
  ),
  pendingCommand(
    "make.cross",
    "Drop-in for lkp-tests make.cross (same command line, same make call)",
  ),
];
