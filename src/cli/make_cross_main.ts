/**
 * The make.cross drop-in's own entry: what `kcross make.cross ARGS` (or a
 * `make.<arch>` link) runs, without the command registry's lazy load. It is
 * what `deno task bundle` bundles into `make_cross.bundle.js`, which the
 * launcher starts through `make_cross_fast.js` (ARCHITECTURE.md, "The
 * make.cross fast start").
 *
 * @module
 */
import { buildCommands } from "../build/cli.ts";
import { type Output, terminalOutput } from "../util/output.ts";
import { dispatch, guarded } from "./run_command.ts";

/**
 * Runs `kcross make.cross` with `args` (the words after it); never throws.
 *
 * @returns the exit code
 */
export async function makeCrossMain(
  args: string[],
  options: { out?: Output; cwd?: string } = {},
): Promise<number> {
  const out = options.out ?? terminalOutput();
  const command = buildCommands.find((c) => c.name === "make.cross")!;
  return await guarded(out, (signal) =>
    command.run({
      args,
      out,
      cwd: options.cwd ?? Deno.cwd(),
      signal,
      dispatch,
    }));
}
