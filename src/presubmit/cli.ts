/**
 * CLI for the presubmit area: `kcross presubmit`.
 *
 * @module
 */
import type { Command } from "../util/command.ts";
import { buildContext } from "../build/mod.ts";
import { presubmitCommandWith } from "./presubmit_command.ts";

/** Subcommands this area provides. */
export const presubmitCommands: Command[] = [
  presubmitCommandWith(buildContext()),
];
