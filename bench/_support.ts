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
/**
 * `sync`, untimed, before a timed run: the dirty pages an earlier run left
 * (hundreds of MB of extracted toolchain or objects) are written back now,
 * not billed to whichever command runs next.
 */
export async function settle(): Promise<void> {
  await new Deno.Command("sync", { stdout: "null", stderr: "null" }).output()
    .catch(() => {});
}

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

/**
 * Runs `argv` (no shell) with `LANG=C NO_COLOR=1` over the inherited
 * environment, plus `opts.env`.
 *
 * @throws {Error} with its stderr when it exits non-zero, unless `allowFail`
 */
export async function run(
  argv: string[],
  opts: { cwd?: string; env?: Record<string, string>; allowFail?: boolean } =
    {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    ...(opts.cwd ? { cwd: opts.cwd } : {}),
    env: { LANG: "C", NO_COLOR: "1", ...opts.env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = {
    code: r.code,
    stdout: new TextDecoder().decode(r.stdout),
    stderr: new TextDecoder().decode(r.stderr),
  };
  if (!opts.allowFail && !r.success) {
    throw new Error(`${argv.join(" ")} exited ${r.code}: ${out.stderr}`);
  }
  return out;
}

/** Commits every change in `repo`; returns the new commit. */
export async function commit(repo: string, subject: string): Promise<string> {
  await run(["git", "commit", "-q", "-a", "-m", subject], { cwd: repo });
  return (await run(["git", "rev-parse", "HEAD"], { cwd: repo })).stdout
    .trim();
}

/** Puts `text` before the content of the file `path`. */
export async function prepend(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text + await Deno.readTextFile(path));
}

/** CPU seconds (user + system) of this process's waited-for descendants. */
export async function childCpu(): Promise<number> {
  const stat = await Deno.readTextFile("/proc/self/stat");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17
  return (Number(fields[13]) + Number(fields[14])) / 100;
}
