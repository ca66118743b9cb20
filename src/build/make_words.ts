/**
 * The one make-word policy: which words from outside (a report's make line,
 * a reproduce script, a matrix file, a series/bisect or build command line,
 * a record being rerun) may reach make's argv. make evaluates what it is
 * given: `CF=$(shell …)` runs when the kernel Makefile reads `$(CF)`,
 * `SHELL=` picks the recipe shell, `-f x.mk` reads another makefile, a goal
 * `../x/` makes kbuild descend into a directory outside the tree. So only
 * the variables robot reports actually use are accepted, each with a value
 * rule, and goals are plain paths inside the tree, never an install goal
 * (`modules_install` writes to /lib/modules). `--trust-make-line`
 * passes refused words anyway; the build records that it did.
 *
 * @module
 */
import { UserError } from "../errors.ts";

/** A variable a make line from outside may set, and what its value may be. */
export interface MakeVarRule {
  /** What a good value looks like, for the table and the error message. */
  values: string;
  /** Whether `value` is acceptable (the common rules are checked first). */
  test: (value: string) => boolean;
}

/** One compiler/sparse flag: `-W…`, `-f…`, `-D…`, `-U…`, `-m…`, `-O…`, `-g…`, `-std=…`. */
const FLAG =
  /^-(?:W[A-Za-z0-9_=,+.-]*|f[a-z0-9][a-z0-9_+.-]*(?:=[A-Za-z0-9_.,+-]+)?|D[A-Za-z_][A-Za-z0-9_]*(?:=[A-Za-z0-9_.,+-]*)?|U[A-Za-z_][A-Za-z0-9_]*|m[a-z0-9][a-z0-9_=.,+-]*|O[0-3sgz]?|g[0-3]?|std=[a-z0-9+]+|pedantic|w)$/;
/** Flags that load code into the compiler or hand options on to cpp, as or ld. */
const PLUGIN_FLAG = /^-(?:f(?:plugin|pass-plugin|load)|W[apl],)/;

function flags(value: string): boolean {
  const words = value.split(" ").filter((w) => w !== "");
  return words.length <= 64 &&
    words.every((w) => FLAG.test(w) && !PLUGIN_FLAG.test(w));
}

/** Shells a report may name as make's recipe shell. */
export const STANDARD_SHELLS: readonly string[] = [
  "/bin/sh",
  "/bin/bash",
  "/bin/dash",
  "/usr/bin/sh",
  "/usr/bin/bash",
  "/usr/bin/dash",
];

/**
 * The allowlist: every variable seen in robot reports and reproduce scripts
 * (W, C, CF, SHELL, SUBARCH; LLVM, LLVM_IAS in clang reports) plus the
 * harmless kbuild switches people add (V, KCFLAGS, CHECK_DTBS, HOSTCC by
 * name for ccache). `O`, `ARCH`, `CROSS_COMPILE`, `CC`, `LD` are kcross's
 * own and not here (a report's `HOSTCC` is dropped like them).
 */
export const MAKE_VAR_RULES: Readonly<Record<string, MakeVarRule>> = {
  W: {
    values: "1, 2, 3, e or a combination (W=1, W=12e)",
    test: (v) => /^[123e]{1,4}$/.test(v),
  },
  C: { values: "1 or 2", test: (v) => /^[12]$/.test(v) },
  CF: {
    values: "sparse/compiler flags (-W…, -f…, -D…), no plugins",
    test: flags,
  },
  KCFLAGS: {
    values: "compiler flags (-W…, -f…, -D…, -m…, -O…), no plugins",
    test: flags,
  },
  SHELL: {
    values: `a standard shell: ${STANDARD_SHELLS.join(", ")}`,
    test: (v) => STANDARD_SHELLS.includes(v),
  },
  LLVM: {
    values: "1 or a version suffix (LLVM=-17)",
    test: (v) => /^(?:1|-[0-9]{1,3})$/.test(v),
  },
  LLVM_IAS: { values: "0 or 1", test: (v) => /^[01]$/.test(v) },
  SUBARCH: {
    values: "an arch name (i386, x86_64…)",
    test: (v) => /^[a-z][a-z0-9_]{0,31}$/.test(v),
  },
  V: { values: "0, 1 or 2", test: (v) => /^[012]$/.test(v) },
  HOSTCC: {
    values: "gcc or clang by name, optionally versioned and through ccache",
    test: (v) => /^(?:ccache )?(?:gcc|clang)(?:-[0-9]{1,3})?$/.test(v),
  },
  CHECK_DTBS: { values: "y or 1", test: (v) => /^[y1]$/.test(v) },
  // The kselftest subset (`kselftest` target): tools/testing/selftests dirs.
  TARGETS: {
    values: 'selftest dirs separated by spaces (TARGETS="size timers")',
    test: selftestDirs,
  },
  SKIP_TARGETS: {
    values: "selftest dirs separated by spaces",
    test: selftestDirs,
  },
};

function selftestDirs(v: string): boolean {
  return v.length <= 1024 &&
    v.split(" ").every((d) =>
      /^[a-z0-9_][a-z0-9_/-]*$/.test(d) && !d.split("/").includes("..")
    );
}

/** What a goal may look like: a kbuild target or a path inside the tree. */
const TARGET = /^[A-Za-z0-9_][A-Za-z0-9_./+,-]*$/;
const MAX_WORD = 4096;
const MAX_TARGET = 255;

/**
 * Why make word `word` is refused, or null when the policy accepts it.
 *
 * @param word a `NAME=value` variable or a goal
 * @returns one line for the error message
 * @example
 * ```ts
 * import { makeWordProblem } from "./make_words.ts";
 * if (makeWordProblem("W=1") !== null) throw new Error();
 * if (makeWordProblem("CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__") !== null) throw new Error();
 * if (makeWordProblem("drivers/vfio/") !== null) throw new Error();
 * if (makeWordProblem("CF=$(shell touch /tmp/x)") === null) throw new Error();
 * if (makeWordProblem("SHELL=/tmp/evil.sh") === null) throw new Error();
 * if (makeWordProblem("-f") === null) throw new Error();
 * ```
 */
export function makeWordProblem(word: string): string | null {
  if (word.length > MAX_WORD) return `longer than ${MAX_WORD} characters`;
  if (/[\0\n\r]/.test(word)) return "contains a newline or NUL";
  if (word.startsWith("-")) {
    return "make options (-f, -C, -I, --eval…) are not accepted from outside";
  }
  const eq = word.indexOf("=");
  if (eq >= 0) {
    const name = word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      return "only plain NAME=value assignments are accepted (no :=, +=, !=)";
    }
    if (/[$`]/.test(value)) return 'the value contains "$" or "`"';
    const rule = MAKE_VAR_RULES[name];
    if (!rule) {
      return `${name} is not a variable kcross passes on (accepted: ${
        Object.keys(MAKE_VAR_RULES).join(", ")
      })`;
    }
    return rule.test(value) ? null : `${name} takes ${rule.values}`;
  }
  if (word.length > MAX_TARGET) return `longer than ${MAX_TARGET} characters`;
  if (!TARGET.test(word)) {
    return "a goal is a kbuild target or a relative path (letters, digits, _ . / + , -)";
  }
  if (word.split("/").includes("..")) return 'a goal may not contain ".."';
  if (/install/i.test(word.slice(word.lastIndexOf("/") + 1))) {
    return "install goals (install, modules_install, dtbs_install, tools/perf_install…) write outside the build dir (/boot, /lib/modules, $HOME); kcross build's named targets (modules, dtbs, headers) collect them into the record";
  }
  return null;
}

/** Where make words came from, for the error message (`the report`, `matrix file "m.toml"`). */
export interface MakeWordsOptions {
  origin: string;
  /** `--trust-make-line`: refused words pass (and are listed in the result). */
  trust?: boolean;
}

/**
 * Applies the policy to make words from outside.
 *
 * @param words `NAME=value` words and goals, in any order
 * @param options where they came from, and `--trust-make-line`
 * @returns the words refused by the policy that passed because of `trust`
 * @throws {UserError} naming the first refused word (exit 2)
 * @example
 * ```ts
 * import { checkMakeWords } from "./make_words.ts";
 * if (checkMakeWords(["W=1", "SHELL=/bin/bash", "drivers/vfio/"], { origin: "the report" }).length) throw new Error();
 * if (checkMakeWords(["SHELL=/x"], { origin: "x", trust: true })[0] !== "SHELL=/x") throw new Error();
 * let threw = false;
 * try { checkMakeWords(["-f", "evil.mk"], { origin: "x" }); } catch { threw = true; }
 * if (!threw) throw new Error();
 * ```
 */
export function checkMakeWords(
  words: readonly string[],
  options: MakeWordsOptions,
): string[] {
  const trusted: string[] = [];
  for (const word of words) {
    const problem = makeWordProblem(word);
    if (problem === null) continue;
    if (options.trust && !word.includes("\0")) {
      trusted.push(word);
      continue;
    }
    throw new UserError(
      `Refused make word ${quoteWord(word)} from ${options.origin}: ${problem}`,
      {
        hint:
          "make would evaluate it; if you trust it, pass --trust-make-line (the build record says so)",
      },
    );
  }
  return trusted;
}

/** The word as shown in an error: quoted, cut at 80 characters, control characters escaped. */
function quoteWord(word: string): string {
  const cut = word.length > 80 ? `${word.slice(0, 77)}...` : word;
  return JSON.stringify(cut);
}

/** The note a build carries when `--trust-make-line` let words through. */
export function trustedNote(trusted: readonly string[]): string {
  return `make words passed unchecked (--trust-make-line): ${
    trusted.map(quoteWord).join(" ")
  }`;
}
