/**
 * The one planner from a parsed robot report to a reproduction: which
 * commit, which config (and its CONFIG_WERROR policy), which compiler and
 * triple, which make variables and targets. `report parse` shows it,
 * `repro` and `verify` carry it out, `bisect --report` builds with it.
 * Pure: a function of (report, facts), returning plain data.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { archInfo } from "../toolchain/arch.ts";
import { compilerPlan } from "./plan_compiler.ts";
import {
  type ConfigFacts,
  planConfig,
  splitConfigName,
} from "./plan_config.ts";
import type {
  BuildSetup,
  ReportedDiagnostic,
  ReportFields,
  ReproPlan,
  SourcePlan,
} from "./types.ts";

/** What is known besides the report: the user's overrides and attachments. */
export interface ReproFacts extends ConfigFacts {
  /** `--commit`: build this instead of (or, for patch reports, in lieu of) the report's commit. */
  commit?: string;
  /** `--remote-url`: fetch from here instead of the report's tree URL. */
  remoteUrl?: string;
}

/** Variables kcross sets itself (never copied from the report's make line). */
const OWN_VARS = new Set(["O", "ARCH", "CROSS_COMPILE", "CC", "LD", "HOSTCC"]);

/**
 * The robot's sparse flags: its reports print `sparse: sparse:` because of
 * `-fdiagnostic-prefix` (lkp-tests make.cross, and every inline C=1 line).
 */
export const ROBOT_SPARSE_CF = "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__";

function num(v: number | string | null | undefined): string | null {
  if (v === null || v === undefined || v === "") return null;
  return String(v);
}

function varName(arg: string): string | null {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(arg);
  return m ? m[1]! : null;
}

/**
 * Targets from the directories of the reported diagnostics' source files
 * (headers are skipped: they are built through the files that include them).
 *
 * @example
 * ```ts
 * import { targetsFromDiagnostics } from "./plan_repro.ts";
 * const t = targetsFromDiagnostics([
 *   { file: "include/uapi/linux/vfio.h", line: 1, column: 1, severity: "error", message: "x", new: true },
 *   { file: "drivers/vfio/vfio.c", line: 2, column: 1, severity: "error", message: "y", new: true },
 *   { file: "./drivers/vfio/pci/x.c", line: 2, column: 1, severity: "error", message: "y", new: false },
 * ]);
 * if (t.join() !== "drivers/vfio/") throw new Error(t.join());
 * ```
 */
export function targetsFromDiagnostics(diags: ReportedDiagnostic[]): string[] {
  const dirs = new Set<string>();
  for (const d of diags) {
    const file = d.file.replace(/^(\.\/)+/, "");
    if (!/\.(c|S|rs)$/.test(file) || file.startsWith("/")) continue;
    const slash = file.lastIndexOf("/");
    if (slash <= 0) continue;
    dirs.add(file.slice(0, slash + 1));
  }
  const sorted = [...dirs].sort();
  return sorted.filter((d) =>
    !sorted.some((other) => other !== d && d.startsWith(other))
  );
}

/**
 * The commands that check out a patch report's `base:` (a sha, a name like
 * `next-20241004`, or a tree URL plus branch).
 *
 * @example
 * ```ts
 * import { checkoutBase } from "./plan_repro.ts";
 * if (checkoutBase("https://x/linux.git features") !== "git fetch --no-tags https://x/linux.git features && git checkout --detach FETCH_HEAD") throw new Error();
 * if (checkoutBase("6a8f57ae2eb0") !== "git checkout --detach 6a8f57ae2eb0") throw new Error();
 * ```
 */
export function checkoutBase(base: string): string {
  const words = base.trim().split(/\s+/);
  if (words.length > 1 && /^(https?|git):\/\//.test(words[0]!)) {
    return `git fetch --no-tags ${words[0]} ${
      words[1]
    } && git checkout --detach FETCH_HEAD`;
  }
  return `git checkout --detach ${words.at(-1)}`;
}

/**
 * The commit to build and where to fetch it from.
 *
 * @throws {UserError} a patch report without a commit (says what `b4
 *   shazam` would do), a report that names no commit
 */
export function planSource(
  report: ReportFields,
  facts: ReproFacts = {},
): SourcePlan {
  const rf = report.reproduce_file ?? null;
  const fetchUrl = facts.remoteUrl ?? report.tree_url ?? rf?.tree_url ?? null;
  const fetchRef = report.branch ?? rf?.branch ?? null;
  const head = report.head ?? null;
  if (facts.commit) {
    return {
      commit: facts.commit,
      fetchUrl,
      fetchRef,
      head,
      commitFrom: "--commit",
    };
  }
  const fromReport = report.commit ??
    (report.report_type === "patch" ? null : rf?.commit ?? null);
  if (fromReport) {
    return {
      commit: fromReport,
      fetchUrl,
      fetchRef,
      head,
      commitFrom: report.commit ? "report" : "reproduce file",
    };
  }
  if (report.report_type === "patch" || report.patch_link) {
    const link = report.patch_link ?? rf?.b4_shazam ?? report.url ??
      "<patch link>";
    const base = report.base ?? "<base>";
    throw new UserError(
      "This is a patch report without a commit: the robot applied the patch onto its base",
      {
        hint: `apply it yourself onto its base (${base}): "${
          checkoutBase(base)
        } && b4 shazam ${link}", then run again with --commit <sha of the result>`,
      },
    );
  }
  if (head) {
    return { commit: head, fetchUrl, fetchRef, head, commitFrom: "head" };
  }
  throw new UserError("The report names no commit to build", {
    hint: "pass --commit <sha>",
  });
}

/**
 * The arch: the build line's `ARCH=`, else an earlier make line's (`make
 * ARCH=x86_64 allmodconfig` then `make C=1`), else the reproduce script's,
 * else the config name's prefix.
 */
function archOf(report: ReportFields): string | null {
  const rf = report.reproduce_file ?? null;
  const fromLines = (lines: ReportFields["make_invocations"]) => {
    for (const m of [...(lines ?? [])].reverse()) {
      const a = m.args.findLast((x) => x.startsWith("ARCH="));
      if (a !== undefined) return a.slice(5);
    }
    return null;
  };
  const raw = report.arch ?? fromLines(report.make_invocations) ??
    rf?.make_args?.findLast((a) => a.startsWith("ARCH="))?.slice(5) ??
    fromLines(rf?.make_invocations) ??
    (report.config_name ? splitConfigName(report.config_name).arch : null);
  if (!raw) return null;
  try {
    return archInfo(raw).name;
  } catch {
    return raw; // an arch kcross does not know: repro says so when it resolves
  }
}

/**
 * How a report's build is set up, whatever commit is built: arch, config
 * (with the robot's CONFIG_WERROR policy), compiler, make variables,
 * targets. Never throws: what cannot be had is in the result (`arch` null,
 * `config.kind === "missing"`), for `report parse` to show and `bisect` to
 * leave to the user's own options.
 *
 * @example
 * ```ts
 * import { planBuildSetup } from "./plan_repro.ts";
 * const s = planBuildSetup({ tree_url: null, branch: null, commit: null, config_name: "powerpc-allmodconfig",
 *   config_url: null, arch: null, compiler: null, make_args: null, targets: null, w: 1, c: null,
 *   diagnostics: [{ file: "drivers/vfio/vfio.c", line: 1, column: 1, severity: "error", message: "m", new: true }] });
 * if (s.arch !== "powerpc" || s.config.kind !== "target" || s.config.werror.mode !== "off") throw new Error();
 * if (s.makeVars.join() !== "W=1" || s.targets.join() !== "drivers/vfio/") throw new Error();
 * ```
 */
export function planBuildSetup(
  report: ReportFields,
  facts: ConfigFacts = {},
): BuildSetup {
  const notes: string[] = [];
  const differences: string[] = [];
  const rf = report.reproduce_file ?? null;
  const arch = archOf(report);
  const config = planConfig(report, facts, notes, differences);

  let makeArgs = report.make_args;
  let makeEnv = report.make_env ?? null;
  let argsFrom = "report";
  if ((!makeArgs || makeArgs.length === 0) && rf?.make_args) {
    makeArgs = rf.make_args;
    makeEnv = rf.make_env ?? null;
    argsFrom = "reproduce file";
  }
  const compiler = compilerPlan(report.compiler, makeEnv?.["COMPILER"] ?? null);
  if (!compiler) {
    notes.push("the report names no compiler: using the default gcc");
  } else if (!report.compiler) {
    notes.push(
      `the report has no compiler: line: using its make line's ${compiler.raw}`,
    );
  }
  const makeVars: string[] = [];
  const seen = new Set<string>();
  for (const arg of makeArgs ?? []) {
    const v = varName(arg);
    if (v && !OWN_VARS.has(v) && !seen.has(v)) {
      seen.add(v);
      makeVars.push(arg);
    }
  }
  const w = num(report.w) ?? num(rf?.w);
  const c = num(report.c) ?? num(rf?.c);
  for (const [k, v] of [["W", w], ["C", c]] as const) {
    if (v !== null && !seen.has(k)) {
      seen.add(k);
      makeVars.push(`${k}=${v}`);
    }
  }
  if (c !== null && !seen.has("CF")) {
    seen.add("CF");
    makeVars.push(ROBOT_SPARSE_CF);
    notes.push(`a sparse (C=${c}) build: with the robot's ${ROBOT_SPARSE_CF}`);
  }

  let targets = (makeArgs ?? []).filter((a) =>
    !a.includes("=") && !a.startsWith("-")
  );
  let targetsFrom = targets.length ? argsFrom : "none";
  if (targets.length === 0 && rf?.targets?.length) {
    targets = rf.targets;
    targetsFrom = "reproduce file";
  }
  if (targets.length === 0) {
    const fresh = report.diagnostics.filter((d) => d.new);
    targets = targetsFromDiagnostics(
      fresh.length > 0 ? fresh : report.diagnostics,
    );
    if (targets.length) {
      targetsFrom = "diagnostics";
      notes.push(
        `the robot built the whole tree; kcross builds only ${
          targets.join(" ")
        } (the directories of the reported diagnostics)`,
      );
    }
  }
  return {
    arch,
    config,
    compiler,
    makeVars,
    targets,
    targetsFrom,
    differences,
    notes,
  };
}

/**
 * Derives the whole reproduction from a parsed report and the facts (the
 * user's overrides, the attachment at hand). The same (report, facts) give
 * the same plan in `repro`, `verify` and `report parse`.
 *
 * @param report the parser's fields (plus its reproduce file, if any)
 * @param facts `--commit`, `--remote-url`, a config file, `--werror`
 * @returns the plan; nothing is fetched or built
 * @throws {UserError} no commit (patch report: says what `b4 shazam` would
 *   do), a config that cannot be regenerated, no arch
 */
export function planReproduction(
  report: ReportFields,
  facts: ReproFacts = {},
): ReproPlan {
  const source = planSource(report, facts);
  const setup = planBuildSetup(report, facts);
  if (setup.arch === null) {
    throw new UserError("The report names no architecture", {
      hint: "it needs a config: line or a make line with ARCH=",
    });
  }
  archInfo(setup.arch); // an unknown arch is a user error here
  if (setup.config.kind === "missing") {
    throw new UserError(setup.config.message, { hint: setup.config.hint });
  }
  return {
    ...setup,
    source,
    arch: setup.arch,
    config: setup.config,
    reported: report.diagnostics,
  };
}
