/**
 * `kcross logs rerun`: replays a record's reproducer through kcross's own
 * commands (argv, never a shell).
 *
 * @module
 */
import type { CommandContext } from "../util/command.ts";
import { UserError } from "../errors.ts";
import { RECORD_DIR_TOKEN } from "../record/reproducer.ts";
import { shellLine } from "../util/shell_quote.ts";
import type { KcrossInvocation, RecordMetadata } from "../record/types.ts";

/** The commands a reproducer holds, the only ones `logs rerun` runs. */
const REPLAYED = ["build"];

/** Where and how to replay. */
export interface RerunOptions {
  /** The record's directory (replaces the record-dir token). */
  recordDir: string;
  /** Kernel tree to build in (default: the recorded one). */
  tree?: string;
  /** Out dir (default: the recorded one). */
  outDir?: string;
  /**
   * `--trust-make-line`, passed on to the `build` steps. A record is input
   * like any other: its make words go through the make-word policy again.
   */
  trustMakeLine?: boolean;
}

/**
 * The invocations `logs rerun` makes: the reproducer's steps with the record
 * dir filled in and the portable out dir replaced by the real one.
 *
 * @example
 * ```ts
 * import { rerunInvocations } from "./logs_rerun.ts";
 * const meta = { reproduce: { cwd: "/k", outDir: "/o", makeCross: [], steps: [
 *   { command: "build", args: ["--config", "${KCROSS_RECORD_DIR}/config", "--out", "build_dir", "x/"] },
 * ] } };
 * // deno-lint-ignore no-explicit-any
 * const r = rerunInvocations(meta as any, { recordDir: "/r" });
 * if (r.cwd !== "/k" || r.steps[0]!.args.join(" ") !== "--config /r/config --out /o x/") throw new Error();
 * ```
 */
export function rerunInvocations(
  meta: Pick<RecordMetadata, "reproduce">,
  options: RerunOptions,
): { cwd: string; steps: KcrossInvocation[] } {
  const outDir = options.outDir ?? meta.reproduce.outDir;
  const steps = meta.reproduce.steps.map((step) => {
    const args = step.args.map((a) =>
      a.startsWith(RECORD_DIR_TOKEN)
        ? `${options.recordDir}${a.slice(RECORD_DIR_TOKEN.length)}`
        : a
    );
    const out = args.indexOf("--out");
    if (out !== -1 && outDir && out + 1 < args.length) args[out + 1] = outDir;
    if (options.trustMakeLine && step.command === "build") {
      args.unshift("--trust-make-line");
    }
    return { ...step, args };
  });
  return { cwd: options.tree ?? meta.reproduce.cwd, steps };
}

/**
 * Runs the invocations in order; stops at the first non-zero exit.
 *
 * @returns the last exit code
 * @throws {UserError} when the record has no reproducer steps, or a step
 *   that is not `build`
 */
export async function rerun(
  meta: RecordMetadata,
  options: RerunOptions,
  ctx: CommandContext,
): Promise<number> {
  const { cwd, steps } = rerunInvocations(meta, options);
  if (steps.length === 0) {
    throw new UserError(`Record "${meta.id}" has no reproducer steps`);
  }
  // A record is input like a report: it may only replay what kcross writes
  // into reproducers (`kcross build …`), not `doctor --install`, `cache gc`…
  for (const step of steps) {
    if (!REPLAYED.includes(step.command)) {
      throw new UserError(
        `Record "${meta.id}" asks to run "kcross ${
          shellLine([step.command]).slice(0, 80)
        }": logs rerun only replays ${REPLAYED.join(", ")} steps`,
        { hint: "the record's metadata.json was not written by kcross build" },
      );
    }
  }
  const dispatch = ctx.dispatch;
  if (!dispatch) {
    throw new Error("logs rerun needs a command dispatcher in its context");
  }
  let code = 0;
  for (const step of steps) {
    const line = shellLine([step.command, ...step.args]);
    ctx.out.err(`kcross: kcross ${line}`);
    code = await dispatch(step.command, { ...ctx, args: step.args, cwd });
    if (code !== 0) break;
  }
  return code;
}
