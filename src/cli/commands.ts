/**
 * The registry of subcommands; each area exports its own list from `cli.ts`.
 *
 * @module
 */
import type { Command } from "./command.ts";
import { toolchainCommands } from "../toolchain/cli.ts";
import { cacheCommands } from "../cache/cli.ts";
import { doctorCommands } from "../doctor/cli.ts";
import { buildCommands } from "../build/cli.ts";
import { logsCommands } from "../record/cli.ts";
import { reportCommands } from "../report/cli.ts";
import { reproCommands } from "../repro/cli.ts";
import { matrixCommands } from "../matrix/cli.ts";
import { seriesCommands } from "../series/cli.ts";

/** Every subcommand, in help order. */
export const commands: Command[] = [
  ...reproCommands,
  ...reportCommands,
  ...buildCommands,
  ...logsCommands,
  ...toolchainCommands,
  ...cacheCommands,
  ...doctorCommands,
  ...matrixCommands,
  ...seriesCommands,
];

/** The command named `name`, if any. */
export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.name === name);
}
