/**
 * A readable summary of a parsed report (what `kcross report parse` prints
 * without `--json`): what the report says. What a repro would do with it is
 * the planner's (`src/repro/describe_plan.ts`).
 *
 * @module
 */
import type { ParsedReport } from "./types.ts";

/**
 * Formats `report` as lines for a terminal.
 *
 * @param report a parse result
 * @returns lines, no trailing newlines
 */
export function formatSummary(report: ParsedReport): string[] {
  const out: string[] = [];
  const row = (k: string, v: string | null | undefined) => {
    if (v !== null && v !== undefined && v !== "") {
      out.push(`${(k + ":").padEnd(11)} ${v}`);
    }
  };
  const kind = report.report_type === "branch"
    ? "branch report"
    : report.report_type === "patch"
    ? "patch report"
    : "reproduce script";
  out.push(
    `0-day robot ${kind}${report.format ? ` (${report.format} format)` : ""}`,
  );
  row("tree", [report.tree_url, report.branch].filter(Boolean).join(" "));
  row("head", report.head);
  row(
    "commit",
    [
      report.commit,
      report.report_type === "branch" ? report.commit_subject : null,
    ].filter(Boolean).join(" "),
  );
  if (report.report_type === "patch") {
    row("subject", report.commit_subject);
    row("url", report.url);
    row("base", report.base);
    row("patch", report.patch_link);
  }
  row(
    "config",
    [report.config_name, report.config_url && `(${report.config_url})`]
      .filter(Boolean).join(" "),
  );
  row("compiler", report.compiler?.raw);
  row("arch", report.arch);
  const flags = [
    report.w !== null ? `W=${report.w}` : null,
    report.c !== null ? `C=${report.c}` : null,
  ].filter(Boolean).join(" ");
  row("flags", flags);
  if (report.make_args !== null) {
    row("make", [...report.make_args].join(" "));
  }
  row("rustc", report.setup.rustc);
  row("sparse", report.setup.sparse);
  row("docutils", report.setup.docutils);
  row("b4 shazam", report.setup.b4_shazam);
  if (report.setup.apt_packages.length > 0) {
    row("apt-get", report.setup.apt_packages.join(" "));
  }
  if (report.setup.unreleased_compiler) {
    row("note", `${report.setup.unreleased_compiler} may not be released yet`);
  }
  row("reproduce", report.reproduce_url);
  row("archive", report.setup.closes_url);
  if (report.reproduce_file) {
    row(
      "repro file",
      `${report.reproduce_file.make_invocations.length} make line(s)` +
        (report.reproduce_file.origin
          ? `, ${report.reproduce_file.origin}`
          : ""),
    );
  }
  const fresh = report.diagnostics.filter((d) => d.new).length;
  out.push("");
  out.push(
    `${report.diagnostics.length} diagnostic(s), ${fresh} new, in ${report.sections.length} section(s)`,
  );
  for (const d of report.diagnostics) {
    const where = `${d.file}:${d.line}${
      d.column === null ? "" : `:${d.column}`
    }`;
    out.push(`${d.new ? ">>" : "  "} ${where}: ${d.severity}: ${d.message}`);
  }
  const other = report.marked_lines.length -
    report.diagnostics.filter((d) => d.new).length;
  if (other > 0) {
    out.push(`${other} other marked line(s) (linker, modpost, Kconfig…):`);
    for (const m of report.marked_lines) {
      if (
        !report.diagnostics.some((d) => m.startsWith(`${d.file}:${d.line}`))
      ) {
        out.push(`>> ${m}`);
      }
    }
  }
  for (const w of report.warnings) out.push(`warning: ${w}`);
  return out;
}
