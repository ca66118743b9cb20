/**
 * The make-word policy over a matrix file: every make variable (`[make]`,
 * upper-case axes, `make` in includes/overrides) and every target is checked
 * when the file is loaded, so a bad word is refused with `file:line` before
 * a tree is resolved or a cell is built.
 *
 * @module
 */
import { makeWordProblem } from "../build/make_words.ts";
import { UserError } from "../errors.ts";
import { locateKey } from "./_locate.ts";
import type { MatrixFile } from "./schema.ts";

type Path = (string | number)[];

const KNOWN_AXES = ["arch", "config", "compiler", "targets"];

function targetWords(v: string | string[]): string[] {
  return (Array.isArray(v) ? v : v.split(/\s+/)).flatMap((s) => s.split(/\s+/))
    .filter((s) => s !== "");
}

/** Every make word of the file with the path of the key it comes from. */
function* wordsOf(spec: MatrixFile): Generator<[string, Path]> {
  for (const [k, v] of Object.entries(spec.make ?? {})) {
    const values = Array.isArray(v) ? v : [v];
    for (const [i, x] of values.entries()) {
      yield [`${k}=${x}`, Array.isArray(v) ? ["make", k, i] : ["make", k]];
    }
  }
  for (const [k, v] of Object.entries(spec.matrix)) {
    if (k === "targets") {
      for (const [i, t] of (spec.matrix.targets ?? []).entries()) {
        for (const w of targetWords(t)) yield [w, ["matrix", "targets", i]];
      }
    } else if (!KNOWN_AXES.includes(k)) {
      for (const [i, x] of (v as string[]).entries()) {
        yield [`${k}=${x}`, ["matrix", k, i]];
      }
    }
  }
  const settings = [
    ...(spec.include ?? []).map((s, i) => [s, "include", i] as const),
    ...(spec.override ?? []).map((s, i) => [s, "override", i] as const),
  ];
  for (const [s, table, i] of settings) {
    for (const [k, x] of Object.entries(s.make ?? {})) {
      yield [`${k}=${x}`, [table, i, "make", k]];
    }
    if (s.targets !== undefined) {
      for (const w of targetWords(s.targets)) {
        yield [w, [table, i, "targets"]];
      }
    }
  }
}

/**
 * Refuses a matrix file whose make words the policy does not accept.
 *
 * @param spec the validated file
 * @param text its source (for line numbers)
 * @param file its path (for the message)
 * @param trust `--trust-make-line`: accept everything but NUL
 * @throws {UserError} `Invalid matrix file` + `file:line: key: refused make word …`
 */
export function checkMatrixMakeWords(
  spec: MatrixFile,
  text: string,
  file: string,
  trust: boolean,
): void {
  for (const [word, path] of wordsOf(spec)) {
    const problem = makeWordProblem(word);
    if (problem === null || (trust && !word.includes("\0"))) continue;
    const label = path.map((p) => typeof p === "number" ? `[${p}]` : `.${p}`)
      .join("").replace(/^\./, "");
    const shown = JSON.stringify(
      word.length > 80 ? `${word.slice(0, 77)}...` : word,
    );
    throw new UserError(
      `Invalid matrix file\n${file}:${
        locateKey(text, path)
      }: ${label}: refused make word ${shown}: ${problem}`,
      {
        hint:
          "make would evaluate it; if you trust this file, pass --trust-make-line (the build records say so)",
      },
    );
  }
}
