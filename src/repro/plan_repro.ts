/**
 * Turns a parsed robot report into a repro plan: which commit, which config,
 * which compiler and triple, which make variables and targets. Pure: no I/O.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { archInfo } from "../toolchain/arch.ts";
import table from "../../toolchains/arches.json" with { type: "json" };
import type {
  CompilerPlan,
  ReportedDiagnostic,
  ReportFields,
  ReproConfig,
  ReproPlan,
  SourcePlan,
} from "./types.ts";

/** Options that override or complete the report. */
export interface PlanReproOptions {
  /** `--commit`: build this instead of (or, for patch reports, in lieu of) the report's commit. */
  commit?: string;
  /** `--remote-url`: fetch from here instead of the report's tree URL. */
  remoteUrl?: string;
  /** A config file: `--config`, or the report's attached config saved to disk. */
  configFile?: { path: string; from: string };
  /** The report says its config was attached, but the attachment is not at hand. */
  configAttached?: boolean;
}

/** Config names whose target `make` knows (after the `<arch>-` prefix). */
const NAMED_TARGETS =
  /^(allmodconfig|allyesconfig|allnoconfig|defconfig|tinyconfig|[A-Za-z0-9_.-]+_defconfig)$/;

/** Variables kcross sets itself (never copied from the report's make line). */
const OWN_VARS = new Set(["O", "ARCH", "CROSS_COMPILE", "CC", "LD", "HOSTCC"]);

/**
 * Whether a URL from a report was cut short by an archive (`…` or `...`).
 *
 * @example
 * ```ts
 * import { isTruncatedUrl } from "./plan_repro.ts";
 * if (!isTruncatedUrl("https://download.01.org/x/IDixXFOw-lk...")) throw new Error();
 * if (isTruncatedUrl("https://download.01.org/x/config")) throw new Error();
 * ```
 */
export function isTruncatedUrl(url: string): boolean {
  return /(\.\.\.|…)\)?$/.test(url.trim());
}

/**
 * The compiler a report's `compiler:` line asks for.
 *
 * @example
 * ```ts
 * import { compilerPlan } from "./plan_repro.ts";
 * const c = compilerPlan({ name: "gcc", version: "11.2.0", raw: "powerpc-linux-gcc (GCC) 11.2.0" });
 * if (c?.request !== "gcc-11.2.0" || c.triple !== "powerpc-linux") throw new Error();
 * const d = compilerPlan({ name: "gcc", version: "12.2.0", raw: "powerpc64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0" });
 * if (d?.distro !== "Debian 12.2.0-14" || d.triple !== "powerpc64-linux") throw new Error();
 * ```
 */
export function compilerPlan(
  compiler: ReportFields["compiler"],
): CompilerPlan | null {
  if (!compiler) return null;
  const raw = compiler.raw ?? `${compiler.name} ${compiler.version}`;
  const family = compiler.name === "clang" ? "clang" : "gcc";
  const distroMatch = /\(((?:Debian|Ubuntu|Fedora|SUSE|Red Hat)[^)]*)\)/.exec(
    raw,
  );
  const distro = distroMatch ? distroMatch[1]!.trim() : null;
  const version = compiler.version;
  let request: string;
  if (version === null) {
    request = family;
  } else if (family === "clang") {
    const major = /^(\d+)/.exec(version)?.[1];
    // Released versions are asked for exactly; a `git` snapshot by major.
    request = /^\d+\.\d+\.\d+$/.test(version)
      ? `clang-${version}`
      : `clang-${major ?? version}`;
  } else {
    request = `gcc-${version}`;
  }
  return {
    family,
    request,
    version,
    distro,
    triple: family === "gcc" ? tripleOfCompiler(raw) : null,
    raw,
  };
}

/**
 * The crosstool triple named by a gcc line's program name: `powerpc-linux-gcc`
 * → `powerpc-linux`, Debian's `powerpc64-linux-gnu-gcc` → `powerpc64-linux`;
 * null for a host compiler (`gcc-11`).
 */
export function tripleOfCompiler(raw: string): string | null {
  const prog = raw.trim().split(/\s+/)[0] ?? "";
  const m = /^([A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)+?)-gcc(?:-[0-9.]+)?$/.exec(prog);
  if (!m) return null;
  const prefix = m[1]!;
  return crosstoolOfDebian(prefix) ?? prefix;
}

interface RawArch {
  triple: string;
  debian?: string;
  rules?: { triple: string; debian?: string }[];
}

function crosstoolOfDebian(debian: string): string | null {
  const arches = (table as unknown as { arches: Record<string, RawArch> })
    .arches;
  for (const info of Object.values(arches)) {
    for (const rule of info.rules ?? []) {
      if (rule.debian === debian) return rule.triple;
    }
    if (info.debian === debian) return info.triple;
  }
  return null;
}

/**
 * `ARCH` and config target from a robot config name: `powerpc-allmodconfig`
 * → powerpc + allmodconfig; `um-i386_defconfig` → um + i386_defconfig.
 * The target is null when make cannot regenerate it (randconfig, lkp's own
 * configs like `x86_64-rhel-8.3`).
 */
export function splitConfigName(
  name: string,
): { arch: string; target: string | null; random: boolean } {
  const dash = name.indexOf("-");
  const arch = dash > 0 ? name.slice(0, dash) : name;
  const rest = dash > 0 ? name.slice(dash + 1) : "";
  const random = /(^|-)randconfig(-|$)/.test(rest) || /kismet/.test(rest);
  return { arch, target: NAMED_TARGETS.test(rest) ? rest : null, random };
}

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

function planSource(
  report: ReportFields,
  options: PlanReproOptions,
): SourcePlan {
  const rf = report.reproduce_file ?? null;
  const fetchUrl = options.remoteUrl ?? report.tree_url ?? rf?.tree_url ?? null;
  const fetchRef = report.branch ?? rf?.branch ?? null;
  if (options.commit) {
    return {
      commit: options.commit,
      fetchUrl,
      fetchRef,
      head: report.head ?? null,
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
      head: report.head ?? null,
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
  if (report.head) {
    return {
      commit: report.head,
      fetchUrl,
      fetchRef,
      head: report.head,
      commitFrom: "head",
    };
  }
  throw new UserError("The report names no commit to build", {
    hint: "pass --commit <sha>",
  });
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

function planConfig(
  report: ReportFields,
  options: PlanReproOptions,
  notes: string[],
  differences: string[],
): ReproConfig {
  const name = report.config_name ?? "";
  if (options.configFile) {
    return { kind: "file", ...options.configFile };
  }
  const url = report.config_url;
  if (url && !isTruncatedUrl(url)) return { kind: "url", url };
  if (url) notes.push(`the config URL is truncated, not used: ${url}`);
  if (!name) {
    throw new UserError("The report names no config", {
      hint: "pass --config FILE",
    });
  }
  const split = splitConfigName(name);
  if (split.target) {
    if (options.configAttached) {
      differences.push("attached config missing: regenerated from its name");
    }
    return { kind: "target", target: split.target, name };
  }
  const where = url && !isTruncatedUrl(url)
    ? url
    : options.configAttached
    ? "the mail's attachment (config or .config.gz)"
    : "the report's config link (https://download.01.org/0day-ci/archive/<date>/<id>/config), or the mail's attached config";
  throw new UserError(
    `Config "${name}" cannot be regenerated${
      split.random ? " (it is a random config)" : ""
    }`,
    {
      hint:
        `the robot publishes it at ${where}; save it and pass --config FILE${
          url && isTruncatedUrl(url)
            ? " (the URL in this copy is truncated)"
            : ""
        }`,
    },
  );
}

/**
 * Derives the repro plan from a parsed report.
 *
 * @param report the parser's fields (plus its reproduce file, if any)
 * @param options `--commit`, `--remote-url`, a config file
 * @returns the plan; nothing is fetched or built
 * @throws {UserError} no commit (patch report: says what `b4 shazam` would
 *   do), a config that cannot be regenerated, no arch
 */
export function planRepro(
  report: ReportFields,
  options: PlanReproOptions = {},
): ReproPlan {
  const notes: string[] = [];
  const differences: string[] = [];
  const rf = report.reproduce_file ?? null;
  const source = planSource(report, options);
  const nameArch = report.config_name
    ? splitConfigName(report.config_name).arch
    : null;
  const rawArch = report.arch ??
    rf?.make_args?.find((a) => a.startsWith("ARCH="))?.slice(5) ?? nameArch;
  if (!rawArch) {
    throw new UserError("The report names no architecture", {
      hint: "it needs a config: line or a make line with ARCH=",
    });
  }
  const arch = archInfo(rawArch).name;
  const config = planConfig(report, options, notes, differences);
  const compiler = compilerPlan(report.compiler);
  if (!compiler) {
    notes.push("the report names no compiler: using the default gcc");
  }

  let makeArgs = report.make_args;
  let argsFrom = "report";
  if ((!makeArgs || makeArgs.length === 0) && rf?.make_args) {
    makeArgs = rf.make_args;
    argsFrom = "reproduce file";
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
    notes.push("a sparse (C=) build without the robot's CF= flags");
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
    targets = targetsFromDiagnostics(report.diagnostics);
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
    source,
    arch,
    config,
    compiler,
    makeVars,
    targets,
    targetsFrom,
    reported: report.diagnostics,
    differences,
    notes,
  };
}
