/**
 * What `repro` needs from a parsed report, in one place: the new (`>>`)
 * diagnostics, the compiler to request, where the config comes from, and the
 * make arguments, targets and W=/C= to build with.
 *
 * @module
 */
import { isTruncatedUrl } from "./header.ts";
import type { ParsedReport, ReportDiagnostic } from "./types.ts";

/**
 * The diagnostics the robot marked new (`>>`, or `>` in a reflowed copy).
 *
 * @example
 * ```ts
 * import { newDiagnostics } from "./helpers.ts";
 * const d = { file: "a.c", line: 1, column: 1, severity: "error", message: "m", prefix: ">>" };
 * const r = { diagnostics: [{ ...d, new: true }, { ...d, new: false, prefix: "" }] };
 * if (newDiagnostics(r).length !== 1) throw new Error();
 * ```
 */
export function newDiagnostics(
  report: Pick<ParsedReport, "diagnostics">,
): ReportDiagnostic[] {
  return report.diagnostics.filter((d) => d.new);
}

/** The compiler a report asks for, as a toolchain request. */
export interface CompilerRequest {
  name: "gcc" | "clang";
  /** Exact version as printed (`11.2.0`, `20.0.0git`). */
  version: string | null;
  /** `gcc-11.2.0`, `clang-15`… (null when the version is unknown). */
  request: string | null;
  /**
   * A distribution's compiler (`gcc-12 (Debian 12.2.0-14) 12.2.0`), served by
   * the system provider rather than kernel.org crosstool/LLVM builds.
   */
  distro: boolean;
  /** Vendor text in parentheses, e.g. `Debian 12.2.0-14`, or null. */
  vendor: string | null;
  /** The triple the compiler line names (`powerpc-linux`), if any. */
  triple: string | null;
  /** The whole `compiler:` value. */
  raw: string;
}

/**
 * The compiler request of a report, or null when it names none.
 *
 * @example
 * ```ts
 * import { compilerRequest } from "./helpers.ts";
 * const raw = "gcc-12 (Debian 12.2.0-14) 12.2.0";
 * const r = compilerRequest({ compiler: { name: "gcc", version: "12.2.0", raw } });
 * if (r?.request !== "gcc-12.2.0" || !r.distro || r.vendor !== "Debian 12.2.0-14") throw new Error();
 * const p = compilerRequest({ compiler: { name: "gcc", version: "11.2.0", raw: "powerpc-linux-gcc (GCC) 11.2.0" } });
 * if (p?.distro || p?.triple !== "powerpc-linux") throw new Error();
 * ```
 */
export function compilerRequest(
  report: Pick<ParsedReport, "compiler">,
): CompilerRequest | null {
  const c = report.compiler;
  if (c === null) return null;
  const paren = /\(([^)]*)\)/.exec(c.raw);
  const vendorText = paren ? paren[1]!.trim() : null;
  const lead = c.raw.split(/\s+/)[0] ?? "";
  let request: string | null = null;
  let distro = false;
  let vendor: string | null = null;
  let triple: string | null = null;
  if (c.name === "clang") {
    const major = c.version ? /^(\d+)/.exec(c.version)?.[1] : undefined;
    request = major ? `clang-${major}` : null;
    distro = /^(?:Debian|Ubuntu|Fedora|Red Hat|Alpine|Homebrew)\b/.test(c.raw);
    vendor = distro ? lead : null;
  } else {
    request = c.version ? `gcc-${c.version}` : null;
    if (vendorText !== null && vendorText !== "GCC") {
      distro = true;
      vendor = vendorText;
    }
    const t = /^(\S+)-gcc(?:-\d+)?$/.exec(lead);
    triple = t ? t[1]! : null;
  }
  return {
    name: c.name,
    version: c.version,
    request,
    distro,
    vendor,
    triple,
    raw: c.raw,
  };
}

/** Where the kernel config for a reproduction comes from. */
export type ConfigSource =
  | { kind: "attached"; text: string }
  | { kind: "url"; url: string }
  | { kind: "target"; arch: string; target: string }
  | { kind: "unavailable"; reason: string };

const CONFIG_TARGET =
  /^(?:allmodconfig|allyesconfig|allnoconfig|defconfig|tinyconfig|[\w.-]+_defconfig)$/;

/**
 * The best config source of a report: an attached config, else its config
 * URL (unless truncated), else a regenerable named target
 * (`powerpc-allmodconfig` → `ARCH=powerpc allmodconfig`).
 *
 * @example
 * ```ts
 * import { configSource } from "./helpers.ts";
 * const s = configSource({ config_name: "powerpc-allmodconfig", config_url: "https://x/IDix-lk...", attachments: {} });
 * if (s.kind !== "target" || s.target !== "allmodconfig" || s.arch !== "powerpc") throw new Error();
 * const r = configSource({ config_name: "arm-randconfig-r1", config_url: null, attachments: {} });
 * if (r.kind !== "unavailable") throw new Error();
 * ```
 */
export function configSource(
  report: Pick<ParsedReport, "config_name" | "config_url" | "attachments">,
): ConfigSource {
  if (report.attachments.config !== undefined) {
    return { kind: "attached", text: report.attachments.config };
  }
  const url = report.config_url;
  if (url !== null && !isTruncatedUrl(url)) return { kind: "url", url };
  const name = report.config_name;
  if (name !== null) {
    const dash = name.indexOf("-");
    const arch = dash > 0 ? name.slice(0, dash) : "";
    const target = dash > 0 ? name.slice(dash + 1) : "";
    if (arch !== "" && CONFIG_TARGET.test(target)) {
      return { kind: "target", arch, target };
    }
  }
  const why = url !== null
    ? `its config URL is truncated ("${url}")`
    : name === null
    ? "it names no config"
    : /randconfig/.test(name)
    ? `"${name}" is a random config and no config file is attached or linked`
    : `"${name}" is not a config target kcross can regenerate and no config file is attached or linked`;
  return {
    kind: "unavailable",
    reason:
      `${why}; the robot publishes configs at https://download.01.org/0day-ci/archive/<date>/<report-id>/config`,
  };
}

/** Make arguments for a reproduction, with where they came from. */
export interface BuildRequest {
  arch: string | null;
  /** Non-target make arguments (`W=1`, `O=build_dir`, `CF=…`…). */
  makeArgs: string[];
  targets: string[];
  w: number | string | null;
  c: number | string | null;
  /** `COMPILER=` of the make line, if any (`gcc-11.2.0`, `clang`). */
  makeCompiler: string | null;
  /** `report`, `reproduce-file`, or `diagnostics` (targets guessed from files). */
  source: "report" | "reproduce-file" | "diagnostics";
}

function dirsOf(diags: readonly ReportDiagnostic[]): string[] {
  const dirs: string[] = [];
  for (const d of diags) {
    if (!/\.(?:c|S)$/.test(d.file)) continue;
    const file = d.file.replace(/^\.\//, "");
    const slash = file.lastIndexOf("/");
    if (slash <= 0) continue;
    const dir = file.slice(0, slash + 1);
    if (!dirs.includes(dir)) dirs.push(dir);
  }
  return dirs;
}

/**
 * The arch when the last make line names none: an earlier make line's
 * `ARCH=` (`make ARCH=x86_64 allmodconfig` then `make C=1`), else the config
 * name's prefix.
 */
function fallbackArch(
  report: Partial<Pick<ParsedReport, "make_invocations" | "config_name">>,
): string | null {
  for (const m of [...(report.make_invocations ?? [])].reverse()) {
    const a = m.args.findLast((x) => x.startsWith("ARCH="));
    if (a !== undefined) return a.slice(5);
  }
  const name = report.config_name ?? null;
  return name !== null && name.includes("-") ? name.split("-")[0]! : null;
}

/**
 * The make arguments and targets to reproduce a report with: from its own
 * make line, else from its reproduce script, else the directories of the
 * `.c`/`.S` files in its (new, else all) diagnostics.
 *
 * @example
 * ```ts
 * import { buildRequest } from "./helpers.ts";
 * const d = { file: "drivers/vfio/vfio.c", line: 1, column: 1, severity: "error", message: "m", new: true, prefix: ">>" };
 * const b = buildRequest({ make_args: null, make_env: null, arch: "powerpc", w: 1, c: null, diagnostics: [d], reproduce_file: null });
 * if (b.source !== "diagnostics" || b.targets[0] !== "drivers/vfio/" || b.makeArgs[0] !== "W=1") throw new Error();
 * ```
 */
export function buildRequest(
  report:
    & Pick<
      ParsedReport,
      | "make_args"
      | "make_env"
      | "arch"
      | "w"
      | "c"
      | "diagnostics"
      | "reproduce_file"
    >
    & Partial<Pick<ParsedReport, "make_invocations" | "config_name">>,
): BuildRequest {
  const split = (args: readonly string[]) => ({
    makeArgs: args.filter((a) => a.includes("=") || a.startsWith("-")),
    targets: args.filter((a) => !a.includes("=") && !a.startsWith("-")),
  });
  if (report.make_args !== null) {
    return {
      arch: report.arch ?? fallbackArch(report),
      ...split(report.make_args),
      w: report.w,
      c: report.c,
      makeCompiler: report.make_env?.["COMPILER"] ?? null,
      source: "report",
    };
  }
  const rf = report.reproduce_file;
  if (rf !== null && rf.make_args !== null) {
    return {
      arch: rf.arch ?? report.arch,
      ...split(rf.make_args),
      w: rf.w,
      c: rf.c,
      makeCompiler: rf.make_env?.["COMPILER"] ?? null,
      source: "reproduce-file",
    };
  }
  const fresh = newDiagnostics(report);
  const targets = dirsOf(fresh.length > 0 ? fresh : report.diagnostics);
  const makeArgs: string[] = [];
  if (report.w !== null) makeArgs.push(`W=${report.w}`);
  if (report.c !== null) {
    // the robot's sparse runs print "sparse: sparse:" thanks to this CF
    makeArgs.push(`C=${report.c}`, "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__");
  }
  return {
    arch: report.arch,
    makeArgs,
    targets,
    w: report.w,
    c: report.c,
    makeCompiler: null,
    source: "diagnostics",
  };
}
