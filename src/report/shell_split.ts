/**
 * POSIX-like word splitting of one command line, without any evaluation:
 * quotes are removed, `$VAR` and `~` stay literal, nothing is executed.
 *
 * @module
 */

/**
 * Splits a command line into simple commands (at unquoted `&&`, `||`, `;`,
 * `|`) and each command into words with quotes removed. An unquoted `#` at
 * the start of a word starts a comment. Runs in linear time.
 *
 * @param line one logical command line
 * @returns the commands, each a list of words (empty commands dropped)
 *
 * @example
 * ```ts
 * import { shellSplit } from "./shell_split.ts";
 * const cmds = shellSplit(`make C=1 CF='-D__CHECK_ENDIAN__ -x' O=b && echo "a b"`);
 * if (cmds.length !== 2 || cmds[0]![2] !== "CF=-D__CHECK_ENDIAN__ -x") throw new Error();
 * if (cmds[1]![1] !== "a b") throw new Error();
 * ```
 */
export function shellSplit(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = "";
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push(word);
    word = "";
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  let i = 0;
  const n = line.length;
  while (i < n) {
    const ch = line[i]!;
    if (ch === "'") {
      const close = line.indexOf("'", i + 1);
      const end = close < 0 ? n : close;
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (ch === '"') {
      inWord = true;
      i++;
      while (i < n && line[i] !== '"') {
        if (line[i] === "\\" && i + 1 < n && '"\\$`'.includes(line[i + 1]!)) {
          word += line[i + 1];
          i += 2;
        } else {
          word += line[i];
          i++;
        }
      }
      i++;
    } else if (ch === "\\") {
      if (i + 1 < n) word += line[i + 1];
      inWord = true;
      i += 2;
    } else if (ch === " " || ch === "\t") {
      endWord();
      i++;
    } else if (ch === "#" && !inWord) {
      break;
    } else if (ch === ";" || ch === "|" || ch === "&") {
      const next = line[i + 1];
      if (ch === "&" && next !== "&") {
        // a lone `&` (background) also ends the command
        endCommand();
        i++;
      } else {
        endCommand();
        i += next === ch ? 2 : 1;
      }
    } else {
      word += ch;
      inWord = true;
      i++;
    }
  }
  endCommand();
  return commands;
}
