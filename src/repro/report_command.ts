/**
 * `kcross report parse|fetch`, with "what a repro would do": the report area's
 * parser command, shown with the planner `repro` runs (the report area
 * itself only parses and cannot know the planner, a layer above it).
 *
 * @module
 */
import { withLore } from "../lore/cli.ts";
import { reportCommand } from "../report/cli.ts";
import type { Command } from "../util/command.ts";
import { describePlan } from "./describe_plan.ts";

/** The `report` command. */
export const reportCommands: Command[] = [
  withLore(reportCommand({
    // The mail's attached config is what repro would build with.
    describePlan: (report) =>
      describePlan(
        report,
        report.attachments.config === undefined ? {} : {
          configFile: {
            path: "<attached .config>",
            from: "attached to the report",
          },
        },
      ),
  })),
];
