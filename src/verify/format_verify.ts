/**
 * `kcross verify`'s answer as lines of text: per reported diagnostic gone /
 * still there / moved, what the fix introduces, the builds compared, the
 * verdict, and the trailers.
 *
 * @module
 */
import { loc, setupLines } from "../repro/format_verdict.ts";
import { alsoLine } from "./also_matrix.ts";
import type { FixRow } from "./types.ts";
import type { VerifyResult } from "./run_verify.ts";

/** Introduced diagnostics listed (all of them are in verify.json). */
const INTRODUCED_SHOWN = 12;

/**
 * A row's status as printed.
 *
 * @example
 * ```ts
 * import { fixStatusText } from "./format_verify.ts";
 * if (fixStatusText({ status: "moved", movedBy: -3, seenAtReport: true }) !== "moved -3 lines") throw new Error();
 * if (fixStatusText({ status: "gone", seenAtReport: false }) !== "gone (not seen at the report's commit either)") throw new Error();
 * ```
 */
export function fixStatusText(
  r: Pick<FixRow, "status" | "movedBy" | "seenAtReport" | "notRebuilt">,
): string {
  if (r.status === "moved") {
    return `moved ${(r.movedBy ?? 0) > 0 ? "+" : ""}${r.movedBy ?? 0} lines`;
  }
  if (r.status === "gone" && !r.seenAtReport) {
    return "gone (not seen at the report's commit either)";
  }
  if (r.notRebuilt) return "still there (object not rebuilt)";
  return r.status;
}

/**
 * The trailer lines and what the fix's commit message has of them.
 *
 * @example
 * ```ts
 * import { trailerLines } from "./format_verify.ts";
 * const l = trailerLines({ trailers: ["Reported-by: x"], trailersMissing: [], fix: { commit: "abcdef1234567", subject: "s" } });
 * if (l.at(-1) !== "(the commit message of abcdef123456 already carries them)") throw new Error(l.join("\n"));
 * ```
 */
export function trailerLines(
  v: Pick<VerifyResult, "trailers" | "trailersMissing"> & {
    fix: { commit: string; subject: string };
  },
): string[] {
  const lines = ["", "add to the fix's commit message, as the report asks:"];
  for (const t of v.trailers) lines.push(t);
  const sha = v.fix.commit.slice(0, 12);
  if (v.trailersMissing.length === 0) {
    lines.push(`(the commit message of ${sha} already carries them)`);
  } else if (v.trailersMissing.length < v.trailers.length) {
    lines.push(
      `(the commit message of ${sha} lacks: ${v.trailersMissing.join("; ")})`,
    );
  }
  return lines;
}

/**
 * The whole answer.
 *
 * @param v what `runVerify` found
 * @returns lines for stdout; the last is the verdict, then the trailers
 *   when it is `fixed`
 */
export function formatVerify(v: VerifyResult): string[] {
  const lines: string[] = [];
  let width = 11;
  for (const r of v.rows) width = Math.max(width, fixStatusText(r).length);
  lines.push(`${"on the fix".padEnd(width)}  reported diagnostic`);
  for (const r of v.rows) {
    lines.push(
      `${fixStatusText(r).padEnd(width)}  ${r.new ? ">>" : "  "} ${
        loc(r)
      }: ${r.severity}: ${r.message}`,
    );
  }
  if (v.rows.length === 0) {
    lines.push("(the report lists no file:line diagnostics)");
  }
  if (v.introduced.length) {
    lines.push(
      "",
      `introduced by the fix (${v.introduced.length}, not at the report's commit):`,
    );
    for (const d of v.introduced.slice(0, INTRODUCED_SHOWN)) {
      lines.push(`>> ${loc(d)}: ${d.severity}: ${d.message}`);
    }
    if (v.introduced.length > INTRODUCED_SHOWN) {
      lines.push(
        `   … ${v.introduced.length - INTRODUCED_SHOWN} more in verify.json`,
      );
    }
  }
  lines.push(
    "",
    `setup:           ARCH=${v.arch}, config ${v.config}, ${v.toolchain}${
      v.makeVars.length ? `, ${v.makeVars.join(" ")}` : ""
    }${v.targets.length ? `, ${v.targets.join(" ")}` : ""}`,
    `report's commit: ${v.report.commit.slice(0, 12)} (${
      v.report.from === "record" ? "its build record" : "built now"
    }: ${v.report.recordDir})`,
    `fix:             ${
      v.fix.commit.slice(0, 12)
    } ${v.fix.subject} (${v.fix.recordDir})`,
  );
  if (v.cells?.length) {
    lines.push("", `also (${v.cells.length} cells):`);
    for (const c of v.cells) lines.push(`  ${alsoLine(c)}`);
  }
  lines.push(...setupLines(v));
  lines.push(`verdict: ${v.verdict}`);
  if (v.verdict === "fixed") lines.push(...trailerLines(v));
  return lines;
}
