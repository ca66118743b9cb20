/**
 * The native build options a series or bisect passes on to every build
 * (`--arch --config --compiler -W -C --jobs --ccache --fragment --set …` and
 * targets), split from the series' own options. The words are kept verbatim
 * in the series state so `--resume` rebuilds with exactly the same options.
 *
 * @module
 */
import {
  BUILD_FLAG_SPECS,
  type BuildRequest,
  parseBuildFlags,
} from "../build/mod.ts";
import type { OptionSpec } from "../util/args.ts";
import { UserError } from "../errors.ts";

/** The native build options `kcross build` takes (a series owns its O= dir: no `--out`). */
export const BUILD_OPTION_SPECS: Readonly<Record<string, OptionSpec>> =
  BUILD_FLAG_SPECS;

/**
 * Parses the build words of a series/bisect command line (`parseBuildFlags`
 * with `--config` required and `--out` refused).
 *
 * @param args the words left after the series' own options
 * @returns the request
 * @throws {UserError} on a bad or missing option
 *
 * @example
 * ```ts
 * import { parseBuildArgs } from "./build_args.ts";
 * const o = parseBuildArgs(["--arch", "powerpc", "--config", "allmodconfig", "-W", "1", "drivers/vfio/", "CF=-D__CHECK_ENDIAN__"]);
 * if (o.w !== "1" || o.targets[0] !== "drivers/vfio/" || o.makeArgs[0] !== "CF=-D__CHECK_ENDIAN__") throw new Error();
 * ```
 */
export function parseBuildArgs(args: string[]): BuildRequest {
  if (args.some((a) => a === "--out" || a.startsWith("--out="))) {
    throw new UserError(
      "A series builds into its own directory: --out is not accepted",
      { hint: "drop --out; the build dir lives under the series' state dir" },
    );
  }
  return parseBuildFlags(args, {}, {
    requireConfig: true,
    archHint: "e.g. --arch powerpc --config allmodconfig drivers/vfio/",
  }).request;
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
    name === "kconfig-add" || BUILD_OPTION_SPECS[name]?.type === "string" ||
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
