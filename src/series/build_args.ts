/**
 * The native build options a series or bisect passes on to every build
 * (`--arch --config --compiler -W -C --jobs --ccache --fragment --set …` and
 * targets), split from the series' own options. The words are kept verbatim
 * in the series state so `--resume` rebuilds with exactly the same options.
 *
 * @module
 */
import { flag, parseArgs, str, strs } from "../util/args.ts";
import type { OptionSpec } from "../util/args.ts";
import { ccacheOf, commonSpecs, jobsOf } from "../util/flags.ts";
import { checkMakeWords, normaliseSet } from "../build/mod.ts";
import { UserError } from "../errors.ts";

/** The native build options `kcross build` takes, minus `--out` (a series owns its O= dir). */
export const BUILD_OPTION_SPECS: Record<string, OptionSpec> = {
  arch: { type: "string" },
  config: { type: "string" },
  "config-url": { type: "string" },
  compiler: { type: "string" },
  w: { type: "string", short: "W" },
  c: { type: "string", short: "C" },
  ...commonSpecs(
    "jobs",
    "ccache",
    "no-ccache",
    "allow-substitute",
    "allow-distro",
    "offline",
  ),
  fragment: { type: "string", multiple: true },
  set: { type: "string", multiple: true },
  werror: { type: "string" },
  "allow-empty": { type: "boolean" },
  "trust-make-line": { type: "boolean" },
  seed: { type: "string" },
  triple: { type: "string" },
};

const MAKE_VAR = /^[A-Za-z_]\w*=/;

/** Parsed native build options. */
export interface NativeBuildOptions {
  arch: string;
  /** Config target, file or URL (`allmodconfig`, a path, `https://…`). */
  config: string;
  compiler: string;
  /** `W=` / `C=` values, or null. */
  w: string | null;
  c: string | null;
  jobs: number | null;
  ccache: boolean;
  fragments: string[];
  sets: string[];
  werror: "keep" | "off";
  allowSubstitute: boolean;
  /** `--allow-distro`: a distro compiler of the same version. */
  allowDistro: boolean;
  /** `--offline`: never fetch a toolchain. */
  offline: boolean;
  allowEmpty: boolean;
  /** `--trust-make-line`: pass make words the policy refuses. */
  trustMakeLine: boolean;
  /** KCONFIG_SEED for randconfig. */
  seed: string | null;
  /** Forced crosstool triple, or null (from the .config). */
  triple: string | null;
  /** make goals, e.g. `drivers/vfio/`. */
  targets: string[];
  /** `VAR=value` words for make (before the targets). */
  makeArgs: string[];
}

/**
 * Parses the build words of a series/bisect command line.
 *
 * @param args the words left after the series' own options
 * @returns the options
 * @throws {UserError} on a bad or missing option
 *
 * @example
 * ```ts
 * import { parseBuildArgs } from "./build_args.ts";
 * const o = parseBuildArgs(["--arch", "powerpc", "--config", "allmodconfig", "-W", "1", "drivers/vfio/", "CF=-D"]);
 * if (o.w !== "1" || o.targets[0] !== "drivers/vfio/" || o.makeArgs[0] !== "CF=-D") throw new Error();
 * ```
 */
export function parseBuildArgs(args: string[]): NativeBuildOptions {
  if (args.some((a) => a === "--out" || a.startsWith("--out="))) {
    throw new UserError(
      "A series builds into its own directory: --out is not accepted",
      { hint: "drop --out; the build dir lives under the series' state dir" },
    );
  }
  const p = parseArgs(args, BUILD_OPTION_SPECS);
  const arch = str(p, "arch");
  if (!arch) {
    throw new UserError("Missing --arch", {
      hint: "e.g. --arch powerpc --config allmodconfig drivers/vfio/",
    });
  }
  const config = str(p, "config") ?? str(p, "config-url");
  if (!config) {
    throw new UserError("Missing --config", {
      hint:
        "every commit is configured the same way: --config allmodconfig (or defconfig, a file, a URL)",
    });
  }
  const werror = str(p, "werror") ?? "keep";
  if (werror !== "keep" && werror !== "off") {
    throw new UserError(`Bad value for --werror: "${werror}"`, {
      hint: "use --werror=off (or keep, the default)",
    });
  }
  const jobs = jobsOf(p);
  const sets = strs(p, "set").map(normaliseSet);
  const targets = p.positionals.filter((w) => !MAKE_VAR.test(w));
  const makeArgs = p.positionals.filter((w) => MAKE_VAR.test(w));
  const w = str(p, "w") ?? null;
  const c = str(p, "c") ?? null;
  // Refused before the first commit is checked out (the planner checks again).
  checkMakeWords([
    ...(w === null ? [] : [`W=${w}`]),
    ...(c === null ? [] : [`C=${c}`]),
    ...makeArgs,
    ...targets,
  ], { origin: "the command line", trust: flag(p, "trust-make-line") });
  return {
    arch,
    config,
    compiler: str(p, "compiler") ?? "gcc",
    w,
    c,
    jobs: jobs ?? null,
    ccache: ccacheOf(p, false),
    fragments: strs(p, "fragment"),
    sets,
    werror,
    allowSubstitute: flag(p, "allow-substitute"),
    allowDistro: flag(p, "allow-distro"),
    offline: flag(p, "offline"),
    allowEmpty: flag(p, "allow-empty"),
    trustMakeLine: flag(p, "trust-make-line"),
    seed: str(p, "seed") ?? null,
    triple: str(p, "triple") ?? null,
    targets,
    makeArgs,
  };
}

/** The series' own options (everything else is a build option). */
export interface SplitArgs {
  /** Own options by name: string values, or true for flags. */
  own: Record<string, string | true>;
  /** Positional words that are not build targets (the range), in order. */
  range: string | null;
  /** Words for the build (options and targets). */
  build: string[];
}

/**
 * Splits a command line into the command's own options, the range (the
 * first positional word containing `..`), and the build words.
 *
 * @param args the words after the subcommand
 * @param own own option names → whether they take a value
 * @param wantRange whether a `<base>..<head>` positional is expected
 * @returns the three parts
 *
 * @example
 * ```ts
 * import { splitArgs } from "./build_args.ts";
 * const s = splitArgs(["v1..v2", "--arch", "x", "--json", "--fragment", "../f"], { json: false }, true);
 * if (s.range !== "v1..v2" || s.own.json !== true || s.build.length !== 4) throw new Error();
 * ```
 */
export function splitArgs(
  args: string[],
  own: Record<string, boolean>,
  wantRange: boolean,
): SplitArgs {
  const out: SplitArgs = { own: {}, range: null, build: [] };
  const takesValue = (name: string) =>
    BUILD_OPTION_SPECS[name]?.type === "string" ||
    Object.values(BUILD_OPTION_SPECS).some((s) =>
      s.short === name && s.type === "string"
    );
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const long = /^--([^=]+)(?:=(.*))?$/.exec(word);
    if (long && long[1]! in own) {
      const name = long[1]!;
      if (own[name]) {
        const value = long[2] ?? args[++i];
        if (value === undefined) {
          throw new UserError(
            `Bad arguments: option "--${name}" needs a value`,
          );
        }
        out.own[name] = value;
      } else {
        out.own[name] = true;
      }
      continue;
    }
    if (word === "--") {
      for (const a of args.slice(i)) out.build.push(a);
      break;
    }
    if (word.startsWith("-")) {
      out.build.push(word);
      const name = long ? long[1]! : word.slice(1);
      if (
        (long ? long[2] === undefined : word.length === 2) &&
        takesValue(name) &&
        i + 1 < args.length
      ) {
        out.build.push(args[++i]!);
      }
      continue;
    }
    if (wantRange && out.range === null && word.includes("..")) {
      out.range = word;
      continue;
    }
    out.build.push(word);
  }
  return out;
}
