/**
 * Where a reproduction's `.config` comes from, and the robot's CONFIG_WERROR
 * policy for it. Pure.
 *
 * @module
 */
import {
  robotWerror,
  type WerrorMode,
  withWerrorOverride,
} from "../config/robot_policy.ts";
import { isTruncatedUrl } from "../report/mod.ts";
import type {
  MakeInvocation,
  MissingConfig,
  RegeneratedConfig,
  ReportFields,
  ReproConfig,
} from "./types.ts";

/** Config names whose target `make` knows (after the `<arch>-` prefix). */
const NAMED_TARGETS =
  /^(allmodconfig|allyesconfig|allnoconfig|defconfig|tinyconfig|[A-Za-z0-9_.-]+_defconfig)$/;

/** Where the robot publishes the configs of its reports. */
export const ROBOT_CONFIG_URL =
  "https://download.01.org/0day-ci/archive/<date>/<report-id>/config";

/**
 * `ARCH` and config target from a robot config name: `powerpc-allmodconfig`
 * → powerpc + allmodconfig; `um-i386_defconfig` → um + i386_defconfig.
 * The target is null when make cannot regenerate it (randconfig, lkp's own
 * configs like `x86_64-rhel-8.3`).
 *
 * @example
 * ```ts
 * import { splitConfigName } from "./plan_config.ts";
 * const s = splitConfigName("um-i386_defconfig");
 * if (s.arch !== "um" || s.target !== "i386_defconfig" || s.random) throw new Error();
 * if (splitConfigName("s390-allnoconfig-bpf").target !== null) throw new Error();
 * ```
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

/** What the config planner knows besides the report. */
export interface ConfigFacts {
  /** A config file: `--config`, or the report's attached config saved to disk. */
  configFile?: { path: string; from: string };
  /** The report says its config was attached, but the attachment is not at hand. */
  configAttached?: boolean;
  /** `--werror=keep|off`. */
  werror?: WerrorMode;
}

function regenerated(
  name: string,
  werror: WerrorMode | undefined,
): RegeneratedConfig | null {
  const target = splitConfigName(name).target;
  if (target === null) return null;
  return {
    kind: "target",
    target,
    name,
    werror: withWerrorOverride(robotWerror(target), werror),
  };
}

/**
 * A config target named on a make line before the build line (2019 sparse
 * reports: `make ARCH=x86_64 allmodconfig` then `make C=1 …`): the last such
 * target make can regenerate (not randconfig, not olddefconfig), named
 * `<ARCH>-<target>` from that line's `ARCH=` (else the build line's). Null
 * when there is none or when the mail has one make line only.
 *
 * @example
 * ```ts
 * import { earlierConfigTarget } from "./plan_config.ts";
 * const t = earlierConfigTarget([
 *   { env: {}, cmd: "make", args: ["ARCH=x86_64", "allmodconfig"] },
 *   { env: {}, cmd: "make", args: ["C=1", "ARCH=x86_64"] },
 * ]);
 * if (t?.target !== "allmodconfig" || t.name !== "x86_64-allmodconfig") throw new Error();
 * ```
 */
export function earlierConfigTarget(
  lines: readonly MakeInvocation[] | null | undefined,
): { target: string; name: string; line: string } | null {
  if (!lines || lines.length < 2) return null;
  const archIn = (m: MakeInvocation | undefined) =>
    m?.args.findLast((a) => a.startsWith("ARCH="))?.slice(5) || null;
  const last = lines[lines.length - 1];
  for (const m of lines.slice(0, -1).reverse()) {
    const target = m.args.findLast((a) =>
      !a.includes("=") && !a.startsWith("-") && NAMED_TARGETS.test(a)
    );
    if (target === undefined) continue;
    const arch = archIn(m) ?? archIn(last);
    return {
      target,
      name: arch ? `${arch}-${target}` : target,
      line: [m.cmd, ...m.args].join(" "),
    };
  }
  return null;
}

/**
 * The config of a report: a file at hand, else its config URL (with the
 * named config as the fallback when the URL cannot be fetched), else the
 * named config regenerated with the robot's policy, else a config target
 * named on an earlier make line of the mail (`make ARCH=x86_64
 * allmodconfig` then `make C=1 …`); a randconfig or lkp config without its
 * file is `missing`, with where to get it.
 *
 * @example
 * ```ts
 * import { planConfig } from "./plan_config.ts";
 * const c = planConfig({ config_name: "powerpc-allmodconfig", config_url: null }, {}, [], []);
 * if (c.kind !== "target" || c.werror.mode !== "off") throw new Error();
 * const u = planConfig({ config_name: "sh-allmodconfig", config_url: "https://x/config" }, {}, [], []);
 * if (u.kind !== "url" || u.fallback?.target !== "allmodconfig" || u.werror.mode !== "keep") throw new Error();
 * const m = planConfig({ config_name: "arm-randconfig-r1", config_url: null }, {}, [], []);
 * if (m.kind !== "missing" || !m.hint.includes("--config FILE")) throw new Error();
 * ```
 */
export function planConfig(
  report:
    & Pick<ReportFields, "config_name" | "config_url">
    & Partial<Pick<ReportFields, "make_invocations">>,
  facts: ConfigFacts,
  notes: string[],
  differences: string[],
): ReproConfig | MissingConfig {
  const name = report.config_name ?? null;
  const fileWerror = withWerrorOverride(robotWerror(null), facts.werror);
  if (facts.configFile) {
    return { kind: "file", ...facts.configFile, werror: fileWerror };
  }
  const url = report.config_url?.trim() || null;
  const truncated = url !== null && isTruncatedUrl(url);
  const named = name === null ? null : regenerated(name, facts.werror);
  if (url !== null && !truncated) {
    return { kind: "url", url, name, fallback: named, werror: fileWerror };
  }
  if (truncated) notes.push(`the config URL is truncated, not used: ${url}`);
  if (named !== null) {
    if (facts.configAttached) {
      differences.push("attached config missing: regenerated from its name");
    }
    return named;
  }
  const earlier = earlierConfigTarget(report.make_invocations);
  if (earlier !== null) {
    notes.push(`config from the make line \`${earlier.line}\``);
    if (name !== null) {
      differences.push(
        `config ${name} not at hand: ${earlier.target} from an earlier make line instead`,
      );
    }
    return {
      kind: "target",
      target: earlier.target,
      name: earlier.name,
      werror: withWerrorOverride(robotWerror(earlier.target), facts.werror),
    };
  }
  if (name === null) {
    return {
      kind: "missing",
      name,
      message: "The report names no config",
      hint: "pass --config FILE",
    };
  }
  return missingConfig(name, {
    url: truncated ? url : null,
    attached: facts.configAttached === true,
  });
}

/**
 * Why a randconfig/lkp config cannot be had without its file, and where the
 * robot publishes it.
 *
 * @example
 * ```ts
 * import { missingConfig } from "./plan_config.ts";
 * const m = missingConfig("s390-randconfig-r012-20200813", { url: null, attached: false });
 * if (!m.message.includes("random config") || !m.hint.includes("download.01.org")) throw new Error();
 * ```
 */
export function missingConfig(
  name: string,
  how: { url: string | null; attached: boolean; unreachable?: boolean },
): MissingConfig {
  const where = how.url !== null && !isTruncatedUrl(how.url)
    ? how.url
    : how.attached
    ? "the mail's attachment (config or .config.gz)"
    : `the report's config link (${ROBOT_CONFIG_URL}), or the mail's attached config`;
  const random = splitConfigName(name).random;
  return {
    kind: "missing",
    name,
    message: `Config "${name}" cannot be regenerated${
      random ? " (it is a random config)" : ""
    }${how.unreachable ? " and its URL cannot be fetched" : ""}`,
    hint: `the robot publishes it at ${where}; save it and pass --config FILE${
      how.url !== null && isTruncatedUrl(how.url)
        ? " (the URL in this copy is truncated)"
        : ""
    }`,
  };
}

/**
 * One line naming a config for the user: `powerpc-allmodconfig (make
 * allmodconfig, CONFIG_WERROR off)`, a URL, or a file and where it came from.
 *
 * @example
 * ```ts
 * import { describeConfig } from "./plan_config.ts";
 * const d = describeConfig({ kind: "target", target: "allmodconfig", name: "powerpc-allmodconfig",
 *   werror: { mode: "off", from: "robot policy", why: "" } });
 * if (d !== "powerpc-allmodconfig (make allmodconfig, CONFIG_WERROR off)") throw new Error(d);
 * ```
 */
export function describeConfig(config: ReproConfig | MissingConfig): string {
  switch (config.kind) {
    case "target":
      return `${config.name} (make ${config.target}${
        config.werror.mode === "off" ? ", CONFIG_WERROR off" : ""
      })`;
    case "url":
      return config.werror.mode === "off"
        ? `${config.url} (CONFIG_WERROR off)`
        : config.url;
    case "file":
      return `${config.path} (${config.from}${
        config.werror.mode === "off" ? ", CONFIG_WERROR off" : ""
      })`;
    case "missing":
      return `unavailable: ${config.message}`;
  }
}
