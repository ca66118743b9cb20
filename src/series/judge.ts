/**
 * Bisect's judge: is a built commit good, bad, or to be skipped? Pure.
 *
 * Bad when any target diagnostic appears (same file and message after
 * normalisation; line, column and severity wording are ignored, so a
 * diagnostic that moved by a few lines still counts). Good when the build
 * passed (or built nothing) without it. Skip when it failed without it: the
 * build broke for another reason and cannot tell.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import { normaliseMessage, normalisePath } from "./diagnostic_key.ts";
import type { StepBuild } from "./types.ts";

/** A judgement and why. */
export interface Judgement {
  mark: "good" | "bad" | "skip";
  /** The target diagnostics found (bad), else empty. */
  matched: Diagnostic[];
  reason: string;
}

function matchKey(d: Pick<Diagnostic, "file" | "message">): string {
  return `${normalisePath(d.file)}\u0000${normaliseMessage(d.message)}`;
}

/**
 * Judges one bisect step.
 *
 * @param targets the diagnostics being hunted (from `--diagnostic` or a report's `>>` lines)
 * @param build what building the commit produced
 * @returns good, bad or skip with the reason
 *
 * @example
 * ```ts
 * import { judgeStep } from "./judge.ts";
 * const d = (line: number) => ({
 *   tool: "compiler" as const, file: "a.c", line, column: 1, severity: "error",
 *   message: "boom", flag: null, count: 1, objects: [],
 * });
 * const build = { result: "fail" as const, recordId: "r", recordDir: "", diagnostics: [d(9)], timings: {} };
 * if (judgeStep([d(7)], build).mark !== "bad") throw new Error();
 * if (judgeStep([d(7)], { ...build, diagnostics: [] }).mark !== "skip") throw new Error();
 * ```
 */
export function judgeStep(
  targets: readonly Diagnostic[],
  build: StepBuild,
): Judgement {
  const wanted = new Set(targets.map(matchKey));
  const matched = build.diagnostics.filter((d) => wanted.has(matchKey(d)));
  if (matched.length > 0) {
    return {
      mark: "bad",
      matched,
      reason: `${matched.length} of the diagnostics appear`,
    };
  }
  if (build.result === "pass" || build.result === "empty") {
    return { mark: "good", matched, reason: "builds without the diagnostic" };
  }
  return {
    mark: "skip",
    matched,
    reason: `fails for another reason (${
      build.diagnostics.filter((d) => /error/i.test(d.severity)).length
    } other errors)`,
  };
}
