/**
 * Reads a make.cross command line the way make itself will: which words are
 * options, variables and goals. make.cross's own tests are substring matches
 * on `"$*"`; kcross parses words instead (see docs/build.md).
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** Names make.cross reads from the environment, also accepted as leading words. */
export const MAKECROSS_ENV_NAMES = [
  "COMPILER",
  "COMPILER_INSTALL_PATH",
  "URL",
  "GCC_VERSION",
] as const;

/** kcross's own options in drop-in mode (never passed to make). */
export interface DropInOptions {
  dryRun: boolean;
  json: boolean;
  recordDir?: string;
  allowSubstitute: boolean;
  allowEmpty: boolean;
}

/** A make.cross command line, split. */
export interface MakeCrossArgs {
  /** Leading `COMPILER=…`/`COMPILER_INSTALL_PATH=…`/`URL=…` words. */
  envWords: Record<string, string>;
  options: DropInOptions;
  /** Everything make gets from the user, in order. */
  makeArgs: string[];
  /** Last `ARCH=` variable on the command line. */
  arch?: string;
  /** Last `O=` variable on the command line. */
  o?: string;
  /** `-C`/`--directory` options, in order. */
  dirs: string[];
  /** Whether a real `-j`/`--jobs` option was given, and its value (null: unlimited). */
  jobsGiven: boolean;
  jobs: number | null;
  goals: string[];
  /** Variables given on the command line (last wins). */
  vars: Record<string, string>;
}

const VAR_RE = /^([^\s=:+?!][^\s=]*?)\s*(:::=|::=|:=|\?=|\+=|!=|=)(.*)$/s;
// make's short options that take an argument (attached or next word).
const ARG_SHORT = new Set(["C", "f", "I", "o", "W"]);
const ARG_LONG = new Set([
  "--directory",
  "--file",
  "--makefile",
  "--include-dir",
  "--old-file",
  "--assume-old",
  "--what-if",
  "--new-file",
  "--assume-new",
  "--eval",
]);
const NOARG_SHORT = /^[BeiknqrRsStwLdpv]$/;

function kcrossOption(word: string, o: DropInOptions): boolean {
  if (!word.startsWith("--kcross-")) return false;
  const [name, value] = word.includes("=")
    ? [word.slice(0, word.indexOf("=")), word.slice(word.indexOf("=") + 1)]
    : [word, undefined];
  switch (name) {
    case "--kcross-dry-run":
      o.dryRun = true;
      return true;
    case "--kcross-json":
      o.json = true;
      return true;
    case "--kcross-allow-substitute":
      o.allowSubstitute = true;
      return true;
    case "--kcross-allow-empty":
      o.allowEmpty = true;
      return true;
    case "--kcross-record-dir":
      if (!value) {
        throw new UserError("Bad arguments: --kcross-record-dir needs =DIR");
      }
      o.recordDir = value;
      return true;
  }
  throw new UserError(`Unknown kcross option "${name}"`, {
    hint:
      "drop-in options: --kcross-dry-run --kcross-json --kcross-record-dir=DIR --kcross-allow-substitute --kcross-allow-empty",
  });
}

/**
 * Splits a make.cross command line.
 *
 * @throws {UserError} on an unknown `--kcross-*` option
 * @example
 * ```ts
 * import { parseMakeCrossArgs } from "./makecross_args.ts";
 * const a = parseMakeCrossArgs(["COMPILER=gcc-11.2.0", "O=build_dir", "ARCH=powerpc", "drivers/hid/hid-jabra.o"]);
 * if (a.envWords.COMPILER !== "gcc-11.2.0" || a.arch !== "powerpc" || a.o !== "build_dir") throw new Error();
 * if (a.jobsGiven || a.goals[0] !== "drivers/hid/hid-jabra.o") throw new Error();
 * if (a.makeArgs.length !== 3) throw new Error();
 * ```
 */
export function parseMakeCrossArgs(args: string[]): MakeCrossArgs {
  const envWords: Record<string, string> = {};
  const options: DropInOptions = {
    dryRun: false,
    json: false,
    allowSubstitute: false,
    allowEmpty: false,
  };
  let i = 0;
  for (; i < args.length; i++) {
    if (kcrossOption(args[i]!, options)) continue;
    const m = /^([A-Z_]+)=(.*)$/s.exec(args[i]!);
    if (!m || !(MAKECROSS_ENV_NAMES as readonly string[]).includes(m[1]!)) {
      break;
    }
    envWords[m[1]!] = m[2]!;
  }
  const res: MakeCrossArgs = {
    envWords,
    options,
    makeArgs: [],
    dirs: [],
    jobsGiven: false,
    jobs: null,
    goals: [],
    vars: {},
  };
  let onlyWords = false;
  for (; i < args.length; i++) {
    const a = args[i]!;
    if (!onlyWords && kcrossOption(a, options)) continue;
    res.makeArgs.push(a);
    if (!onlyWords && a === "--") {
      onlyWords = true;
      continue;
    }
    if (!onlyWords && a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = eq < 0 ? a : a.slice(0, eq);
      if (name === "--jobs") {
        res.jobsGiven = true;
        let v = eq < 0 ? undefined : a.slice(eq + 1);
        if (v === undefined && /^\d+$/.test(args[i + 1] ?? "")) {
          v = args[++i]!;
          res.makeArgs.push(v);
        }
        res.jobs = v ? Number(v) : null;
      } else if (ARG_LONG.has(name)) {
        let v = eq < 0 ? undefined : a.slice(eq + 1);
        if (v === undefined && i + 1 < args.length) {
          v = args[++i]!;
          res.makeArgs.push(v);
        }
        if (name === "--directory" && v !== undefined) res.dirs.push(v);
      }
      continue;
    }
    if (!onlyWords && a.startsWith("-") && a !== "-") {
      // A cluster of short options: -kj8, -C dir, -Cdir, -j 4.
      for (let k = 1; k < a.length; k++) {
        const c = a[k]!;
        if (c === "j") {
          res.jobsGiven = true;
          let v = a.slice(k + 1);
          if (!v && /^\d+$/.test(args[i + 1] ?? "")) {
            v = args[++i]!;
            res.makeArgs.push(v);
          }
          res.jobs = /^\d+$/.test(v) ? Number(v) : null;
          break;
        }
        if (c === "l" || c === "O") break; // optional attached argument
        if (ARG_SHORT.has(c)) {
          let v = a.slice(k + 1);
          if (!v && i + 1 < args.length) {
            v = args[++i]!;
            res.makeArgs.push(v);
          }
          if (c === "C") res.dirs.push(v);
          break;
        }
        if (!NOARG_SHORT.test(c)) break;
      }
      continue;
    }
    const m = VAR_RE.exec(a);
    if (m) {
      const name = m[1]!;
      const value = m[3]!.replace(/^\s+/, "");
      res.vars[name] = value;
      if (name === "ARCH") res.arch = value;
      if (name === "O") res.o = value;
      continue;
    }
    res.goals.push(a);
  }
  return res;
}
