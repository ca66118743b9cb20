/**
 * kcross: cross-compile the Linux kernel the way the 0-day robot does.
 *
 * Thin on purpose: parse the subcommand, dispatch, map errors to exit codes.
 *
 * @module
 */
import { commands, findCommand } from "./src/cli/commands.ts";
import { dispatch, guarded } from "./src/cli/run_command.ts";
import { type Output, terminalOutput } from "./src/util/output.ts";
import { ExitCode } from "./src/errors.ts";
import { VERSION } from "./src/version.ts";

/** Top-level help text. */
export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "kcross: reproduce 0-day kernel builds with the exact cross compiler",
    "",
    "Usage: kcross <command> [options]",
    "",
    "Commands:",
    ...lines,
    "",
    "Run `kcross <command> --help` for a command's options.",
    "Exit codes: 0 ok, 1 build/repro failed, 2 user error, 3 infrastructure error, 130 interrupted.",
  ].join("\n");
}

/** Whether the launcher was invoked under a make.cross-style name. */
function invokedAsMakeCross(argv0: string | undefined): boolean {
  if (!argv0) return false;
  const base = argv0.slice(argv0.lastIndexOf("/") + 1);
  return /^make\.[a-z0-9_]+$/.test(base);
}

/**
 * Runs kcross with `args` and returns the exit code; never throws.
 *
 * @param args command-line words after the program name
 * @param options output and cwd (defaults: the terminal, `Deno.cwd()`)
 */
export async function main(
  args: string[],
  options: { out?: Output; cwd?: string; argv0?: string } = {},
): Promise<number> {
  const out = options.out ?? terminalOutput();
  return await guarded(out, async (signal) => {
    let name = args[0];
    let rest = args.slice(1);
    if (invokedAsMakeCross(options.argv0 ?? Deno.env.get("KCROSS_ARGV0"))) {
      name = "make.cross";
      rest = args;
    }
    if (
      name === undefined || name === "--help" || name === "-h" ||
      name === "help"
    ) {
      out.out(helpText());
      return name === undefined ? ExitCode.user : ExitCode.ok;
    }
    if (name === "--version" || name === "-V") {
      out.out(`kcross ${VERSION}`);
      return ExitCode.ok;
    }
    const entry = findCommand(name);
    if (!entry) {
      out.err(`error: Unknown command "${name}"`);
      out.err("hint: run `kcross --help` to list the commands");
      return ExitCode.user;
    }
    const command = await entry.load();
    if (
      name !== "make.cross" && (rest.includes("--help") || rest.includes("-h"))
    ) {
      out.out(command.usage);
      return ExitCode.ok;
    }
    return await command.run({
      args: rest,
      out,
      cwd: options.cwd ?? Deno.cwd(),
      signal,
      dispatch,
    });
  });
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
