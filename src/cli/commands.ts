/**
 * The registry of subcommands. Each area exports its commands from its own
 * `cli.ts`; modules load lazily so a fast command (`toolchain path`) does not
 * pay for the others.
 *
 * @module
 */
import type { Command } from "../util/command.ts";

/** A subcommand name with its one-line summary and a loader for the module. */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<Command>;
}

function lazy(
  name: string,
  summary: string,
  load: () => Promise<{ [k: string]: Command[] }>,
): CommandEntry {
  return {
    name,
    summary,
    async load() {
      const mod = await load();
      for (const list of Object.values(mod)) {
        const found = Array.isArray(list)
          ? list.find((c) => c.name === name)
          : undefined;
        if (found) return found;
      }
      throw new Error(`command module for "${name}" does not export it`);
    },
  };
}

/** Every subcommand, in help order. */
export const commands: CommandEntry[] = [
  lazy(
    "demo",
    "Reproduce the seed vfio report on a sample kernel repository",
    () => import("../repro/cli.ts"),
  ),
  lazy(
    "repro",
    "Reproduce a 0-day robot report and give a verdict",
    () => import("../repro/cli.ts"),
  ),
  lazy(
    "verify",
    "Check that a commit fixes a robot report, and print its trailers",
    () => import("../verify/cli.ts"),
  ),
  lazy(
    "report",
    "Parse a 0-day robot report, or fetch one from lore",
    () => import("../repro/report_command.ts"),
  ),
  lazy(
    "make.cross",
    "Drop-in for lkp-tests make.cross (same command line, same make call)",
    () => import("../build/cli.ts"),
  ),
  lazy(
    "build",
    "Build a kernel target with an exact toolchain (native options)",
    () => import("../build/cli.ts"),
  ),
  lazy(
    "logs",
    "List, show, diff and rerun build records",
    () => import("../logs/cli.ts"),
  ),
  lazy(
    "toolchain",
    "List, fetch, import and locate cross compilers",
    () => import("../toolchain/cli.ts"),
  ),
  lazy(
    "cache",
    "Inspect, verify and clean the toolchain cache",
    () => import("../cache/cli.ts"),
  ),
  lazy(
    "doctor",
    "Check the host for kernel build prerequisites",
    () => import("../doctor/cli.ts"),
  ),
  lazy(
    "matrix",
    "Plan and run arch x config x compiler matrices",
    () => import("../matrix/cli.ts"),
  ),
  lazy(
    "series",
    "Build every commit of a range and check bisectability",
    () => import("../series/cli.ts"),
  ),
  lazy(
    "bisect",
    "Find the first commit that introduces a diagnostic",
    () => import("../series/cli.ts"),
  ),
  lazy(
    "presubmit",
    "Check a series the way the 0-day robot will (its build profile)",
    () => import("../presubmit/cli.ts"),
  ),
];

/** The registry entry named `name`, if any. */
export function findCommand(name: string): CommandEntry | undefined {
  return commands.find((c) => c.name === name);
}
