/**
 * The real engine behind `kcross repro`: the report parser, the toolchain
 * resolver, the native build planner, the build runner and the diagnostic
 * comparer.
 *
 * @module
 */
import { parseReport } from "../report/mod.ts";
import { resolveToolchain } from "../toolchain/mod.ts";
import { planNativeBuild, runBuild } from "../build/mod.ts";
import { compareReported } from "../diagnostics/mod.ts";
import { fetchConfig } from "../config/mod.ts";
import type { ReproEngine } from "./engine.ts";

/** Whether the report says its config came as an attachment. */
const ATTACHED_CONFIG = /config:\s*\S+\s*\(\s*attached\s+as/;

/** The engine wired to the real modules. */
export function defaultEngine(): ReproEngine {
  return {
    parse(text, reproduceText) {
      const report = parseReport(
        text,
        reproduceText === undefined ? {} : {
          reproduceText,
          reproduceOrigin: "--reproduce",
        },
      );
      return {
        report,
        attachedConfig: report.attachments.config ?? null,
        configAttached: ATTACHED_CONFIG.test(text),
      };
    },
    fetchConfig(url, options) {
      return fetchConfig(url, options);
    },
    resolveToolchain(request, options) {
      return resolveToolchain(request, options);
    },
    planBuild(input) {
      const makeArgs = input.makeVars.filter((v) => !/^[WC]=/.test(v));
      const w = input.makeVars.find((v) => v.startsWith("W="))?.slice(2);
      const c = input.makeVars.find((v) => v.startsWith("C="))?.slice(2);
      return planNativeBuild({
        srcTree: input.srcTree,
        arch: input.arch,
        compiler: input.toolchain.requested,
        config: input.config,
        werror: input.werror,
        outDir: input.outDir,
        ...(w !== undefined ? { w } : {}),
        ...(c !== undefined ? { c } : {}),
        ...(input.jobs !== null ? { jobs: input.jobs } : {}),
        ccache: input.ccache,
        targets: input.targets,
        makeArgs,
        ...(input.makeOrigin ? { makeOrigin: input.makeOrigin } : {}),
        trustMakeLine: input.trustMakeLine ?? false,
        allowSubstitute: !input.toolchain.exact,
        triple: input.triple,
        tripleReason: input.tripleReason,
        // The toolchain is already resolved (exact or an accepted substitute).
        resolve: () => Promise.resolve(input.toolchain),
      });
    },
    runBuild(plan, options) {
      return runBuild(plan, { ...options, echo: false });
    },
    compare(reported, found) {
      const c = compareReported(reported, found);
      return {
        verdict: c.verdict,
        extra: c.extra,
        rows: c.matches.map((m) => ({
          reported: m.reported,
          status: m.status,
          ...(m.movedBy !== null ? { movedBy: m.movedBy } : {}),
          ...(m.severityHere !== null ? { severityHere: m.severityHere } : {}),
        })),
      };
    },
  };
}
