/**
 * A config fragment word classified before anything is read (TuxMake's
 * `--kconfig-add` forms: a file, an `https://` URL, an in-tree name, a
 * `make:NAME.config` target, one inline line), and the form a word takes in
 * a plan made in some directory. Pure but for the file checks
 * `localFragment` makes; reading the fragment is `fragment_source.ts`.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { srcArchOf } from "./kconfig_deps.ts";

/** A fragment word, classified before anything is read. */
export type FragmentWord =
  | { kind: "url"; url: string }
  | { kind: "make"; target: string }
  | { kind: "inline"; line: string }
  | { kind: "path"; path: string };

/** A fragment file name: what `make:` and an in-tree name may be. */
export const FRAGMENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*\.config$/;
const INLINE_SET = /^CONFIG_[A-Za-z0-9_]+=.*$/;
const INLINE_UNSET = /^# CONFIG_[A-Za-z0-9_]+ is not set$/;

/** The hint listing the forms a fragment word may take. */
export const FORMS_HINT =
  'give a file, an https:// URL, an in-tree name (kvm_guest.config, arch/<arch>/configs/NAME.config), make:NAME.config, or "CONFIG_X=y" / "# CONFIG_X is not set"';

/** Whether `host` (from a URL) is this machine. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "[::1]" ||
    /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Classifies a fragment word.
 *
 * @throws {UserError} a URL scheme other than https (http only to
 *   loopback), a `make:` goal that is not a `NAME.config` fragment, a
 *   multi-line word
 *
 * @example
 * ```ts
 * import { parseFragmentWord } from "./fragment_word.ts";
 * if (parseFragmentWord("make:kvm_guest.config").kind !== "make") throw new Error();
 * if (parseFragmentWord("# CONFIG_KVM is not set").kind !== "inline") throw new Error();
 * if (parseFragmentWord("https://example.org/x.config").kind !== "url") throw new Error();
 * if (parseFragmentWord("kvm_guest.config").kind !== "path") throw new Error();
 * ```
 */
export function parseFragmentWord(word: string): FragmentWord {
  const w = word.trim();
  if (w.includes("\n") || w === "") {
    throw new UserError(`Bad config fragment "${word}"`, { hint: FORMS_HINT });
  }
  if (INLINE_SET.test(w) || INLINE_UNSET.test(w)) {
    return { kind: "inline", line: w };
  }
  if (w.startsWith("make:")) {
    const target = w.slice(5);
    if (!FRAGMENT_NAME.test(target)) {
      throw new UserError(`Bad make fragment "${word}"`, {
        hint:
          "make: takes a fragment target of the tree (make:kvm_guest.config, make:tiny.config), no other make goal",
      });
    }
    return { kind: "make", target };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(w)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    let url: URL;
    try {
      url = new URL(w);
    } catch {
      throw new UserError(`Bad fragment URL "${word}"`, { hint: FORMS_HINT });
    }
    if (
      scheme === "https" || (scheme === "http" && isLoopback(url.hostname))
    ) {
      return { kind: "url", url: url.href };
    }
    throw new UserError(`Refusing fragment URL "${word}": not https`, {
      hint: "fragments download over https only (http only from this machine)",
    });
  }
  return { kind: "path", path: w };
}

/**
 * The form a fragment word takes in a plan made in `baseDir` (the shell's
 * cwd, a matrix file's directory): a relative path to an existing file
 * there becomes absolute; every other word stays as it is, an in-tree name
 * included, and is resolved against the tree when the build runs. A path
 * starting with `./` or `../` is always a file of `baseDir`.
 *
 * @param options.srcTree the tree, when known: a bare name that is both a
 *   file in `baseDir` and a different in-tree fragment is refused
 * @throws {UserError} as `parseFragmentWord`, a missing `./` file, or that
 *   ambiguity
 */
export function localFragment(
  word: string,
  baseDir: string,
  options: { srcTree?: string; arch?: string } = {},
): string {
  const parsed = parseFragmentWord(word);
  if (parsed.kind !== "path") return parsed.kind === "url" ? parsed.url : word;
  if (parsed.path.startsWith("/")) return parsed.path;
  const local = `${baseDir.replace(/\/+$/, "")}/${parsed.path}`;
  if (!isFileSync(local)) {
    if (!/^\.\.?\//.test(parsed.path)) return word; // maybe the tree's
    throw new UserError(
      `Cannot read config fragment "${word}": no such file in ${baseDir}`,
    );
  }
  const { srcTree, arch } = options;
  if (srcTree && arch && FRAGMENT_NAME.test(parsed.path)) {
    const tree = [
      `kernel/configs/${parsed.path}`,
      `arch/${srcArchOf(arch)}/configs/${parsed.path}`,
    ].filter((f) => isFileSync(`${srcTree}/${f}`));
    const real = realPathOrNull(local);
    if (
      tree.length &&
      !tree.some((f) => realPathOrNull(`${srcTree}/${f}`) === real)
    ) {
      throw new UserError(
        `Config fragment "${word}" is both a file here and the tree's ${
          tree.join(" + ")
        }`,
        {
          hint: `write "./${parsed.path}" for this directory's file, or "${
            tree[0]
          }" for the tree's`,
        },
      );
    }
  }
  return local;
}

function isFileSync(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

function realPathOrNull(path: string): string | null {
  try {
    return Deno.realPathSync(path);
  } catch {
    return null;
  }
}
