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
import { checkRerunArgs } from "./rerun_args.ts";
import type { KcrossInvocation, RecordMetadata } from "../record/types.ts";

/** The commands a reproducer holds, the only ones `logs rerun` runs. */
const REPLAYED = ["build"];

/** Where and how to replay. */
export interface RerunOptions {
  /** The record's directory (replaces the record-dir token). */
  recordDir: string;
  /** Kernel tree to build in (default: the recorded one, see `ownRecord`). */
  tree?: string;
  /**
   * The record lives in this machine's store (named by id or `latest`).
   * A record named by a path elsewhere is someone else's: its recorded tree
   * is a path it chose, so the build runs in `cwd` (the current directory,
   * as `kcross build` does) unless `tree` is given.
   */
  ownRecord?: boolean;
  /** The current directory: the tree for a record that is not our own. */
  cwd?: string;
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
  const recorded = meta.reproduce?.steps;
  if (!Array.isArray(recorded) || recorded.length === 0) {
    throw new UserError(`Record "${meta.id}" has no reproducer steps`);
  }
  // A record is input like a report: it may only replay what kcross writes
  // into reproducers (`kcross build …` with its own options), not
  // `doctor --install`, `cache gc`, `--trust-make-line`…
  for (const step of recorded) {
    if (!REPLAYED.includes(step?.command)) {
      throw new UserError(
        `Record "${meta.id}" asks to run "kcross ${
          shellLine([String(step?.command)]).slice(0, 80)
        }": logs rerun only replays ${REPLAYED.join(", ")} steps`,
        { hint: "the record's metadata.json was not written by kcross build" },
      );
    }
    checkRerunArgs(meta.id, step.args);
  }
  if (options.outDir === undefined) {
    await checkRecordedOutDir(meta.id, meta.reproduce.outDir);
  }
  const tree = options.tree ?? recordedTree(meta, options, ctx);
  const { cwd, steps } = rerunInvocations(meta, { ...options, tree });
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

/**
 * The tree a rerun builds when no `--tree` is given. The recorded one is a
 * path the record chose, and building a tree runs its Makefile: a record
 * that ships a Makefile and names its own directory (or one inside it)
 * would run it. So the recorded tree is used only for a record of this
 * machine's store, and never when it is the record's directory or inside
 * it; a record named by a path builds in the current directory.
 *
 * @throws {UserError} a recorded tree that is not a plain absolute path, or
 *   the record's own directory
 */
function recordedTree(
  meta: RecordMetadata,
  options: RerunOptions,
  ctx: CommandContext,
): string {
  const dir = meta.reproduce.cwd as unknown;
  const hint =
    "pass the kernel tree yourself: kcross logs rerun <id> --tree DIR";
  if (
    typeof dir !== "string" || !dir.startsWith("/") || /[\0\n\r]/.test(dir) ||
    dir.split("/").includes("..")
  ) {
    throw new UserError(
      `Record "${meta.id}" names a tree that is not an absolute path: ${
        JSON.stringify(String(dir).slice(0, 80))
      }`,
      { hint },
    );
  }
  const real = (p: string) => {
    try {
      return Deno.realPathSync(p);
    } catch {
      return p;
    }
  };
  const record = real(options.recordDir);
  const tree = real(dir);
  if (tree === record || tree.startsWith(`${record}/`)) {
    throw new UserError(
      `Record "${meta.id}" names its own directory as the kernel tree: ${
        JSON.stringify(dir.slice(0, 80))
      }`,
      { hint },
    );
  }
  if (options.ownRecord) return dir;
  const here = options.cwd ?? ctx.cwd;
  ctx.out.err(
    `kcross: the record is not one of this machine's (${options.recordDir}): building in ${here}, not its recorded tree ${dir} (--tree DIR to choose)`,
  );
  return here;
}

/**
 * The recorded out dir is a path of the machine that wrote the record: it
 * is built into only when it is absent, empty or a build dir already (has a
 * `.config`). kbuild writes its own `Makefile` into `O=`, so a forged path
 * must not name a directory of yours.
 *
 * @throws {UserError} a recorded out dir that is not a plain absolute path,
 *   or a directory with files but no `.config`
 */
async function checkRecordedOutDir(id: string, dir: unknown): Promise<void> {
  if (dir === null || dir === undefined) return;
  const hint = "pass the out dir yourself: kcross logs rerun <id> --out DIR";
  if (
    typeof dir !== "string" || !dir.startsWith("/") || /[\0\n\r]/.test(dir) ||
    dir.split("/").includes("..")
  ) {
    throw new UserError(
      `Record "${id}" names an out dir that is not an absolute path: ${
        JSON.stringify(String(dir).slice(0, 80))
      }`,
      { hint },
    );
  }
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    if (!(error instanceof Deno.errors.NotADirectory)) throw error;
    throw new UserError(`Record "${id}" names out dir "${dir}", a file`, {
      hint,
    });
  }
  if (entries.length && !entries.some((e) => e.name === ".config")) {
    throw new UserError(
      `Record "${id}" names out dir "${dir}", which holds files but no .config (not a build dir)`,
      { hint },
    );
  }
}
