/**
 * Reproduce steps: the inline block of old-format reports and the robot's
 * `reproduce` script. Commands a reflowing archive wrapped are joined back,
 * then each line is shell-split (quotes removed, nothing evaluated).
 *
 * @module
 */
import { isHeaderStop, keyOf } from "./header.ts";
import { shellSplit } from "./shell_split.ts";
import type { MakeInvocation, ReproduceInfo, ScriptNotes } from "./types.ts";

const COMMANDS = new Set([
  "wget",
  "curl",
  "chmod",
  "mkdir",
  "git",
  "make",
  "make.cross",
  "cd",
  "cp",
  "mv",
  "ln",
  "rm",
  "cat",
  "tar",
  "gzip",
  "gunzip",
  "xz",
  "zcat",
  "b4",
  "export",
  "sudo",
  "apt",
  "apt-get",
  "pip",
  "pip3",
  "python",
  "python3",
  "sh",
  "bash",
  "source",
  "echo",
  "dnf",
  "yum",
  "zypper",
  "env",
]);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

function isMakeWord(word: string): boolean {
  return word === "make" || word === "make.cross" ||
    (word.endsWith("/make.cross") && !word.includes("://"));
}

/** What kind of line this is in a reproduce block. */
function lineKind(line: string): "command" | "assignments" | "other" {
  if (line.startsWith("#")) return "command";
  const words = line.split(/\s+/);
  let k = 0;
  while (k < words.length && ASSIGNMENT.test(words[k]!)) k++;
  if (k === words.length) return "assignments";
  const w = words[k]!;
  if (COMMANDS.has(w) || isMakeWord(w)) return "command";
  // a path to a program (`~/bin/make.cross`, `./scripts/x`), not a URL;
  // checked without a backtracking regex
  const first = w.indexOf("/");
  if (
    /^(?:~|\.{1,2}|\$HOME|\$\{HOME\})?\//.test(w) && !w.includes("://") &&
    w.indexOf("/", first + 1) > first + 1 && !w.endsWith("/")
  ) {
    return "command";
  }
  return "other";
}

/** Lines that end a reproduce block (beyond a blank line). */
function endsBlock(line: string): boolean {
  const t = line.trim();
  if (t === "") return true;
  if (/^\s/.test(line)) return false;
  return isHeaderStop(t) && !t.startsWith("[") && keyOf(t) !== "reproduce";
}

/**
 * Joins the reproduce block starting at `lines[start]` into logical command
 * lines.
 *
 * @param lines body lines
 * @param start first line after the `reproduce…:` line
 * @returns the commands and the index after the block
 *
 * @example
 * ```ts
 * import { readCommandLines } from "./reproduce.ts";
 * const r = readCommandLines(["wget", "https://x/make.cross -O", "~/bin/make.cross", "COMPILER=gcc-11.2.0 make.cross O=b", "ARCH=powerpc drivers/vfio/", ""], 0);
 * if (r.commands.length !== 2) throw new Error(JSON.stringify(r));
 * if (r.commands[1] !== "COMPILER=gcc-11.2.0 make.cross O=b ARCH=powerpc drivers/vfio/") throw new Error();
 * ```
 */
export function readCommandLines(
  lines: readonly string[],
  start: number,
): { commands: string[]; next: number } {
  const commands: string[] = [];
  // The last command as parts and word facts, kept as lines are joined, so a
  // block of 10^5 continuation lines costs linear time, not quadratic.
  let parts: string[] = [];
  let lastWord = "";
  let nonAssign = 0;
  let hasMake = false;
  let isComment = false;
  const flush = () => {
    if (parts.length) commands.push(parts.join(" "));
  };
  const begin = (t: string) => {
    flush();
    parts = [t];
    nonAssign = 0;
    hasMake = false;
    isComment = t.startsWith("#");
    add(t);
  };
  const add = (t: string) => {
    const words = t.split(/\s+/);
    for (const w of words) {
      if (!ASSIGNMENT.test(w)) nonAssign++;
      if (isMakeWord(w)) hasMake = true;
    }
    lastWord = words.at(-1)!;
  };
  // For a run of VAR=value lines: whether the run ends in a command line.
  const runEnds = new Map<number, boolean>();
  const startsCommandAt = (i: number): boolean => {
    const known = runEnds.get(i);
    if (known !== undefined) return known;
    let k = i + 1;
    let result = false;
    for (; k < lines.length; k++) {
      const nt = lines[k]!.trim();
      if (endsBlock(lines[k]!.trimEnd())) break;
      const nk = lineKind(nt);
      if (nk === "assignments") continue;
      result = nk === "command" &&
        (ASSIGNMENT.test(nt) || isMakeWord(nt.split(/\s+/)[0]!));
      break;
    }
    for (let j = i; j < k; j++) runEnds.set(j, result);
    return result;
  };
  let i = start;
  for (; i < lines.length; i++) {
    const raw = lines[i]!.trimEnd();
    if (endsBlock(raw)) break;
    const t = raw.trim();
    if (parts.length === 0) {
      begin(t);
      continue;
    }
    const dangling = /^-[A-Za-z]$/.test(lastWord);
    const prevOnlyAssign = nonAssign === 0;
    const kind = lineKind(t);
    let join: boolean;
    // A run of VAR=value lines ending in a command line is that command's
    // environment (a wrapped `COMPILER_INSTALL_PATH=… COMPILER=… make.cross`).
    const startsCommand = kind === "assignments" && startsCommandAt(i);
    if (dangling || prevOnlyAssign) join = true;
    else if (/^\s/.test(raw)) join = false; // pristine: one command per line
    else if (kind === "command") join = false;
    else if (kind === "assignments") {
      join = !startsCommand && hasMake && !isComment;
    } else join = true;
    if (join) {
      parts.push(t);
      add(t);
    } else begin(t);
  }
  flush();
  return { commands, next: i };
}

function numeric(value: string): number | string {
  return /^\d+$/.test(value) ? Number(value) : value;
}

function lastVar(args: readonly string[], name: string): string | null {
  let found: string | null = null;
  for (const a of args) {
    if (a.startsWith(`${name}=`)) found = a.slice(name.length + 1);
  }
  return found;
}

const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]{0,99}$/;

/**
 * What the comment lines of reproduce steps say: packages to `apt-get
 * install`, the sparse version, a compiler that may not be released yet.
 *
 * @param commands logical command lines (comments included)
 * @returns the notes (empty when there are none)
 *
 * @example
 * ```ts
 * import { readScriptNotes } from "./reproduce.ts";
 * const n = readScriptNotes(["# apt-get install sparse", "# sparse version: v0.6.4-66-g0196afe1", "# clang-23 might not be officially released. Try a lower version if installation fails."]);
 * if (n.apt_packages[0] !== "sparse" || n.sparse_version !== "v0.6.4-66-g0196afe1" || n.unreleased_compiler !== "clang-23") throw new Error();
 * ```
 */
export function readScriptNotes(commands: readonly string[]): ScriptNotes {
  const notes: ScriptNotes = {
    apt_packages: [],
    sparse_version: null,
    unreleased_compiler: null,
  };
  for (const line of commands) {
    if (!line.startsWith("#")) continue;
    const text = line.replace(/^#+\s*/, "");
    const apt = /^(?:sudo\s+)?apt(?:-get)? install\s+(.*)$/.exec(text);
    if (apt) {
      for (const word of apt[1]!.split(/\s+/)) {
        if (!DEBIAN_PACKAGE.test(word)) continue;
        if (!notes.apt_packages.includes(word)) notes.apt_packages.push(word);
      }
      continue;
    }
    const sparse = /^sparse version:\s*(\S{1,100})/.exec(text);
    if (sparse) {
      notes.sparse_version ??= sparse[1]!;
      continue;
    }
    const unreleased =
      /^((?:clang|gcc|llvm)-[\w.]{1,20}) might not be officially released/
        .exec(text);
    if (unreleased) notes.unreleased_compiler ??= unreleased[1]!;
  }
  return notes;
}

/**
 * Reads make invocations and git/b4 steps from command lines.
 *
 * @param commands logical command lines (see {@link readCommandLines})
 * @param label the text between `reproduce` and the colon, e.g. `(this is a W=1 build)`
 * @returns what the steps say
 *
 * @example
 * ```ts
 * import { interpretCommands } from "./reproduce.ts";
 * const r = interpretCommands(["git checkout abc123", "COMPILER=clang make.cross ARCH=s390 drivers/"], "(this is a W=1 build)");
 * if (r.w !== 1 || r.arch !== "s390" || r.commit !== "abc123") throw new Error();
 * if (r.targets?.[0] !== "drivers/") throw new Error();
 * ```
 */
export function interpretCommands(
  commands: readonly string[],
  label: string,
): ReproduceInfo {
  const invocations: MakeInvocation[] = [];
  const remotes = new Map<string, string>();
  let tree: string | null = null;
  let branch: string | null = null;
  let commit: string | null = null;
  let b4: string | null = null;
  for (const line of commands) {
    for (const words of shellSplit(line)) {
      let k = 0;
      const env: Record<string, string> = {};
      while (k < words.length && ASSIGNMENT.test(words[k]!)) {
        const w = words[k]!;
        const eq = w.indexOf("=");
        env[w.slice(0, eq)] = w.slice(eq + 1);
        k++;
      }
      const cmd = words[k];
      if (cmd === undefined) continue;
      const rest = words.slice(k + 1);
      if (isMakeWord(cmd)) {
        invocations.push({ env, cmd, args: rest });
      } else if (cmd === "git") {
        const positional = rest.filter((w) => !w.startsWith("-"));
        const [sub, a, b] = positional;
        if (sub === "remote" && a === "add" && b !== undefined) {
          const url = positional[3];
          if (url !== undefined) remotes.set(b, url);
        } else if (sub === "fetch" && a !== undefined) {
          tree = remotes.get(a) ??
            (/:\/\//.test(a) || a.startsWith("/") ? a : tree);
          branch = b ?? null;
        } else if (sub === "checkout" && a !== undefined) {
          // `git checkout akpm-mm/mm-everything` before `b4 shazam` (2023
          // inline steps) names the base branch, not the commit built.
          commit = /^[0-9a-f]{7,40}$/i.test(a) ? a : null;
        }
      } else if (cmd === "b4" && rest[0] === "shazam") {
        b4 = rest.slice(1).find((w) => !w.startsWith("-")) ?? null;
      }
    }
  }
  // `git remote add r URL` + `git remote update r` (2020): the one remote
  if (tree === null && remotes.size === 1) tree = [...remotes.values()][0]!;
  const last = invocations.at(-1);
  const args = last ? last.args : null;
  const w = args ? lastVar(args, "W") : null;
  const c = args ? lastVar(args, "C") : null;
  const headerW = /\(this is a W=(\d+) build\)/.exec(label);
  return {
    make_invocations: invocations,
    make_args: args,
    make_env: last ? last.env : null,
    targets: args
      ? args.filter((a) => !a.includes("=") && !a.startsWith("-"))
      : null,
    arch: args ? lastVar(args, "ARCH") : null,
    w: w !== null ? numeric(w) : headerW ? Number(headerW[1]) : null,
    c: c !== null ? numeric(c) : null,
    tree_url: tree,
    branch,
    commit,
    b4_shazam: b4,
    notes: readScriptNotes(commands),
  };
}

/**
 * Parses a standalone `reproduce` script (the robot's attachment or the copy
 * behind a report's `reproduce:` URL).
 *
 * @param text the script
 * @returns what its steps say
 *
 * @example
 * ```ts
 * import { parseReproduceScript } from "./reproduce.ts";
 * const r = parseReproduceScript("reproduce:\n        git checkout 86731a2\n        b4 shazam https://lore.kernel.org/r/x@y\n        make W=1 ARCH=mips\n");
 * if (r.commit !== "86731a2" || r.b4_shazam !== "https://lore.kernel.org/r/x@y" || r.w !== 1) throw new Error();
 * ```
 */
export function parseReproduceScript(text: string): ReproduceInfo {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length && lines[i]!.trim() === "") i++;
  let label = "";
  const head = /^reproduce( ?\([^)]*\))?:/.exec(lines[i]?.trim() ?? "");
  if (head) {
    label = (head[1] ?? "").trim();
    i++;
  }
  const commands: string[] = [];
  // A script may hold blank lines between steps: read block after block.
  while (i < lines.length) {
    if (lines[i]!.trim() === "" || lines[i]!.trim().startsWith("#!")) {
      i++;
      continue;
    }
    const { commands: more, next } = readCommandLines(lines, i);
    for (const c of more) commands.push(c);
    i = next === i ? i + 1 : next;
  }
  return interpretCommands(commands, label);
}
