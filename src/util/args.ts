/**
 * Argument parsing on top of `node:util` parseArgs, with errors turned into
 * `UserError`s that name the bad option, typed values, and deprecated
 * spellings mapped onto their new names (with a one-line note on stderr).
 *
 * @module
 */
import { parseArgs as nodeParseArgs } from "node:util";
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
  let values: Record<
    string,
    string | boolean | (string | boolean)[] | undefined
  >;
  let positionals: string[];
  try {
    const parsed = nodeParseArgs({
      args,
      options: all,
      allowPositionals: true,
      strict: true,
    });
    values = { ...parsed.values };
    positionals = parsed.positionals;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`Bad arguments: ${message.replace(/\.$/, "")}`, {
      hint: "run with --help to see the options",
    });
  }
  for (const a of aliases) {
    const v = values[a.name];
    if (v === undefined) continue;
    delete values[a.name];
    extra.warn?.(deprecation(a.spelling, `--${a.to}`));
    if (values[a.to] === undefined) values[a.to] = v;
  }
  return { values, positionals } as ParsedArgs<O>;
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
