/**
 * The real engine behind `kcross repro`: the report parser, the toolchain
 * resolver, the native build planner, the build runner and the diagnostic
 * comparer.
 *
 * @module
 */
import { parseReport } from "../report/mod.ts";
import { resolveToolchain } from "../toolchain/mod.ts";
import {
  type BuildRequest,
  prepareNativeBuild,
  runBuild,
  toNativeInput,
} from "../build/mod.ts";
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
    async planBuild(input) {
      const w = input.makeVars.find((v) => v.startsWith("W="))?.slice(2);
      const c = input.makeVars.find((v) => v.startsWith("C="))?.slice(2);
      const request: BuildRequest = {
        arch: input.arch,
        config: input.config,
        seed: null,
        compiler: input.toolchain.requested,
        fragments: [],
        sets: [],
        werror: input.werror,
        w: w ?? null,
        c: c ?? null,
        jobs: input.jobs,
        ccache: input.ccache,
        allowSubstitute: !input.toolchain.exact,
        allowDistro: false,
        offline: false,
        allowEmpty: false,
        trustMakeLine: input.trustMakeLine ?? false,
        triple: input.triple,
        targets: input.targets,
        makeArgs: input.makeVars.filter((v) => !/^[WC]=/.test(v)),
      };
      // The report's triple is given: the plan is never provisional.
      const { plan } = await prepareNativeBuild({
        ...toNativeInput(request, {
          srcTree: input.srcTree,
          outDir: input.outDir,
          cwd: input.srcTree,
        }),
        tripleReason: input.tripleReason,
        ...(input.makeOrigin ? { makeOrigin: input.makeOrigin } : {}),
        // The toolchain is already resolved (exact or an accepted substitute).
        resolve: () => Promise.resolve(input.toolchain),
      });
      return plan;
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
