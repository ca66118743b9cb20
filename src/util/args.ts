/**
 * Argument parsing with the rules of `node:util` parseArgs in strict mode
 * (`--name value`, `--name=value`, `-j4`, `-j 4`, grouped short booleans,
 * `--` ends the options), errors as `UserError`s that name the bad option,
 * typed values, and deprecated spellings mapped onto their new names (with a
 * one-line note on stderr). Its own scanner rather than node's: loading the
 * `node:` layer costs every command ~20 ms of start.
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** One option: a boolean flag or a string (possibly repeated). */
export interface OptionSpec {
  type: "boolean" | "string";
  short?: string;
  multiple?: boolean;
  default?: string | boolean | string[];
}

/** Option specs by long name. */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** The value an option spec yields. */
export type ValueOf<S extends OptionSpec> = S["type"] extends "boolean"
  ? boolean
  : S["multiple"] extends true ? string[]
  : string;

/** Parsed values keyed by option name, plus positionals. */
export interface ParsedArgs<
  O extends OptionSpecs = Record<string, OptionSpec>,
> {
  values: { [K in keyof O]?: ValueOf<O[K]> };
  positionals: string[];
}

/**
 * An old spelling kept for one release: `name` is parsed with `spec` and its
 * value goes to `to` (unless `to` was given too), with a note on stderr.
 */
export interface DeprecatedAlias {
  /** The option name as parsed (a long name; `spec.short` for `-j`). */
  name: string;
  spec: OptionSpec;
  /** The option that replaces it. */
  to: string;
  /** How the user typed it, for the note (e.g. `-j`, `--make-jobs`). */
  spelling: string;
}

/** Where deprecation notes go (an `Output`'s `err`). */
export interface ParseOptions {
  aliases?: readonly DeprecatedAlias[];
  warn?: (line: string) => void;
}

/**
 * Parses `args` strictly against `options`.
 *
 * @param args the words after the subcommand
 * @param options option specs by long name
 * @param extra deprecated aliases and where their notes go
 * @returns values and positionals
 * @throws {UserError} on an unknown option or a missing value
 *
 * @example
 * ```ts
 * import { parseArgs } from "./args.ts";
 * const p = parseArgs(["--json", "x"], { json: { type: "boolean" } });
 * if (p.values.json !== true || p.positionals[0] !== "x") throw new Error();
 * ```
 */
export function parseArgs<const O extends OptionSpecs>(
  args: string[],
  options: O,
  extra: ParseOptions = {},
): ParsedArgs<O> {
  const aliases = extra.aliases ?? [];
  const all: Record<string, OptionSpec> = { ...options };
  for (const a of aliases) all[a.name] = a.spec;
  const scanned = scan(args, all);
  const values = scanned.values;
  const positionals = scanned.positionals;
  for (const a of aliases) {
    const v = values[a.name];
    if (v === undefined) continue;
    delete values[a.name];
    extra.warn?.(deprecation(a.spelling, `--${a.to}`));
    if (values[a.to] === undefined) values[a.to] = v;
  }
  return { values, positionals } as ParsedArgs<O>;
}

type Values = Record<string, string | boolean | string[] | undefined>;

function bad(message: string): UserError {
  return new UserError(`Bad arguments: ${message}`, {
    hint: "run with --help to see the options",
  });
}

/** A value that would be taken for an option (`--out -x` is ambiguous). */
function optionLike(word: string): boolean {
  return word.length > 1 && word.startsWith("-");
}

function store(values: Values, name: string, spec: OptionSpec, v: string) {
  if (spec.multiple) {
    const list = values[name];
    values[name] = Array.isArray(list) ? [...list, v] : [v];
  } else {
    values[name] = v;
  }
}

/** The scanner: strict, positionals allowed anywhere, `--` ends options. */
function scan(
  args: readonly string[],
  specs: Readonly<Record<string, OptionSpec>>,
): { values: Values; positionals: string[] } {
  const values: Values = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) {
    if (spec.short) byShort.set(spec.short, name);
  }
  const specOf = (name: string) =>
    Object.hasOwn(specs, name) ? specs[name] : undefined;
  /** The value of a string option given apart: the next word. */
  const next = (i: number, shown: string): string => {
    const v = args[i];
    if (v === undefined) throw bad(`${shown} needs a value`);
    if (optionLike(v)) {
      throw bad(
        `${shown} needs a value, not the option-like "${v}" (write ${shown}=${v} if that is the value)`,
      );
    }
    return v;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("--")) {
      const eq = arg.indexOf("=");
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = specOf(name);
      if (!spec) throw bad(`unknown option --${name}`);
      if (spec.type === "boolean") {
        if (eq >= 0) throw bad(`--${name} takes no value`);
        values[name] = true;
      } else {
        store(
          values,
          name,
          spec,
          eq >= 0 ? arg.slice(eq + 1) : next(++i, `--${name}`),
        );
      }
      continue;
    }
    if (!optionLike(arg)) {
      positionals.push(arg);
      continue;
    }
    // -x, -xVALUE, -abc (grouped booleans), -ab VALUE (last one a string)
    for (let at = 1; at < arg.length; at++) {
      const short = arg[at]!;
      const name = byShort.get(short);
      const spec = name === undefined ? undefined : specOf(name);
      if (name === undefined || !spec) throw bad(`unknown option -${short}`);
      if (spec.type === "boolean") {
        values[name] = true;
        continue;
      }
      const rest = arg.slice(at + 1);
      store(values, name, spec, rest !== "" ? rest : next(++i, `-${short}`));
      break;
    }
  }
  return { values, positionals };
}

/**
 * The one-line note for an old spelling.
 *
 * @example
 * ```ts
 * import { deprecation } from "./args.ts";
 * if (!deprecation("--make-jobs", "--jobs").includes("use --jobs")) throw new Error();
 * ```
 */
export function deprecation(old: string, now: string): string {
  return `kcross: ${old} is deprecated, use ${now} (the old spelling goes away in the next release)`;
}

/** Any parsed arguments, for the readers below. */
export interface AnyParsed {
  values: Readonly<Record<string, string | boolean | string[] | undefined>>;
  positionals: string[];
}

/** A string option's value, or undefined. */
export function str(p: AnyParsed, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === "string" ? v : undefined;
}

/** A repeated string option's values (empty when absent). */
export function strs(p: AnyParsed, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v)) return v;
  return typeof v === "string" ? [v] : [];
}

/** A boolean flag. */
export function flag(p: AnyParsed, name: string): boolean {
  return p.values[name] === true;
}

/**
 * A positive integer option, or `fallback`.
 *
 * @throws {UserError} when the value is not a positive integer
 */
export function intOpt(p: AnyParsed, name: string, fallback: number): number {
  return optInt(p, name) ?? fallback;
}

/**
 * A positive integer option, or undefined when absent.
 *
 * @throws {UserError} when the value is not a positive integer
 */
export function optInt(p: AnyParsed, name: string): number | undefined {
  const v = str(p, name);
  if (v === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(v)) {
    throw new UserError(
      `Bad value for --${name}: "${v}" is not a positive whole number`,
    );
  }
  return Number(v);
}

/**
 * The one operand a command takes (`kcross repro <report>`).
 *
 * @param words the positionals
 * @param what what the operand is, for "Missing …"
 * @param hints the hint lines for a missing and for an extra operand
 * @throws {UserError} when there is none, or more than one
 *
 * @example
 * ```ts
 * import { oneOperand } from "./args.ts";
 * const hints = { missing: "kcross x <file>", extra: "kcross x takes one file" };
 * if (oneOperand(["a"], "file", hints) !== "a") throw new Error();
 * try { oneOperand(["a", "b"], "file", hints); throw new Error(); } catch (e) {
 *   if (!String(e).includes('Unexpected argument "b"')) throw e;
 * }
 * ```
 */
export function oneOperand(
  words: readonly string[],
  what: string,
  hints: { missing: string; extra: string },
): string {
  const [word, ...extra] = words;
  if (word === undefined) {
    throw new UserError(`Missing ${what}`, { hint: hints.missing });
  }
  if (extra.length > 0) {
    throw new UserError(`Unexpected argument "${extra[0]}"`, {
      hint: hints.extra,
    });
  }
  return word;
}
