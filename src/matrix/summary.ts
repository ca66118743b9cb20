/**
 * A matrix run's summary as data, and its Markdown and JUnit renderings.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import type { RunManifest } from "./run_store.ts";
import type { CellInputs, CellPhase, CellRecord, CellResult } from "./types.ts";

/** A cell's line in the summary. */
export interface SummaryCell {
  key: string;
  digest: string;
  axes: Record<string, string>;
  inputs: CellInputs;
  result: CellResult | "not-run";
  /** A failure the matrix file allows (`allow_failure`). */
  allowedFailure: boolean;
  errors: number;
  warnings: number;
  durationMs: number;
  attempts: number;
  ranOn: string | null;
  message: string | null;
  record: { dir: string | null; id: string | null; log: string | null };
  toolchain: { id: string; version: string; exact: boolean } | null;
  reproducer: string;
  diagnostics: Diagnostic[];
  reusedFrom: string | null;
  /** Per named target of the cell's build (absent: none asked). */
  phases?: CellPhase[];
}

/** `summary.json`. */
export interface RunSummary {
  version: 1;
  runId: string;
  name: string;
  matrixFile: string;
  mode: "local" | "queue";
  createdAt: string;
  finishedAt: string;
  tree: { url: string; commit: string | null; dirty: boolean };
  axes: { name: string; values: string[] }[];
  totals: {
    cells: number;
    pass: number;
    fail: number;
    infra: number;
    interrupted: number;
    notRun: number;
    errors: number;
    warnings: number;
  };
  cells: SummaryCell[];
}

/**
 * The summary line of a cell that did not run (no record), with an optional
 * message saying why.
 *
 * @example
 * ```ts
 * import { notRunCell } from "./summary.ts";
 * const c = notRunCell({ key: "k", digest: "d", axes: {}, inputs: {} as never });
 * if (c.result !== "not-run" || c.errors !== 0 || c.message !== null) throw new Error();
 * ```
 */
export function notRunCell(
  cell: Pick<SummaryCell, "key" | "digest" | "axes" | "inputs">,
  message: string | null = null,
): SummaryCell {
  return {
    key: cell.key,
    digest: cell.digest,
    axes: cell.axes,
    inputs: cell.inputs,
    result: "not-run",
    allowedFailure: false,
    errors: 0,
    warnings: 0,
    durationMs: 0,
    attempts: 0,
    ranOn: null,
    message,
    record: { dir: null, id: null, log: null },
    toolchain: null,
    reproducer: "",
    diagnostics: [],
    reusedFrom: null,
  };
}

/** Builds the summary of a run from its manifest and recorded cells. */
export function buildSummary(
  manifest: RunManifest,
  records: Map<string, CellRecord>,
  finishedAt: Date = new Date(),
): RunSummary {
  const cells: SummaryCell[] = manifest.cells.map((cell) => {
    const rec = records.get(cell.digest);
    if (!rec) {
      return notRunCell(cell);
    }
    return {
      key: cell.key,
      digest: cell.digest,
      axes: cell.axes,
      inputs: cell.inputs,
      result: rec.result,
      allowedFailure: rec.result === "fail" && cell.inputs.allowFailure,
      errors: rec.errors,
      warnings: rec.warnings,
      durationMs: rec.durationMs,
      attempts: rec.attempts,
      ranOn: rec.ranOn,
      message: rec.message,
      record: {
        dir: rec.outcome.recordDir,
        id: rec.outcome.recordId,
        log: rec.outcome.logPath,
      },
      toolchain: rec.outcome.toolchain,
      reproducer: rec.outcome.reproducer,
      diagnostics: rec.outcome.diagnostics,
      reusedFrom: rec.reusedFrom,
      ...(rec.outcome.phases ? { phases: rec.outcome.phases } : {}),
    };
  });
  const axes = new Map<string, string[]>();
  for (const c of cells) {
    for (const [k, v] of Object.entries(c.axes)) {
      const list = axes.get(k) ?? [];
      if (!list.includes(v)) list.push(v);
      axes.set(k, list);
    }
  }
  return {
    version: 1,
    runId: manifest.id,
    name: manifest.name,
    matrixFile: manifest.matrixFile,
    mode: manifest.mode,
    createdAt: manifest.createdAt,
    finishedAt: finishedAt.toISOString(),
    tree: {
      url: manifest.tree.url,
      commit: manifest.tree.commit,
      dirty: manifest.tree.dirtyDigest !== null,
    },
    axes: [...axes].map(([name, values]) => ({ name, values })),
    totals: summaryTotals(cells),
    cells,
  };
}

/** The counts of a summary's cells, by result, and their diagnostics. */
export function summaryTotals(cells: SummaryCell[]): RunSummary["totals"] {
  const count = (r: SummaryCell["result"]) =>
    cells.filter((c) => c.result === r).length;
  return {
    cells: cells.length,
    pass: count("pass"),
    fail: count("fail"),
    infra: count("infra"),
    interrupted: count("interrupted"),
    notRun: count("not-run"),
    errors: cells.reduce((n, c) => n + c.errors, 0),
    warnings: cells.reduce((n, c) => n + c.warnings, 0),
  };
}

/**
 * The exit code of a run: 1 when a cell failed (and is not allowed to),
 * else 3 when a cell hit infrastructure errors or did not run, else 0.
 */
export function summaryExitCode(summary: RunSummary): number {
  if (summary.cells.some((c) => c.result === "fail" && !c.allowedFailure)) {
    return 1;
  }
  if (
    summary.cells.some((c) =>
      c.result === "infra" || c.result === "not-run" ||
      c.result === "interrupted"
    )
  ) {
    return 3;
  }
  return 0;
}

/** One diagnostic as a robot-style line: `file:line:col: severity: message`. */
export function diagnosticLine(d: Diagnostic): string {
  const where = [d.file ?? "", d.line ?? "", d.column ?? ""].filter((x) =>
    x !== ""
  ).join(":");
  return `${where ? `${where}: ` : ""}${d.severity}: ${d.message}`;
}

const RESULT_MARK: Record<SummaryCell["result"], string> = {
  pass: "✅ pass",
  fail: "❌ fail",
  infra: "⚠️ infra",
  interrupted: "⏸ interrupted",
  "not-run": "… not run",
};

function mdEscape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/**
 * A duration for people: `850 ms`, `34.2 s`, `3m05s`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./summary.ts";
 * if (formatDuration(1500) !== "1.5 s") throw new Error();
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  return s < 60
    ? `${s.toFixed(1)} s`
    : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

/** `summary.md`: a table for a PR comment, then the failing cells' errors. */
export function renderMarkdown(summary: RunSummary): string {
  const t = summary.totals;
  const lines = [
    `### kcross matrix: ${summary.name}`,
    "",
    `Commit \`${summary.tree.commit?.slice(0, 12) ?? "working tree"}\`${
      summary.tree.dirty ? " (with uncommitted changes)" : ""
    } · ${t.cells} cells: ${t.pass} pass, ${t.fail} fail, ${t.infra} infra` +
    (t.notRun ? `, ${t.notRun} not run` : "") + ` · run \`${summary.runId}\``,
    "",
    "| cell | result | errors | warnings | time | toolchain |",
    "| --- | --- | ---: | ---: | ---: | --- |",
  ];
  for (const c of summary.cells) {
    const result = RESULT_MARK[c.result] +
      (c.allowedFailure ? " (allowed)" : "") +
      (c.reusedFrom ? " (reused)" : "");
    lines.push(
      `| \`${mdEscape(c.key)}\` | ${result} | ${c.errors} | ${c.warnings} | ${
        formatDuration(c.durationMs)
      } | ${c.toolchain ? mdEscape(c.toolchain.id) : ""} |`,
    );
  }
  const failing = summary.cells.filter((c) =>
    c.result === "fail" || c.result === "infra"
  );
  for (const c of failing) {
    lines.push(
      "",
      `<details><summary><code>${c.key}</code>: ${c.result}</summary>`,
      "",
    );
    if (c.message) lines.push(`${c.message}`, "");
    const errs = c.diagnostics.filter((d) =>
      d.severity.toLowerCase().includes("error")
    ).slice(0, 20);
    if (errs.length) {
      lines.push("```", ...errs.map(diagnosticLine), "```", "");
    }
    if (c.reproducer) lines.push("Reproduce:", "```", c.reproducer, "```", "");
    lines.push("</details>");
  }
  return lines.join("\n") + "\n";
}

/** Escapes text for XML attributes and content. */
export function xmlEscape(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (ch) =>
      ({
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "'": "&apos;",
      })[ch]!,
  )
    // deno-lint-ignore no-control-regex
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, "");
}

/** `junit.xml`: one testcase per cell; failing diagnostics in the message. */
export function renderJunit(summary: RunSummary): string {
  const t = summary.totals;
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const total = summary.cells.reduce((n, c) => n + c.durationMs, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kcross matrix" tests="${t.cells}" failures="${t.fail}" errors="${
      t.infra + t.interrupted
    }" skipped="${t.notRun}" time="${secs(total)}">`,
    `  <testsuite name="${
      xmlEscape(summary.name)
    }" tests="${t.cells}" failures="${t.fail}" errors="${
      t.infra + t.interrupted
    }" skipped="${t.notRun}" time="${
      secs(total)
    }" timestamp="${summary.createdAt}">`,
  ];
  for (const c of summary.cells) {
    const head = `    <testcase name="${
      xmlEscape(c.key)
    }" classname="kcross.matrix.${xmlEscape(c.axes.arch ?? "cell")}" time="${
      secs(c.durationMs)
    }"`;
    const diag = c.diagnostics.filter((d) =>
      d.severity.toLowerCase().includes("error")
    )
      .map(diagnosticLine).join("\n");
    if (c.result === "pass") {
      out.push(`${head}/>`);
    } else if (c.result === "fail") {
      const msg = `${c.errors} error(s)${c.message ? `: ${c.message}` : ""}${
        diag ? `\n${diag}` : ""
      }`;
      out.push(
        `${head}>`,
        `      <failure message="${xmlEscape(msg)}" type="build">${
          xmlEscape(diag || msg)
        }${
          c.reproducer ? xmlEscape(`\n\nReproduce: ${c.reproducer}`) : ""
        }</failure>`,
        "    </testcase>",
      );
    } else if (c.result === "not-run") {
      out.push(
        `${head}>`,
        `      <skipped message="not run"/>`,
        "    </testcase>",
      );
    } else {
      out.push(
        `${head}>`,
        `      <error message="${
          xmlEscape(`${c.result}: ${c.message ?? ""}`)
        }" type="${c.result}"/>`,
        "    </testcase>",
      );
    }
  }
  out.push("  </testsuite>", "</testsuites>");
  return out.join("\n") + "\n";
}
