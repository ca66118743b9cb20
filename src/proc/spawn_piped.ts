/**
 * A child whose stdin kcross feeds as a stream (a decompressor, tar, gpgv in
 * the one-pass toolchain install), with a fixed C
 * locale (the rest of the environment is inherited). Argv only, never a shell.
 *
 * @module
 */

/** Options of `spawnPiped`. */
export interface SpawnPipedOptions {
  /** `piped` to read its stdout, `null` to discard it. */
  stdout: "piped" | "null";
}

/**
 * Starts `argv` with piped stdin and stderr.
 *
 * @example
 * ```ts
 * import { spawnPiped } from "./spawn_piped.ts";
 * const c = spawnPiped(["cat"], { stdout: "piped" });
 * const w = c.stdin.getWriter();
 * await w.write(new TextEncoder().encode("x"));
 * await w.close();
 * const out = await new Response(c.stdout).text();
 * await c.stderr.cancel();
 * if (out !== "x" || !(await c.status).success) throw new Error(out);
 * ```
 */
export function spawnPiped(
  argv: string[],
  options: SpawnPipedOptions,
): Deno.ChildProcess {
  return new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    stdin: "piped",
    stdout: options.stdout,
    stderr: "piped",
    env: { LANG: "C", LC_ALL: "C" },
  }).spawn();
}
