/**
 * CLI for the series area: `kcross series` and `kcross bisect`.
 *
 * @module
 */
import type { Command } from "../util/command.ts";
import { buildContext } from "../build/mod.ts";
import { stateDir } from "../paths.ts";
import { bisectCommandWith } from "./bisect_command.ts";
import { readReportTargets } from "./report_targets.ts";
import { seriesCommandWith } from "./series_command.ts";

/** Subcommands this area provides. */
export const seriesCommands: Command[] = [
  seriesCommandWith(buildContext()),
  bisectCommandWith(
    buildContext(),
    () => `${stateDir()}/bisect`,
    readReportTargets,
  ),
];
