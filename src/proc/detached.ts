/**
 * Starting a process that outlives kcross: no stdio, not waited for, not
 * killed with it (what the make.cross entry uses to rebuild its bundle in
 * the background). Nothing that affects a result may run this way.
 *
 * @module
 */
import { findExecutable } from "./find_executable.ts";

/**
 * Starts `argv` detached; never throws (a program that cannot start is
 * simply not run).
 *
 * @returns whether it started
 */
export function spawnDetached(
  argv: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): boolean {
  const program = argv[0]!.includes("/")
    ? argv[0]!
    : findExecutable(argv[0]!, Deno.env.get("PATH") ?? "/usr/bin:/bin");
  if (!program) return false;
  try {
    const child = new Deno.Command(program, {
      args: argv.slice(1),
      stdin: "null",
      stdout: "null",
      stderr: "null",
      ...(options.cwd ? { cwd: options.cwd } : {}),
      ...(options.env ? { env: options.env } : {}),
    }).spawn();
    child.unref();
    return true;
  } catch {
    return false;
  }
}
