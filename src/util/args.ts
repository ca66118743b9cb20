/**
 * Argument parsing on top of `node:util` parseArgs, with errors turned into
 * `UserError`s that name the bad option.
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

/** Parsed values keyed by option name, plus positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `args` strictly against `options`.
 *
 * @param args the words after the subcommand
 * @param options option specs by long name
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
export function parseArgs(
  args: string[],
  options: Record<string, OptionSpec>,
): ParsedArgs {
  try {
    const { values, positionals } = nodeParseArgs({
      args,
      // deno-lint-ignore no-explicit-any
      options: options as any,
      allowPositionals: true,
      strict: true,
    });
    return { values: values as ParsedArgs["values"], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UserError(`Bad arguments: ${message.replace(/\.$/, "")}`, {
      hint: "run with --help to see the options",
    });
  }
}

/** A string option's value, or undefined. */
export function str(p: ParsedArgs, name: string): string | undefined {
  const v = p.values[name];
  return typeof v === "string" ? v : undefined;
}

/** A repeated string option's values (empty when absent). */
export function strs(p: ParsedArgs, name: string): string[] {
  const v = p.values[name];
  if (Array.isArray(v)) return v;
  return typeof v === "string" ? [v] : [];
}

/** A boolean flag. */
export function flag(p: ParsedArgs, name: string): boolean {
  return p.values[name] === true;
}

/**
 * A positive integer option, or `fallback`.
 *
 * @throws {UserError} when the value is not a positive integer
 */
export function intOpt(p: ParsedArgs, name: string, fallback: number): number {
  const v = str(p, name);
  if (v === undefined) return fallback;
  if (!/^[1-9][0-9]*$/.test(v)) {
    throw new UserError(
      `Bad value for --${name}: "${v}" is not a positive whole number`,
    );
  }
  return Number(v);
}
