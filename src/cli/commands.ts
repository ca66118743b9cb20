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

/** The modules that define commands, as written in the table below. */
type CommandModule =
  | "../repro/cli.ts"
  | "../verify/cli.ts"
  | "../repro/report_command.ts"
  | "../build/cli.ts"
  | "../logs/cli.ts"
  | "../toolchain/cli.ts"
  | "../matrix/cli.ts"
  | "../series/cli.ts"
  | "../presubmit/cli.ts"
  | "../cache/cli.ts"
  | "../doctor/cli.ts";

/**
 * Loads a command's module when the command runs. Not a literal
 * `import("../build/cli.ts")`: Deno reads the module graph of every literal
 * dynamic import when it starts, which cost every command ~45 ms (all the
 * other commands' modules). The specifier is one of this file's literals
 * (the type above), never computed from input; tools/check_layers.ts reads
 * the `load("…")` calls as this file's imports.
 */
// deno-lint-ignore no-explicit-any
const load = (spec: CommandModule): Promise<any> => import(spec);

/** Every subcommand, in help order. */
export const commands: CommandEntry[] = [
  lazy(
    "demo",
    "Reproduce the seed vfio report on a sample kernel repository",
    () => load("../repro/cli.ts"),
  ),
  lazy(
    "repro",
    "Reproduce a 0-day robot report and give a verdict",
    () => load("../repro/cli.ts"),
  ),
  lazy(
    "verify",
    "Check that a commit fixes a robot report, and print its trailers",
    () => load("../verify/cli.ts"),
  ),
  lazy(
    "report",
    "Parse a 0-day robot report, or fetch one from lore",
    () => load("../repro/report_command.ts"),
  ),
  lazy(
    "make.cross",
    "Drop-in for lkp-tests make.cross (same command line, same make call)",
    () => load("../build/cli.ts"),
  ),
  lazy(
    "build",
    "Build a kernel target with an exact toolchain (native options)",
    () => load("../build/cli.ts"),
  ),
  lazy(
    "logs",
    "List, show, diff and rerun build records",
    () => load("../logs/cli.ts"),
  ),
  lazy(
    "toolchain",
    "List, fetch, import and locate cross compilers",
    () => load("../toolchain/cli.ts"),
  ),
  lazy(
    "cache",
    "Inspect, verify and clean the toolchain cache",
    () => load("../cache/cli.ts"),
  ),
  lazy(
    "doctor",
    "Check the host for kernel build prerequisites",
    () => load("../doctor/cli.ts"),
  ),
  lazy(
    "matrix",
    "Plan and run arch x config x compiler matrices",
    () => load("../matrix/cli.ts"),
  ),
  lazy(
    "series",
    "Build every commit of a range and check bisectability",
    () => load("../series/cli.ts"),
  ),
  lazy(
    "bisect",
    "Find the first commit that introduces a diagnostic",
    () => load("../series/cli.ts"),
  ),
  lazy(
    "presubmit",
    "Check a series the way the 0-day robot will (its build profile)",
    () => load("../presubmit/cli.ts"),
  ),
];

/** The registry entry named `name`, if any. */
export function findCommand(name: string): CommandEntry | undefined {
  return commands.find((c) => c.name === name);
}
