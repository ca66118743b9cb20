/**
 * How a presubmit result reads: each cell's line, each likely report in the
 * robot's own shape (header lines, then "All errors (new ones prefixed by
 * >>):"), the one-line answer, and `summary.md`. Pure.
 *
 * @module
 */
import { formatDuration } from "../matrix/summary.ts";
import type {
  CellReport,
  CellVerdict,
  PresubmitCommit,
  PresubmitResult,
  PresubmitTotals,
} from "./types.ts";

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `powerpc-allmodconfig` as the robot names a config; a file by its name. */
export function configLabel(cell: Pick<CellVerdict, "inputs">): string {
  const c = cell.inputs.config;
  if (/^[A-Za-z0-9_.-]+$/.test(c)) return `${cell.inputs.arch}-${c}`;
  return c.slice(c.lastIndexOf("/") + 1) || c;
}

function commitLabel(c: PresubmitCommit, n: number): string {
  return `${c.sha.slice(0, 12)} ("${c.subject}") [${c.index}/${n}]`;
}

function toolchainNote(v: CellVerdict): string {
  const tc = v.toolchain;
  if (!tc) return v.inputs.compiler;
  return `${v.inputs.compiler} (${tc.id}${
    tc.exact ? "" : ", not the exact build asked for"
  })`;
}

/** What one cell came to, on one line. */
export function cellLine(v: CellVerdict, commits: number): string {
  switch (v.status) {
    case "reported": {
      const n = v.reports.reduce((m, r) => m + r.newDiagnostics.length, 0);
      const at = v.reports.map((r) => `${r.commit.index}/${commits}`).join(
        ", ",
      );
      return `${v.key}: would be reported (${
        plural(n, "new diagnostic")
      } at commit ${at})${v.reason ? `; also ${v.reason}` : ""}`;
    }
    case "clean":
      return `${v.key}: clean (no diagnostic new relative to the base)${
        v.toolchain && !v.toolchain.exact
          ? ` [built with ${v.toolchain.id}, not the exact build asked for]`
          : ""
      }`;
    case "not-run":
      return `${v.key}: not run: ${v.reason}`;
    default:
      return `${v.key}: ${v.status}: ${v.reason}`;
  }
}

/** One likely report, robot-style. */
export function reportLines(
  v: CellVerdict,
  r: CellReport,
  commits: number,
): string[] {
  const kind = r.kind === "error" ? "errors" : "warnings";
  const w = v.inputs.make.W;
  return [
    `kernel test robot noticed the following build ${kind}:`,
    "",
    `commit: ${commitLabel(r.commit, commits)}`,
    `config: ${configLabel(v)}`,
    `compiler: ${toolchainNote(v)}`,
    ...(r.reproducer
      ? [`reproduce${w ? ` (this is a W=${w} build)` : ""}: ${r.reproducer}`]
      : []),
    "",
    `All ${kind} (new ones prefixed by >>):`,
    "",
    ...r.lines,
  ];
}

/** The one-line answer, e.g. `presubmit: 2 of 12 cells would be reported (3 new diagnostics)`. */
export function answerLine(t: PresubmitTotals, where: string): string {
  const unchecked = t.notRun + t.infra + t.interrupted;
  const notChecked = unchecked > 0
    ? `; ${unchecked} of ${t.cells} not checked (${
      [
        t.notRun ? `${t.notRun} not run` : "",
        t.infra ? `${t.infra} infra` : "",
        t.interrupted ? `${t.interrupted} interrupted` : "",
      ].filter((s) => s).join(", ")
    })`
    : "";
  const ran = t.cells - unchecked;
  let head: string;
  if (t.reported > 0) {
    head = `${t.reported} of ${t.cells} cells would be reported (${
      plural(t.newDiagnostics, "new diagnostic")
    })`;
  } else if (ran === 0) head = `no cell could be checked`;
  else if (unchecked === 0) {
    head = `clean: none of the ${plural(t.cells, "cell")} would be reported`;
  } else head = `nothing new in the ${plural(ran, "cell")} that ran`;
  return `presubmit: ${head}${notChecked} — see ${where}`;
}

/** The text printed on stdout: every cell, then each likely report. */
export function formatResult(result: PresubmitResult): string[] {
  const n = result.commits.length - 1;
  const base = result.commits[0]!;
  const lines = [
    `presubmit ${result.range}: base ${base.sha.slice(0, 12)} + ${
      plural(n, "commit")
    } x ${
      plural(result.cells.length, "cell")
    } (${result.name}), run ${result.id}`,
    "",
  ];
  for (const v of result.cells) lines.push(cellLine(v, n));
  for (const v of result.cells) {
    for (const r of v.reports) {
      lines.push("", `=== ${v.key} at commit ${r.commit.index}/${n}`, "");
      for (const l of reportLines(v, r, n)) lines.push(l);
    }
  }
  return lines;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

const MARK: Record<string, string> = {
  pass: "✅",
  fail: "❌",
  infra: "⚠️",
  interrupted: "⏸",
};

/** `summary.md`: the answer, a cell × commit table, then each likely report. */
export function renderPresubmitMarkdown(
  result: PresubmitResult,
  where: string,
): string {
  const n = result.commits.length - 1;
  const lines = [
    `### kcross presubmit: ${mdEscape(result.range)}`,
    "",
    `**${answerLine(result.totals, where).replace(/ — see .*$/, "")}**`,
    "",
    `Profile \`${mdEscape(result.name)}\` (${
      plural(result.cells.length, "cell")
    }) · base \`${result.commits[0]!.sha.slice(0, 12)}\` + ${
      plural(n, "commit")
    } · ${result.mode} · run \`${result.id}\``,
    "",
    `| cell | ${
      result.commits.map((c) =>
        c.index === 0 ? "base" : `${c.index} \`${c.sha.slice(0, 8)}\``
      ).join(" | ")
    } | verdict |`,
    `| --- | ${result.commits.map(() => "---").join(" | ")} | --- |`,
  ];
  for (const v of result.cells) {
    const steps = v.steps.map((s, i) => {
      if (!s) return "";
      const fresh = i > 0 && v.newCounts[i]! > 0 ? ` +${v.newCounts[i]}` : "";
      return `${MARK[s.result] ?? s.result}${fresh} ${
        formatDuration(s.durationMs)
      }`;
    });
    lines.push(
      `| \`${mdEscape(v.key)}\` | ${steps.join(" | ")} | ${
        mdEscape(cellLine(v, n).slice(v.key.length + 2))
      } |`,
    );
  }
  for (const v of result.cells) {
    for (const r of v.reports) {
      lines.push(
        "",
        `#### \`${mdEscape(v.key)}\` at commit ${r.commit.index}/${n}`,
        "",
        "```",
        ...reportLines(v, r, n),
        "```",
      );
    }
  }
  return lines.join("\n") + "\n";
}
