/**
 * Helpers shared by the benchmarks.
 *
 * @module
 */

/**
 * Runs `argv` (no shell) with exactly `env` and returns its stdout.
 *
 * @throws {Error} with its stderr when it exits non-zero
 */
export async function runOk(
  argv: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(`${argv.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  }
  return new TextDecoder().decode(r.stdout);
}
