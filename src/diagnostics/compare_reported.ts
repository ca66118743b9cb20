/**
 * Comparing a robot report's diagnostics with those a build produced: the
 * verdict of `kcross repro`.
 *
 * @module
 */
import type { Diagnostic } from "./types.ts";
import {
  type DiagnosticLike,
  normalizeDiagnostic,
  type NormalizeOptions,
  sparseHead,
} from "./normalize_diagnostic.ts";

/** A diagnostic as the report parser gives it (`diagnostics[]` entries). */
export interface ReportedDiagnostic {
  file: string;
  line: number;
  column: number | null;
  /** `error`, `warning`, `fatal error` or `sparse`. */
  severity: string;
  message: string;
  /** A `>>` (new) line. */
  new: boolean;
  prefix?: string;
}

/** How one reported diagnostic fared. */
export type ReportedStatus = "reproduced" | "moved" | "missing";

/** One reported diagnostic and what the build had for it. */
export interface ReportedMatch {
  reported: ReportedDiagnostic;
  status: ReportedStatus;
  /** The build's diagnostic that matched, or null when missing. */
  found: Diagnostic | null;
  /** For `moved`: `found.line - reported.line` (0 when only the column moved). */
  movedBy: number | null;
  /**
   * The build's severity when it differs from the report's only because of
   * `-Werror` (`error … [-Werror=x]` here, `warning … [-Wx]` in the report,
   * or the reverse); null when the severities agree.
   */
  severityHere: string | null;
}

/** `reproduced`: every new (`>>`) one was seen; `partial`: some; else `not-reproduced`. */
export type ReproVerdict = "reproduced" | "partial" | "not-reproduced";

/** The whole comparison. */
export interface Comparison {
  verdict: ReproVerdict;
  /** Which reported lines the verdict rests on: the `>>` ones, all, or none. */
  basis: "new" | "all" | "none";
  /** In report order. */
  matches: ReportedMatch[];
  /** Diagnostics the build has that the report does not list. */
  extra: Diagnostic[];
  counts: {
    reproduced: number;
    moved: number;
    missing: number;
    extra: number;
  };
}

interface Norm {
  file: string | null;
  line: number | null;
  column: number | null;
  severity: string;
  message: string;
  head: string;
  /** Severity and message as they would read without -Werror. */
  soft: { severity: string; message: string } | null;
}

/**
 * The -Werror tag at the end of a message: gcc's `[-Werror=x]`, clang's
 * `[-Werror,-Wx]`, and gcc's bare `[-Werror]` for a warning that has no flag
 * of its own (`excess elements in array initializer`).
 */
const WERROR_TAG = /\s*\[-Werror(?:(?:=|,-W)([^\]\s]+))?\]$/;

/**
 * kernel-doc rewords its messages between releases; the forms that mean the
 * same (`Function parameter or struct member` since 6.4, `or member` before).
 */
function kernelDocWording(message: string): string {
  return message.replace(
    /^Function parameter or (?:struct )?member /,
    "Function parameter or member ",
  );
}

function norm(d: DiagnosticLike, options: NormalizeOptions): Norm {
  const n = normalizeDiagnostic(d, options);
  const message = n.column === null ? kernelDocWording(n.message) : n.message;
  const tag = n.severity === "error" ? WERROR_TAG.exec(message) : null;
  const soft = tag
    ? {
      severity: "warning",
      message: message.slice(0, tag.index) +
        (tag[1] === undefined ? "" : ` [-W${tag[1]}]`),
    }
    : n.severity === "warning"
    ? { severity: "warning", message }
    : null;
  return {
    ...n,
    message,
    head: n.severity === "sparse" ? sparseHead(message) : "",
    soft,
  };
}

/**
 * How two diagnostics relate: `same` (file, severity and message), `werror`
 * (the same warning, one side turned into an error by -Werror), or null.
 */
function relation(a: Norm, b: Norm): "same" | "werror" | null {
  if (a.file !== b.file) return null;
  if (a.severity === b.severity) {
    if (a.message === b.message) return "same";
    // The robot folds sparse's expected/got lines into `@@ … @@`; a build may
    // word them differently (types print with other spacing across versions).
    return a.severity === "sparse" && a.head !== "" && a.head === b.head
      ? "same"
      : null;
  }
  return a.soft !== null && b.soft !== null &&
      a.soft.message === b.soft.message
    ? "werror"
    : null;
}

/**
 * Matches each reported diagnostic against the build's, after normalising
 * paths (srctree, `./`, `../`), quotes and whitespace. Exact line (and
 * column, when the report has one: kernel-doc lines have none) is
 * `reproduced`; the same file, severity and message elsewhere is `moved`
 * (nearest line: the tree is older or newer than the report's); otherwise
 * `missing`. A warning that one side turned into an error with -Werror
 * (`[-Werror=x]`, clang's `[-Werror,-Wx]`) matches too, with
 * `severityHere` saying so. The verdict rests on the `>>` lines when the report has any,
 * else on all reported ones: all seen (moved counts, flagged) is
 * `reproduced`, none `not-reproduced`, otherwise `partial`.
 *
 * @example
 * ```ts
 * import { compareReported } from "./compare_reported.ts";
 * const reported = [{ file: "include/uapi/linux/vfio.h", line: 608, column: 37,
 *   severity: "error", message: "expected identifier before '(' token", new: true }];
 * const found = [{ tool: "compiler" as const, file: "include/uapi/linux/vfio.h",
 *   line: 984, column: 32, severity: "error", flag: null, count: 21, objects: [],
 *   message: "expected identifier before '(' token" }];
 * const c = compareReported(reported, found);
 * if (c.verdict !== "reproduced" || c.matches[0]?.movedBy !== 376) throw new Error();
 * ```
 */
export function compareReported(
  reported: readonly ReportedDiagnostic[],
  found: readonly Diagnostic[],
  options: NormalizeOptions = {},
): Comparison {
  const r = reported.map((d) => norm(d, {}));
  const f = found.map((d) => norm(d, options));
  const used = new Array<boolean>(found.length).fill(false);
  const matches: ReportedMatch[] = reported.map((d) => ({
    reported: d,
    status: "missing",
    found: null,
    movedBy: null,
    severityHere: null,
  }));
  const severityHere = (how: "same" | "werror", j: number) =>
    how === "werror" ? f[j]!.severity : null;
  // Exact first (the same severity before a -Werror twin), so a moved match
  // never steals an exact one's partner. Reports repeat a line when several
  // units hit it: both match the one (deduplicated) diagnostic, so exact
  // matching ignores `used`.
  for (const want of ["same", "werror"] as const) {
    r.forEach((rd, i) => {
      if (matches[i]!.status !== "missing") return;
      const j = f.findIndex((fd) =>
        fd.line === rd.line &&
        (rd.column === null || fd.column === rd.column) &&
        relation(rd, fd) === want
      );
      if (j < 0) return;
      used[j] = true;
      matches[i] = {
        reported: reported[i]!,
        status: "reproduced",
        found: found[j]!,
        movedBy: null,
        severityHere: severityHere(want, j),
      };
    });
  }
  // The same diagnostic elsewhere: the tree is older or newer than the
  // report's, so lines moved. Nearest wins, the same severity first.
  const movedBefore = new Map<string, ReportedMatch>();
  r.forEach((rd, i) => {
    if (matches[i]!.status !== "missing") return;
    const key =
      `${rd.file}:${rd.line}:${rd.column}: ${rd.severity}: ${rd.message}`;
    const twin = movedBefore.get(key);
    if (twin !== undefined) {
      matches[i] = { ...twin, reported: reported[i]! };
      return;
    }
    let best = -1;
    let bestHow: "same" | "werror" = "same";
    for (let k = 0; k < f.length; k++) {
      if (used[k]) continue;
      const how = relation(rd, f[k]!);
      if (how === null) continue;
      const better = best < 0 ||
        (how === "same" && bestHow === "werror") ||
        (how === bestHow && gap(f[k]!, rd) < gap(f[best]!, rd));
      if (better) {
        best = k;
        bestHow = how;
      }
    }
    if (best < 0) return;
    used[best] = true;
    matches[i] = {
      reported: reported[i]!,
      status: "moved",
      found: found[best]!,
      movedBy: (f[best]!.line ?? 0) - (rd.line ?? 0),
      severityHere: severityHere(bestHow, best),
    };
    movedBefore.set(key, matches[i]!);
  });
  const extra = found.filter((_, k) => !used[k]);
  const newOnes = matches.filter((m) => m.reported.new);
  const basis = newOnes.length > 0
    ? "new"
    : matches.length > 0
    ? "all"
    : "none";
  const judged = basis === "new" ? newOnes : matches;
  const seen = judged.filter((m) => m.status !== "missing").length;
  const verdict: ReproVerdict = judged.length > 0 && seen === judged.length
    ? "reproduced"
    : seen > 0
    ? "partial"
    : "not-reproduced";
  const count = (s: ReportedStatus) =>
    matches.filter((m) => m.status === s).length;
  return {
    verdict,
    basis,
    matches,
    extra,
    counts: {
      reproduced: count("reproduced"),
      moved: count("moved"),
      missing: count("missing"),
      extra: extra.length,
    },
  };
}

function gap(a: Norm, b: Norm): number {
  return Math.abs((a.line ?? 0) - (b.line ?? 0)) * 1000 +
    Math.abs((a.column ?? 0) - (b.column ?? 0));
}
