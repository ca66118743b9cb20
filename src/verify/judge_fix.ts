/**
 * The verdict on a fix: each reported diagnostic is gone, still there or
 * moved on the fix commit, and the fix must not bring diagnostics the
 * report's commit did not have. Pure: two builds' diagnostics in, a
 * judgement out.
 *
 * @module
 */
import {
  compareReported,
  type Diagnostic,
  diffDiagnostics,
  type ReportedDiagnostic,
} from "../diagnostics/mod.ts";
import type { FixJudgement, FixRow, FixStatus } from "./types.ts";

/**
 * Judges a fix.
 *
 * @param reported the report's diagnostics (`>>` ones marked `new`)
 * @param builds the diagnostics of the report's commit (`base`) and of the
 *   fix (`fix`), built with the same setup, and the objects the fix's
 *   build compiled (`rebuilt`; a reported diagnostic whose objects were all
 *   left up to date by an incremental build is still there)
 * @returns per reported diagnostic a status, the introduced diagnostics,
 *   and the verdict: `fixed` when every `>>` diagnostic (every one, when the
 *   report marks none) is gone and nothing is introduced,
 *   `fixed-with-new-diagnostics` when they are gone but the fix adds some,
 *   `not-fixed` when one is still there or moved, or when the report's
 *   commit did not show it either (a fix cannot be told apart then)
 *
 * @example
 * ```ts
 * import { judgeFix } from "./judge_fix.ts";
 * const d = (line: number, message: string) => ({ tool: "compiler" as const, file: "a.c", line,
 *   column: 1, severity: "error", message, flag: null, count: 1, objects: [] });
 * const reported = [{ file: "a.c", line: 3, column: 1, severity: "error", message: "boom", new: true }];
 * const j = judgeFix(reported, { base: [d(3, "boom")], fix: [] });
 * if (j.verdict !== "fixed" || j.rows[0]?.status !== "gone") throw new Error(j.verdict);
 * const k = judgeFix(reported, { base: [d(3, "boom")], fix: [d(5, "boom")] });
 * if (k.verdict !== "not-fixed" || k.rows[0]?.status !== "moved") throw new Error(k.verdict);
 * const stale = judgeFix(reported, { base: [{ ...d(3, "boom"), objects: ["a.o"] }], fix: [], rebuilt: new Set(["b.o"]) });
 * if (stale.verdict !== "not-fixed" || !stale.rows[0]?.notRebuilt) throw new Error(stale.verdict);
 * ```
 */
export function judgeFix(
  reported: readonly ReportedDiagnostic[],
  builds: {
    base: readonly Diagnostic[];
    fix: readonly Diagnostic[];
    rebuilt?: ReadonlySet<string>;
  },
): FixJudgement {
  const atBase = compareReported(reported, builds.base);
  const atFix = compareReported(reported, builds.fix);
  const rows: FixRow[] = atFix.matches.map((m, i) => {
    let status: FixStatus = m.status === "missing"
      ? "gone"
      : m.status === "reproduced"
      ? "still there"
      : "moved";
    // An incremental build prints nothing for objects make found up to
    // date: their diagnostics are what their last compile printed.
    const before = atBase.matches[i]!.found;
    const stale = status === "gone" && builds.rebuilt !== undefined &&
      before !== null && before.objects.length > 0 &&
      !before.objects.some((o) => builds.rebuilt!.has(o));
    if (stale) status = "still there";
    return {
      ...(stale ? { notRebuilt: true } : {}),
      status,
      new: m.reported.new,
      file: m.reported.file,
      line: m.reported.line,
      column: m.reported.column,
      severity: m.reported.severity,
      message: m.reported.message,
      ...(m.status === "moved" && m.movedBy !== null
        ? { movedBy: m.movedBy }
        : {}),
      seenAtReport: atBase.matches[i]!.status !== "missing",
    };
  });
  const introduced = diffDiagnostics(builds.base, builds.fix).added;
  const basis = atFix.basis;
  const judged = basis === "new" ? rows.filter((r) => r.new) : rows;
  const notes: string[] = [];
  const remaining = judged.filter((r) => r.status !== "gone");
  const unseen = judged.filter((r) => r.status === "gone" && !r.seenAtReport);
  if (basis === "none") {
    notes.push(
      "the report lists no file:line diagnostics: nothing to check the fix against",
    );
  }
  if (unseen.length) {
    notes.push(
      `${unseen.length} reported diagnostic(s) did not show at the report's commit either with this setup, so their absence on the fix proves nothing (see kcross repro)`,
    );
  }
  const verdict = basis === "none" || remaining.length || unseen.length
    ? "not-fixed"
    : introduced.length
    ? "fixed-with-new-diagnostics"
    : "fixed";
  return { verdict, basis, rows, introduced, notes };
}
