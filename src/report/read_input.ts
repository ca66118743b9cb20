/**
 * Reading a report from a file or stdin with a size cap, so a 50 MB log or a
 * binary file is refused quickly instead of parsed.
 *
 * @module
 */
import { join } from "node:path";
import { UserError } from "../errors.ts";
import { MAX_REPORT_BYTES, parseReport } from "./parse_report.ts";
import type { ParsedReport } from "./types.ts";
import { readCapped } from "../util/bytes.ts";

/** Options for {@link readReportInput}. */
export interface ReadInputOptions {
  /** Directory relative paths are resolved against. */
  cwd?: string;
  /** Byte cap (default {@link MAX_REPORT_BYTES}). */
  maxBytes?: number;
  /** Stream read for `-` (default: this process's stdin). */
  stdin?: ReadableStream<Uint8Array>;
}

function tooLarge(size: number, max: number, what: string): UserError {
  return new UserError(
    `${what} is too large for a robot report: ${
      (size / 1048576).toFixed(1)
    } MB (limit ${(max / 1048576).toFixed(0)} MB)`,
    { hint: "pass the report e-mail or its text, not a build log or archive" },
  );
}

/** A path as shown in a message: at most 200 characters. */
function shortPath(path: string): string {
  return path.length > 200 ? `${path.slice(0, 100)}…${path.slice(-99)}` : path;
}

/** The one-line error for a report path that cannot be opened. */
function openError(error: unknown, what: string): unknown {
  if (error instanceof UserError) return error;
  if (error instanceof Deno.errors.NotFound) {
    return new UserError(`Cannot read report ${what}: no such file`, {
      cause: error,
    });
  }
  if (error instanceof Deno.errors.NotADirectory) {
    return new UserError(
      `Cannot read report ${what}: a part of the path is not a directory`,
      { cause: error },
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new UserError(`Cannot read report ${what}: permission denied`, {
      cause: error,
    });
  }
  const code = (error as { code?: string }).code;
  if (code === "ENAMETOOLONG" || code === "ELOOP") {
    return new UserError(
      `Cannot read report ${what}: ${
        code === "ELOOP" ? "too many symbolic links" : "the path is too long"
      }`,
      { cause: error },
    );
  }
  return error;
}

/** Reads a stream into one buffer, failing as soon as it passes `max` bytes. */
async function readInputCapped(
  stream: ReadableStream<Uint8Array>,
  max: number,
  what: string,
): Promise<Uint8Array> {
  const bytes = await readCapped(stream, max);
  if (bytes === null) throw tooLarge(max + 1, max, what);
  return bytes;
}

/** Rejects bytes that are clearly not text. */
function checkText(bytes: Uint8Array, what: string): void {
  const n = Math.min(bytes.length, 65536);
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) bad += 1000;
    else if (b < 9 || (b > 13 && b < 32 && b !== 27)) bad++;
  }
  if (bad > n / 100 + 2) {
    throw new UserError(`${what} looks like binary data, not a robot report`, {
      hint: "pass the report as text (.txt, .eml or mbox)",
    });
  }
}

/**
 * Reads `path` (or stdin for `-`) as UTF-8 text.
 *
 * @param path a file path, or `-`
 * @param options cwd, size cap, stdin stream
 * @returns the text
 * @throws {UserError} missing file, too large, binary
 */
export async function readReportInput(
  path: string,
  options: ReadInputOptions = {},
): Promise<string> {
  const max = options.maxBytes ?? MAX_REPORT_BYTES;
  let bytes: Uint8Array;
  const what = path === "-" ? "Standard input" : `"${shortPath(path)}"`;
  if (path === "-") {
    bytes = await readInputCapped(
      options.stdin ?? Deno.stdin.readable,
      max,
      what,
    );
  } else {
    const full = path.startsWith("/")
      ? path
      : join(options.cwd ?? Deno.cwd(), path);
    let file: Deno.FsFile;
    try {
      const info = await Deno.stat(full);
      if (info.isDirectory) {
        throw new UserError(`${what} is a directory, not a report file`);
      }
      if (info.size > max) throw tooLarge(info.size, max, what);
      file = await Deno.open(full);
    } catch (error) {
      throw openError(error, what);
    }
    // Streamed with the cap: /dev/zero or a FIFO has no size to check first.
    bytes = await readInputCapped(file.readable, max, what);
  }
  if (bytes.length === 0) {
    throw new UserError(`${what} is empty: no robot report to parse`);
  }
  // an e-mail may carry binary attachments; parseReport() judges its text part
  const head = new TextDecoder().decode(bytes.subarray(0, 256));
  if (!/^(?:From |[A-Za-z][\w-]*:)/.test(head)) checkText(bytes, what);
  return new TextDecoder().decode(bytes);
}

/** Options for {@link loadReport}. */
export interface LoadReportOptions extends ReadInputOptions {
  /** A separate reproduce script (path, or `-` for stdin). */
  reproduce?: string;
  /** Return what was found instead of failing on an incomplete report. */
  lenient?: boolean;
}

/**
 * Reads and parses a report file (and optionally its reproduce script): the
 * one call `repro` needs.
 *
 * @param path the report (`.txt`, `.eml`, mbox, or `-` for stdin)
 * @param options cwd, reproduce script path, leniency
 * @returns the parse
 * @throws {UserError} unreadable, binary, too large, or not a report
 */
export async function loadReport(
  path: string,
  options: LoadReportOptions = {},
): Promise<ParsedReport> {
  const text = await readReportInput(path, options);
  const lenient = options.lenient ?? false;
  if (options.reproduce === undefined) return parseReport(text, { lenient });
  return parseReport(text, {
    lenient,
    reproduceText: await readReportInput(options.reproduce, options),
    reproduceOrigin: options.reproduce,
  });
}
