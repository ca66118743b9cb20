/**
 * CLI for the cache area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const cacheCommands: Command[] = [
  pendingCommand("cache", "Inspect, verify and clean the toolchain cache"),
];
