/**
 * CLI for the doctor area.
 *
 * @module
 */
import type { Command } from "../cli/command.ts";
import { pendingCommand } from "../cli/stub.ts";

/** Subcommands this area provides. */
export const doctorCommands: Command[] = [
  pendingCommand("doctor", "Check the host for kernel build prerequisites"),
];
