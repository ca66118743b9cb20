/**
 * The common flags: one spelling and one meaning for every command that
 * takes them (docs/flags.md). A command picks the ones it needs with
 * `commonSpecs()`, reads them with the readers below, and prints their help
 * lines with `flagHelp()` so the wording is written once.
 *
 * @module
 */
import type { AnyParsed, DeprecatedAlias, OptionSpec } from "./args.ts";
import { flag, optInt } from "./args.ts";
export { deprecation } from "./args.ts";
import { UserError } from "../errors.ts";

/** One common flag: its spec, how help shows it, and what it means. */
export interface CommonFlag {
  spec: OptionSpec;
  /** The left column of a help line, e.g. `-j, --jobs N`. */
  shown: string;
  /** What it does, one line. */
  help: string;
}

/** The table (docs/flags.md mirrors it). */
export const COMMON_FLAGS = {
  jobs: {
    spec: { type: "string", short: "j" },
    shown: "-j, --jobs N",
    help: "make -j N (default: 2 x CPUs, as make.cross)",
  },
  cells: {
    spec: { type: "string" },
    shown: "--cells N",
    help: "matrix cells built at once",
  },
  ccache: {
    spec: { type: "boolean" },
    shown: "--ccache",
    help: "compile through ccache (its own CCACHE_DIR in the cache dir)",
  },
  "no-ccache": {
    spec: { type: "boolean" },
    shown: "--no-ccache",
    help: "do not compile through ccache",
  },
  offline: {
    spec: { type: "boolean" },
    shown: "--offline",
    help: "never download: use what is installed and cached (KCROSS_OFFLINE=1)",
  },
  quiet: {
    spec: { type: "boolean", short: "q" },
    shown: "-q, --quiet",
    help: "no progress lines on stderr",
  },
  json: {
    spec: { type: "boolean" },
    shown: "--json",
    help: "print the result as JSON",
  },
  "allow-substitute": {
    spec: { type: "boolean" },
    shown: "--allow-substitute",
    help:
      "accept another compiler version when the exact one cannot be had (recorded)",
  },
  "allow-distro": {
    spec: { type: "boolean" },
    shown: "--allow-distro",
    help:
      "accept a distro compiler of the same version, another build (recorded; KCROSS_ALLOW_DISTRO=1)",
  },
} as const satisfies Record<string, CommonFlag>;

/** A common flag's name. */
export type CommonName = keyof typeof COMMON_FLAGS;

type SpecsOf<N extends CommonName> = {
  [K in N]: (typeof COMMON_FLAGS)[K]["spec"];
};

/**
 * The option specs of the named common flags, to spread into a command's own.
 *
 * @example
 * ```ts
 * import { commonSpecs } from "./flags.ts";
 * const s = commonSpecs("jobs", "json");
 * if (s.jobs.short !== "j" || s.json.type !== "boolean") throw new Error();
 * ```
 */
export function commonSpecs<const N extends CommonName>(
  ...names: N[]
): SpecsOf<N> {
  const out: Record<string, OptionSpec> = {};
  for (const n of names) out[n] = COMMON_FLAGS[n].spec;
  return out as SpecsOf<N>;
}

/**
 * The help line of a common flag, its text padded to `width` columns
 * (indented by two), optionally with what it means for this command.
 *
 * @example
 * ```ts
 * import { flagHelp } from "./flags.ts";
 * if (!flagHelp("json", 10).startsWith("  --json  print")) throw new Error();
 * ```
 */
export function flagHelp(
  name: CommonName,
  width: number,
  help: string = COMMON_FLAGS[name].help,
): string {
  const left = `  ${COMMON_FLAGS[name].shown}`;
  const lines: string[] = [];
  let line = left.length + 1 > width ? "" : left.padEnd(width);
  if (line === "") lines.push(left);
  for (const word of help.split(" ")) {
    const start = line === "" ? " ".repeat(width) : line;
    const joined = start.length > width ? `${start} ${word}` : start + word;
    if (joined.length > 79 && start.length > width) {
      lines.push(start);
      line = " ".repeat(width) + word;
    } else line = joined;
  }
  lines.push(line);
  return lines.join("\n");
}

/** Old spellings kept for one release (docs/flags.md, "Deprecated"). */
export const DEPRECATED = {
  /** `--make-jobs N` (matrix worker; matrix run reads it itself): now `--jobs N`. */
  makeJobs: {
    name: "make-jobs",
    spec: { type: "string" },
    to: "jobs",
    spelling: "--make-jobs",
  },
  /** `--concurrency N` (matrix worker): now `--cells N`. */
  concurrency: {
    name: "concurrency",
    spec: { type: "string" },
    to: "cells",
    spelling: "--concurrency",
  },
  /**
   * `--config FILE` (toolchain fetch/path): now `--triple-from FILE`, since
   * `--config` names the kernel config to build everywhere else.
   */
  tripleConfig: {
    name: "config",
    spec: { type: "string" },
    to: "triple-from",
    spelling: "--config",
  },
} as const satisfies Record<string, DeprecatedAlias>;

/** `--jobs N`, or undefined. @throws {UserError} not a positive integer */
export function jobsOf(p: AnyParsed): number | undefined {
  return optInt(p, "jobs");
}

/** `--cells N`, or undefined. @throws {UserError} not a positive integer */
export function cellsOf(p: AnyParsed): number | undefined {
  return optInt(p, "cells");
}

/**
 * `--ccache` / `--no-ccache`, or `fallback` when neither is given.
 *
 * @throws {UserError} when both are given
 *
 * @example
 * ```ts
 * import { ccacheOf } from "./flags.ts";
 * if (ccacheOf({ values: { "no-ccache": true }, positionals: [] }, true)) throw new Error();
 * ```
 */
export function ccacheOf(p: AnyParsed, fallback: boolean): boolean {
  const on = flag(p, "ccache");
  const off = flag(p, "no-ccache");
  if (on && off) throw new UserError("Give --ccache or --no-ccache, not both");
  return on ? true : off ? false : fallback;
}
