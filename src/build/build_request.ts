/**
 * One typed build request for every command that builds a kernel: `build`,
 * `series`, `bisect` (their build words), matrix cells and repro. The
 * native build flags are parsed once here (`parseBuildFlags`), and
 * `toNativeInput` is the one adapter from a request to the builder's input.
 *
 * @module
 */
import {
  type AnyParsed,
  flag,
  type OptionSpecs,
  parseArgs,
  type ParsedArgs,
  str,
  strs,
} from "../util/args.ts";
import { ccacheOf, commonSpecs, jobsOf } from "../util/flags.ts";
import { UserError } from "../errors.ts";
import { localFragment } from "../config/mod.ts";
import { checkMakeWords } from "./make_words.ts";
import { configSourceOf, normaliseSet } from "./config_source.ts";
import type { NativeInput } from "./plan_native.ts";
import type { ConfigSource } from "./types.ts";

/** The native build flags (`kcross build --help` lists them). */
export const BUILD_FLAG_SPECS = {
  arch: { type: "string" },
  config: { type: "string" },
  "config-url": { type: "string" },
  seed: { type: "string" },
  fragment: { type: "string", multiple: true },
  set: { type: "string", multiple: true },
  werror: { type: "string" },
  compiler: { type: "string" },
  triple: { type: "string" },
  W: { type: "string", short: "W" },
  C: { type: "string", short: "C" },
  "allow-empty": { type: "boolean" },
  "trust-make-line": { type: "boolean" },
  ...commonSpecs(
    "jobs",
    "ccache",
    "no-ccache",
    "allow-substitute",
    "allow-distro",
    "offline",
  ),
} as const;

/** What to build, as the user (or a matrix cell, or a report) asked. */
export interface BuildRequest {
  arch: string;
  /**
   * Config target, file or URL as given (`allmodconfig`, a path,
   * `https://…`), a source already resolved (repro), or null: the O= dir's
   * `.config`.
   */
  config: string | ConfigSource | null;
  /** KCONFIG_SEED for randconfig. */
  seed: string | null;
  /** `gcc-12.2.0`, `clang-17`…; null: `gcc` (the newest). */
  compiler: string | null;
  /** Fragment paths as given (relative to the caller's cwd). */
  fragments: string[];
  /** `CONFIG_X=y` settings, normalised. */
  sets: string[];
  werror: "keep" | "off";
  /** `W=` / `C=` values, or null. */
  w: string | null;
  c: string | null;
  /** make -j, or null: 2 × CPUs. */
  jobs: number | null;
  ccache: boolean;
  allowSubstitute: boolean;
  /** `--allow-distro`: a distro compiler of the same version. */
  allowDistro: boolean;
  /** `--offline`: never fetch a toolchain. */
  offline: boolean;
  allowEmpty: boolean;
  /** `--trust-make-line`: pass make words the policy refuses. */
  trustMakeLine: boolean;
  /** Forced crosstool triple, or null (from the .config). */
  triple: string | null;
  /** make goals, e.g. `drivers/vfio/`. */
  targets: string[];
  /** `VAR=value` words for make (before the targets). */
  makeArgs: string[];
}

const MAKE_VAR = /^[A-Za-z_]\w*=/;

/** How strict `parseBuildFlags` is for this command. */
export interface BuildFlagRules {
  /** `--config` is required (series, bisect: every commit the same way). */
  requireConfig?: boolean;
  /** The hint for a missing `--arch`. */
  archHint?: string;
  /** Default ccache (off; docs/flags.md). */
  ccache?: boolean;
}

/**
 * Parses a command line of build flags, plus the command's `own` options.
 *
 * @param args the words after the subcommand
 * @param own the command's own option specs (parsed alongside)
 * @param rules what the command requires
 * @returns the request and the parsed words (own options, positionals)
 * @throws {UserError} a bad, missing or contradictory flag, or a refused make word
 *
 * @example
 * ```ts
 * import { parseBuildFlags } from "./build_request.ts";
 * const { request } = parseBuildFlags(["--arch", "powerpc", "-W", "1", "--jobs", "4", "drivers/vfio/", "CF=-D__CHECK_ENDIAN__"], {});
 * if (request.w !== "1" || request.jobs !== 4 || request.targets[0] !== "drivers/vfio/" || request.makeArgs[0] !== "CF=-D__CHECK_ENDIAN__") throw new Error();
 * ```
 */
export function parseBuildFlags<const O extends OptionSpecs>(
  args: string[],
  own: O,
  rules: BuildFlagRules = {},
): { request: BuildRequest; parsed: ParsedArgs<O> } {
  const parsed = parseBuildWords(args, own);
  return { request: buildRequestOf(parsed, rules), parsed };
}

/**
 * The first half of `parseBuildFlags`: the words parsed against the build
 * flags and `own`, for a command that looks at its own options first
 * (`build --list-targets` needs no `--arch`).
 *
 * @throws {UserError} an unknown option or a missing value
 */
export function parseBuildWords<const O extends OptionSpecs>(
  args: string[],
  own: O,
): ParsedArgs<O> {
  return parseArgs(kconfigAddAsFragment(args), {
    ...BUILD_FLAG_SPECS,
    ...own,
  }) as unknown as ParsedArgs<O>;
}

/**
 * `--kconfig-add` (TuxMake's name) is `--fragment`: rewritten before parsing
 * so the two keep their order on the command line.
 *
 * @example
 * ```ts
 * import { kconfigAddAsFragment } from "./build_request.ts";
 * const a = kconfigAddAsFragment(["--kconfig-add", "a", "--kconfig-add=b", "--", "--kconfig-add"]);
 * if (a.join(" ") !== "--fragment a --fragment=b -- --kconfig-add") throw new Error(a.join(" "));
 * ```
 */
export function kconfigAddAsFragment(args: string[]): string[] {
  const out: string[] = [];
  for (const [i, a] of args.entries()) {
    if (a === "--") {
      for (const rest of args.slice(i)) out.push(rest);
      break;
    }
    if (a === "--kconfig-add") out.push("--fragment");
    else if (a.startsWith("--kconfig-add=")) {
      out.push(`--fragment=${a.slice("--kconfig-add=".length)}`);
    } else out.push(a);
  }
  return out;
}

/**
 * The second half of `parseBuildFlags`: the request from parsed words.
 *
 * @throws {UserError} a bad, missing or contradictory flag, or a refused make word
 */
export function buildRequestOf(
  p: AnyParsed,
  rules: BuildFlagRules = {},
): BuildRequest {
  return requestOf(p, rules);
}

function requestOf(p: AnyParsed, rules: BuildFlagRules): BuildRequest {
  const arch = str(p, "arch");
  if (!arch) {
    throw new UserError("Missing --arch", {
      hint: rules.archHint ??
        "e.g. kcross build --arch powerpc --config allmodconfig drivers/vfio/",
    });
  }
  const configFlag = str(p, "config");
  const url = str(p, "config-url");
  if (configFlag !== undefined && url !== undefined) {
    throw new UserError("Give --config or --config-url, not both");
  }
  const config = url ?? configFlag ?? null;
  if (config === null && rules.requireConfig) {
    throw new UserError("Missing --config", {
      hint:
        "every commit is configured the same way: --config allmodconfig (or defconfig, a file, a URL)",
    });
  }
  const seed = str(p, "seed") ?? null;
  if (seed !== null && config !== "randconfig") {
    throw new UserError("--seed only goes with --config randconfig");
  }
  const werror = str(p, "werror") ?? "keep";
  if (werror !== "keep" && werror !== "off") {
    throw new UserError(`Bad value for --werror: "${werror}"`, {
      hint: "use --werror=off (or keep, the default)",
    });
  }
  const targets = p.positionals.filter((w) => !MAKE_VAR.test(w));
  const makeArgs = p.positionals.filter((w) => MAKE_VAR.test(w));
  const w = str(p, "W") ?? null;
  const c = str(p, "C") ?? null;
  const trustMakeLine = flag(p, "trust-make-line");
  // Refused before anything is fetched or checked out (the planner checks again).
  checkMakeWords([
    ...(w === null ? [] : [`W=${w}`]),
    ...(c === null ? [] : [`C=${c}`]),
    ...makeArgs,
    ...targets,
  ], { origin: "the command line", trust: trustMakeLine });
  return {
    arch,
    config,
    seed,
    compiler: str(p, "compiler") ?? null,
    fragments: strs(p, "fragment"),
    sets: strs(p, "set").map(normaliseSet),
    werror,
    w,
    c,
    jobs: jobsOf(p) ?? null,
    ccache: ccacheOf(p, rules.ccache ?? false),
    allowSubstitute: flag(p, "allow-substitute"),
    allowDistro: flag(p, "allow-distro"),
    offline: flag(p, "offline"),
    allowEmpty: flag(p, "allow-empty"),
    trustMakeLine,
    triple: str(p, "triple") ?? null,
    targets,
    makeArgs,
  };
}

/**
 * The builder's input for `request`, building `srcTree` into `outDir`
 * (config files and fragments relative to `cwd`, see `localFragment`). The
 * one adapter from a
 * request to `planNativeBuild`.
 *
 * @throws {UserError} a config value that is no target, file or URL
 *
 * @example
 * ```ts
 * import { parseBuildFlags, toNativeInput } from "./build_request.ts";
 * const { request } = parseBuildFlags(["--arch", "arm64", "--config", "defconfig", "--fragment", "/f.cfg"], {});
 * const n = toNativeInput(request, { srcTree: "/src", outDir: "/o", cwd: "/home/me" });
 * if (n.fragments?.[0] !== "/f.cfg" || n.config?.kind !== "target") throw new Error();
 * ```
 */
export function toNativeInput(
  request: BuildRequest,
  where: { srcTree: string; outDir: string; cwd: string },
): NativeInput {
  let config: ConfigSource | undefined;
  if (request.config !== null) {
    config = typeof request.config === "string"
      ? configSourceOf(request.config, where.cwd)
      : request.config;
    if (request.seed !== null) {
      if (config.kind !== "target" || config.target !== "randconfig") {
        throw new UserError("--seed only goes with --config randconfig");
      }
      config = { ...config, seed: request.seed };
    }
  }
  return {
    srcTree: where.srcTree,
    outDir: where.outDir,
    arch: request.arch,
    ...(request.compiler !== null ? { compiler: request.compiler } : {}),
    ...(config ? { config } : {}),
    fragments: request.fragments.map((f) =>
      localFragment(f, where.cwd, {
        srcTree: where.srcTree,
        arch: request.arch,
      })
    ),
    sets: request.sets,
    werror: request.werror,
    ...(request.w === null ? {} : { w: request.w }),
    ...(request.c === null ? {} : { c: request.c }),
    ...(request.jobs === null ? {} : { jobs: request.jobs }),
    ccache: request.ccache,
    targets: request.targets,
    makeArgs: request.makeArgs,
    allowEmpty: request.allowEmpty,
    allowSubstitute: request.allowSubstitute,
    ...(request.allowDistro ? { allowDistro: true } : {}),
    ...(request.offline ? { noFetch: true } : {}),
    trustMakeLine: request.trustMakeLine,
    ...(request.triple === null
      ? {}
      : { triple: request.triple, tripleReason: "--triple" }),
  };
}
