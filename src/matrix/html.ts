/**
 * `summary.html`: one self-contained page (inline CSS, no script, no
 * server): a grid of arch rows × config/compiler columns, each cell coloured
 * by result and linking to its diagnostics panel (CSS `:target`).
 *
 * @module
 */
import {
  diagnosticLine,
  formatDuration,
  type RunSummary,
  type SummaryCell,
  xmlEscape as esc,
} from "./summary.ts";

const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1b1f24;background:#fff}
h1{font-size:1.3em;margin:0 0 .2em}
.meta{color:#57606a;margin-bottom:1em}
.totals span{display:inline-block;margin-right:1em}
table.grid{border-collapse:collapse;margin:1em 0}
.grid th,.grid td{border:1px solid #d0d7de;padding:4px 6px;text-align:center;vertical-align:middle}
.grid th{background:#f6f8fa;font-weight:600}
.grid th.arch{text-align:left}
a.cell{display:block;min-width:7em;padding:6px 4px;margin:2px 0;border-radius:4px;text-decoration:none;color:#fff;font-weight:600}
a.cell small{display:block;font-weight:400;opacity:.9}
.pass{background:#1a7f37}.warn{background:#bf8700}.fail{background:#cf222e}
.allowed{background:#8c959f}.infra{background:#6e40c9}.interrupted{background:#57606a}.not-run{background:#d0d7de;color:#1b1f24!important}
.legend span{display:inline-block;padding:2px 8px;margin-right:6px;border-radius:4px;color:#fff;font-size:12px}
.detail{display:none;border:1px solid #d0d7de;border-radius:6px;padding:1em;margin:1em 0;background:#f6f8fa}
.detail:target{display:block;position:fixed;top:1em;right:1em;bottom:1em;width:min(56em,58vw);overflow:auto;box-shadow:0 8px 24px rgba(0,0,0,.2)}
.detail h2{font-size:1.1em;margin:0 0 .5em}
pre{background:#fff;border:1px solid #d0d7de;padding:.6em;overflow:auto;white-space:pre-wrap;font-size:12px}
table.kv td{padding:1px 8px 1px 0;vertical-align:top}
.hint{color:#57606a;font-size:12px}
`;

function cellClass(c: SummaryCell): string {
  if (c.result === "pass") return c.warnings > 0 ? "warn" : "pass";
  if (c.result === "fail") return c.allowedFailure ? "allowed" : "fail";
  return c.result;
}

function cellLabel(c: SummaryCell, extraAxes: string[]): string {
  const extra = extraAxes.map((a) =>
    a === "targets" ? (c.axes[a] || "all") : `${a}=${c.axes[a] ?? ""}`
  );
  const counts = c.result === "pass" || c.result === "fail"
    ? `${c.errors}E ${c.warnings}W · ${formatDuration(c.durationMs)}`
    : c.result;
  return `${extra.length ? `${esc(extra.join(" "))}<br>` : ""}${
    c.result === "pass" ? "pass" : c.result === "fail" ? "fail" : ""
  }<small>${esc(counts)}</small>`;
}

/** How another command (presubmit) words the page; the matrix run's own by default. */
export interface HtmlOptions {
  /** The page's title and heading (default `kcross matrix: <name>`). */
  heading?: string;
  /** Lines shown under the heading, each its own paragraph (plain text). */
  notes?: readonly string[];
  /** A cell's diagnostics as shown in its panel (default `diagnosticLine` of each). */
  diagnosticLines?: (c: SummaryCell) => string[];
}

function detail(c: SummaryCell, options: HtmlOptions): string {
  const rows: [string, string][] = [
    [
      "result",
      `${c.result}${c.allowedFailure ? " (allowed failure)" : ""}${
        c.reusedFrom ? ` (reused from ${c.reusedFrom})` : ""
      }`,
    ],
    [
      "arch / config / compiler",
      `${c.inputs.arch} / ${c.inputs.config} / ${c.inputs.compiler}`,
    ],
    ["targets", c.inputs.targets.join(" ") || "(default goal)"],
    [
      "make",
      Object.entries(c.inputs.make).map(([k, v]) => `${k}=${v}`).join(" ") ||
      "-",
    ],
    ["werror", c.inputs.werror],
    [
      "toolchain",
      c.toolchain
        ? `${c.toolchain.id} (${c.toolchain.exact ? "exact" : "substitute"})`
        : "-",
    ],
    ["errors / warnings", `${c.errors} / ${c.warnings}`],
    [
      "duration",
      `${formatDuration(c.durationMs)} (${c.attempts} attempt${
        c.attempts === 1 ? "" : "s"
      })`,
    ],
    ["ran on", c.ranOn ?? "-"],
    ["build record", c.record.dir ?? "-"],
    ["full log", c.record.log ?? "-"],
  ];
  if (c.inputs.fragments.length) {
    rows.push(["fragments", c.inputs.fragments.join(" ")]);
  }
  if (c.inputs.sets.length) rows.push(["set", c.inputs.sets.join(" ")]);
  if (c.message) rows.push(["message", c.message]);
  const diags = (options.diagnosticLines?.(c) ??
    c.diagnostics.map(diagnosticLine)).join("\n");
  return `<section class="detail" id="${esc(c.digest)}" data-key="${
    esc(c.key)
  }">
<h2>${esc(c.key)}</h2>
<table class="kv">${
    rows.map(([k, v]) => `<tr><td><b>${esc(k)}</b></td><td>${esc(v)}</td></tr>`)
      .join("")
  }</table>
<h3>Diagnostics (${c.diagnostics.length})</h3>
${diags ? `<pre>${esc(diags)}</pre>` : "<p>none</p>"}
${c.reproducer ? `<h3>Reproduce</h3><pre>${esc(c.reproducer)}</pre>` : ""}
<p class="hint"><a href="#top">close</a></p>
</section>`;
}

/**
 * Renders the page. Rows are arches; column groups are configs, sub-columns
 * compilers; cells varying on other axes (targets, W…) stack in one slot.
 */
export function renderHtml(
  summary: RunSummary,
  options: HtmlOptions = {},
): string {
  const heading = options.heading ?? `kcross matrix: ${summary.name}`;
  const notes = (options.notes ?? []).map((n) => `<p>${esc(n)}</p>`).join(
    "\n",
  );
  const axis = (n: string) =>
    summary.axes.find((a) => a.name === n)?.values ?? [];
  const arches = axis("arch");
  const configs = axis("config");
  const compilers = axis("compiler");
  const extraAxes = summary.axes.filter((a) =>
    !["arch", "config", "compiler"].includes(a.name) && a.values.length > 1
  )
    .map((a) => a.name);
  const t = summary.totals;
  const head1 = configs.map((c) =>
    `<th colspan="${compilers.length}">${esc(c)}</th>`
  ).join("");
  const head2 = configs.map(() =>
    compilers.map((c) => `<th>${esc(c)}</th>`).join("")
  ).join("");
  const body = arches.map((arch) => {
    const tds = configs.map((config) =>
      compilers.map((compiler) => {
        const here = summary.cells.filter((c) =>
          c.axes.arch === arch && c.axes.config === config &&
          c.axes.compiler === compiler
        );
        const inner = here.map((c) =>
          `<a class="cell ${cellClass(c)}" href="#${esc(c.digest)}" title="${
            esc(c.key)
          }" data-key="${esc(c.key)}" data-result="${c.result}">${
            cellLabel(c, extraAxes)
          }</a>`
        ).join("");
        return `<td>${inner || "—"}</td>`;
      }).join("")
    ).join("");
    return `<tr><th class="arch">${esc(arch)}</th>${tds}</tr>`;
  }).join("\n");
  const commit = summary.tree.commit
    ? summary.tree.commit.slice(0, 12)
    : "working tree";
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(heading)} · ${esc(summary.runId)}</title>
<style>${CSS}</style></head>
<body id="top">
<h1>${esc(heading)}</h1>
<div class="meta">run ${esc(summary.runId)} · ${esc(summary.mode)} · tree ${
    esc(summary.tree.url)
  } @ ${esc(commit)}${summary.tree.dirty ? " (+ uncommitted changes)" : ""} · ${
    esc(summary.finishedAt)
  }</div>
${notes}
<div class="totals"><span><b>${t.cells}</b> cells</span><span><b>${t.pass}</b> pass</span><span><b>${t.fail}</b> fail</span><span><b>${t.infra}</b> infra</span>${
    t.notRun ? `<span><b>${t.notRun}</b> not run</span>` : ""
  }<span><b>${t.errors}</b> errors</span><span><b>${t.warnings}</b> warnings</span></div>
<div class="legend"><span class="pass">pass</span><span class="warn">pass with warnings</span><span class="fail">fail</span><span class="allowed">allowed failure</span><span class="infra">infra</span><span class="not-run">not run</span></div>
<table class="grid" id="grid">
<thead><tr><th rowspan="2" class="arch">arch</th>${head1}</tr><tr>${head2}</tr></thead>
<tbody>
${body}
</tbody></table>
<p class="hint">Click a cell for its diagnostics.</p>
${summary.cells.map((c) => detail(c, options)).join("\n")}
</body></html>
`;
}
