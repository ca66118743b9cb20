/**
 * Running a helper tool in test support code.
 *
 * @module
 */

/**
 * Runs `argv` (no shell) and returns its stdout.
 *
 * @throws {Error} with its stderr when it exits non-zero
 */
export async function runTool(
  argv: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
    env,
  }).output();
  if (!r.success) {
    throw new Error(
      `${argv.join(" ")} failed: ${new TextDecoder().decode(r.stderr)}`,
    );
  }
  return new TextDecoder().decode(r.stdout);
}
