/**
 * How a command runs, for `main.ts` and the make.cross entry alike: Ctrl-C
 * and SIGTERM abort its signal, what it throws becomes one `error:` line
 * (and a `hint:`) with the documented exit code, and another command can be
 * dispatched by name.
 *
 * @module
 */
import { findCommand } from "./commands.ts";
import type { CommandContext } from "../util/command.ts";
import type { Output } from "../util/output.ts";
import {
  asHostError,
  asUserError,
  ExitCode,
  exitCodeOf,
  KcrossError,
  UserError,
} from "../errors.ts";

/**
 * Runs `body` with a signal that Ctrl-C / SIGTERM abort; never throws.
 *
 * @returns body's exit code, or the one for what it threw (130 once aborted)
 */
export async function guarded(
  out: Output,
  body: (signal: AbortSignal) => Promise<number>,
): Promise<number> {
  const controller = new AbortController();
  const onSignal = () =>
    controller.abort(new Deno.errors.Interrupted("interrupted"));
  const signals: Deno.Signal[] = ["SIGINT", "SIGTERM"];
  for (const s of signals) Deno.addSignalListener(s, onSignal);
  try {
    return await body(controller.signal);
  } catch (thrown) {
    const error = asHostError(asUserError(thrown));
    reportError(out, error);
    return controller.signal.aborted ? ExitCode.interrupted : exitCodeOf(error);
  } finally {
    for (const s of signals) Deno.removeSignalListener(s, onSignal);
  }
}

/** Runs the subcommand `name` with `ctx` (a command running another one). */
export async function dispatch(
  name: string,
  ctx: CommandContext,
): Promise<number> {
  const entry = findCommand(name);
  if (!entry) throw new UserError(`Unknown command "${name}"`);
  const command = await entry.load();
  return await command.run({ ...ctx, dispatch });
}

function reportError(out: Output, error: unknown): void {
  if (error instanceof KcrossError) {
    out.err(`error: ${error.message}`);
    if (error.hint) out.err(`hint: ${error.hint}`);
    return;
  }
  if (error instanceof Deno.errors.Interrupted) {
    out.err("error: Interrupted");
    return;
  }
  const message = error instanceof Error
    ? error.stack ?? error.message
    : String(error);
  out.err(`error: Unexpected failure: ${message}`);
  out.err(
    "hint: this is a kcross bug or an environment problem; please report it with the line above",
  );
}
