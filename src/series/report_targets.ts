/**
 * What `kcross bisect --report` hunts: the report's new (`>>`) diagnostics,
 * and the build options the report implies (arch, config and its
 * CONFIG_WERROR policy, compiler, W=/C=, targets) as defaults the user's own
 * options override. The options come from the one planner `repro` uses.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import {
  loadReport,
  type ParsedReport,
  type ReportDiagnostic,
} from "../report/mod.ts";
import { planBuildSetup } from "../repro/plan_repro.ts";
import type { ReportTargets } from "./bisect_command.ts";
import { diagnosticKey } from "./diagnostic_key.ts";

function toDiagnostic(d: ReportDiagnostic): Diagnostic {
  return {
    tool: d.severity === "sparse" ? "sparse" : "compiler",
    file: d.file,
    line: d.line,
    column: d.column,
    severity: d.severity,
    message: d.message,
    flag: /\[(-W[^\]]+)\]\s*$/.exec(d.message)?.[1] ?? null,
    count: 1,
    objects: [],
  };
}

/**
 * Bisect targets and default build words from a parsed report. Pure.
 *
 * @param report a parsed robot report
 * @returns the `>>` diagnostics, deduplicated (all of them when none is
 *   marked), and build words
 *
 * @example
 * ```ts
 * import { reportTargets } from "./report_targets.ts";
 * import { parseReport } from "../report/mod.ts";
 * const r = reportTargets(parseReport([
 *   "tree:   https://git.kernel.org/x.git master",
 *   "head:   0123456789abcdef0123456789abcdef01234567",
 *   "commit: 0123456789abcdef0123456789abcdef01234567 [1/2] foo: bar",
 *   "config: powerpc-allmodconfig",
 *   "compiler: powerpc-linux-gcc (GCC) 11.2.0",
 *   "",
 *   "All errors (new ones prefixed by >>):",
 *   "",
 *   ">> drivers/a.c:1:2: error: boom",
 * ].join("\n")));
 * if (r.targets[0]?.file !== "drivers/a.c") throw new Error();
 * if (r.buildOptions.join(" ") !== "--arch powerpc --config allmodconfig --werror=off --compiler gcc-11.2.0") throw new Error(r.buildOptions.join(" "));
 * if (r.buildTargets[0] !== "drivers/") throw new Error();
 * ```
 */
export function reportTargets(report: ParsedReport): ReportTargets {
  const fresh = report.diagnostics.filter((d) => d.new);
  const hunted = fresh.length > 0 ? fresh : report.diagnostics;
  const setup = planBuildSetup(report);
  const options: string[] = [];
  if (setup.arch) options.push("--arch", setup.arch);
  const config = setup.config;
  if (config.kind === "target") options.push("--config", config.target);
  else if (config.kind === "url") options.push("--config", config.url);
  if (config.kind !== "missing" && config.werror.mode === "off") {
    options.push("--werror=off");
  }
  if (setup.compiler) options.push("--compiler", setup.compiler.request);
  for (const v of setup.makeVars) {
    const [k, value] = [
      v.slice(0, v.indexOf("=")),
      v.slice(v.indexOf("=") + 1),
    ];
    if (k === "W") options.push("-W", value);
    else if (k === "C") options.push("-C", value);
    else if (k === "CF" || k === "KCFLAGS") options.push(v);
  }
  const seen = new Set<string>();
  const targets = hunted.map(toDiagnostic).filter((d) => {
    const key = diagnosticKey(d);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    targets,
    buildOptions: options,
    buildTargets: setup.targets,
  };
}

/**
 * Reads the report at `path` (mail, archive copy) for bisect.
 *
 * @throws {UserError} unreadable or not a report
 */
export async function readReportTargets(path: string): Promise<ReportTargets> {
  return reportTargets(await loadReport(path, { lenient: true }));
}
