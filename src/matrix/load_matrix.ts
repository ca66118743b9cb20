/**
 * Reads and validates a matrix file; every error names the file, line and key.
 *
 * @module
 */
import { parse, TomlError } from "smol-toml";
import type { ZodIssue } from "zod";
import { UserError } from "../errors.ts";
import { readCapped } from "../util/bytes.ts";
import { archInfo } from "../toolchain/arch.ts";
import { locateKey } from "./_locate.ts";
import { checkMatrixMakeWords } from "./_make_words.ts";
import { type MatrixFile, matrixFileSchema } from "./schema.ts";

/** A validated matrix file with where it came from. */
export interface LoadedMatrix {
  /** Absolute path of the file ("<inline>" for text). */
  file: string;
  /** Directory relative paths (fragments) resolve against. */
  dir: string;
  text: string;
  spec: MatrixFile;
  /** `--trust-make-line` was given: cells pass refused make words (recorded). */
  trustMakeLine?: boolean;
}

/** Options of `parseMatrix` / `loadMatrix`. */
export interface MatrixLoadOptions {
  /** Accept make words the make-word policy refuses (`--trust-make-line`). */
  trustMakeLine?: boolean;
}

/** Most bytes a matrix file may have (real ones are a few KB). */
export const MAX_MATRIX_BYTES = 1024 * 1024;

function pathLabel(path: (string | number)[]): string {
  let s = "";
  for (const p of path) {
    s += typeof p === "number" ? `[${p}]` : s === "" ? p : `.${p}`;
  }
  return s;
}

function issueText(issue: ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown key${issue.keys.length > 1 ? "s" : ""} ${
      issue.keys.map((k) => `"${k}"`).join(", ")
    }`;
  }
  if (issue.code === "invalid_type" && issue.received === "undefined") {
    return "is required";
  }
  return issue.message.replace(/\.$/, "");
}

/**
 * Parses and validates matrix TOML.
 *
 * @param text the file's content
 * @param file the path shown in errors (and the base of relative paths)
 * @param options `trustMakeLine`
 * @returns the validated matrix
 * @throws {UserError} `file:line: key: problem` for syntax and schema errors
 * @example
 * ```ts
 * import { parseMatrix } from "./load_matrix.ts";
 * const m = parseMatrix(
 *   '[matrix]\narch = ["powerpc"]\nconfig = ["defconfig"]\ncompiler = ["gcc-12.2.0"]\n',
 *   "/tmp/m.toml",
 * );
 * if (m.spec.matrix.arch[0] !== "powerpc") throw new Error();
 * ```
 */
export function parseMatrix(
  text: string,
  file: string,
  options: MatrixLoadOptions = {},
): LoadedMatrix {
  if (text.length > MAX_MATRIX_BYTES) {
    throw new UserError(
      `Matrix file "${file}" is too large: ${
        (text.length / 1048576).toFixed(1)
      } MB (limit ${MAX_MATRIX_BYTES / 1048576} MB)`,
      { hint: "a matrix file lists axes; split very large ones" },
    );
  }
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    if (error instanceof RangeError) {
      // smol-toml recurses into nested arrays and inline tables.
      throw new UserError(
        `${file}: invalid TOML: arrays or tables nested too deeply`,
        { hint: "a matrix file needs at most two levels of nesting" },
      );
    }
    if (error instanceof TomlError) {
      const first = error.message.split("\n")[0]!.replace(
        /^Invalid TOML document: /,
        "",
      );
      throw new UserError(
        `${file}:${error.line}:${error.column}: invalid TOML: ${first}`,
        { hint: "fix the syntax at that position", cause: error },
      );
    }
    throw error;
  }
  const result = matrixFileSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.slice(0, 5).map((issue) => {
      const path = issue.code === "unrecognized_keys"
        ? [...issue.path, issue.keys[0]!]
        : issue.path;
      const at = locateKey(text, path);
      const key = pathLabel(issue.path) || "(top level)";
      return `${file}:${at}: ${key}: ${issueText(issue)}`;
    });
    throw new UserError(`Invalid matrix file\n${lines.join("\n")}`, {
      hint: "see docs/matrix.md for the matrix file format",
    });
  }
  const spec = result.data;
  const archRefs: [string, (string | number)[]][] = spec.matrix.arch.map((
    a,
    i,
  ) => [a, ["matrix", "arch", i]]);
  (spec.include ?? []).forEach((inc, i) => {
    if (inc.arch) archRefs.push([inc.arch, ["include", i, "arch"]]);
  });
  for (const [arch, path] of archRefs) {
    try {
      archInfo(arch);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      throw new UserError(
        `Invalid matrix file\n${file}:${locateKey(text, path)}: ${
          pathLabel(path)
        }: unknown arch "${arch}"`,
        error.hint === undefined ? {} : { hint: error.hint },
      );
    }
  }
  const trust = options.trustMakeLine ?? false;
  checkMatrixMakeWords(spec, text, file, trust);
  const slash = file.lastIndexOf("/");
  return {
    file,
    dir: slash > 0 ? file.slice(0, slash) : ".",
    text,
    spec,
    ...(trust ? { trustMakeLine: true } : {}),
  };
}

/**
 * Reads a matrix file from disk and validates it.
 *
 * @param path the file (relative to `cwd`)
 * @param cwd the directory relative paths start from
 * @param options `trustMakeLine`
 * @throws {UserError} missing file, syntax or schema errors
 */
export async function loadMatrix(
  path: string,
  cwd: string,
  options: MatrixLoadOptions = {},
): Promise<LoadedMatrix> {
  const abs = path.startsWith("/") ? path : `${cwd}/${path}`;
  let text: string;
  const tooLarge = (size: string) =>
    new UserError(
      `Matrix file "${path}" is too large: ${size} MB (limit ${
        MAX_MATRIX_BYTES / 1048576
      } MB)`,
      { hint: "a matrix file lists axes; split very large ones" },
    );
  try {
    const info = await Deno.stat(abs);
    if (info.isFile && info.size > MAX_MATRIX_BYTES) {
      throw tooLarge((info.size / 1048576).toFixed(1));
    }
    if (info.isDirectory) throw new Deno.errors.IsADirectory(abs);
    // Streamed with the cap: /dev/zero, a FIFO or <(curl …) has no size.
    // (the stream closes the file when it ends or is cancelled)
    const file = await Deno.open(abs);
    const bytes = await readCapped(file.readable, MAX_MATRIX_BYTES);
    if (bytes === null) throw tooLarge(`over ${MAX_MATRIX_BYTES / 1048576}`);
    text = new TextDecoder().decode(bytes);
  } catch (error) {
    if (error instanceof UserError) throw error;
    if ((error as { code?: string }).code === "ENAMETOOLONG") {
      throw new UserError(
        `Cannot read matrix file "${path.slice(0, 80)}…": the path is too long`,
      );
    }
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.IsADirectory ||
      error instanceof Deno.errors.NotADirectory
    ) {
      throw new UserError(`Cannot read matrix file "${path}": not a file`, {
        hint:
          "give the path of a .toml matrix file, e.g. configs/powerpc-vfio.toml",
      });
    }
    throw error;
  }
  return parseMatrix(text, normalize(abs), options);
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return `/${out.join("/")}`;
}
