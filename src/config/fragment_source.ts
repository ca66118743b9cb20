/**
 * What a config fragment word names, TuxMake's `--kconfig-add` forms: a
 * file, an `https://` URL (downloaded once, cached, size- and time-capped),
 * an in-tree fragment (`kvm_guest.config`, `arch/x86/configs/xen.config`),
 * a `make:NAME.config` target the kernel's Makefile merges itself, or one
 * inline line (`CONFIG_X=y`, `# CONFIG_X is not set`). Every form ends up as
 * text with a digest, so the record names exactly what was merged and the
 * dropped-symbol check covers it.
 *
 * Words come from the command line, matrix files and reports: a tree path
 * never leaves the tree, a URL is https (http only to loopback), a make
 * target is only a `*.config` fragment name, and a value with `$` or a
 * backtick is refused.
 *
 * @module
 */
import { InfraError, UserError } from "../errors.ts";
import { cacheDir, type EnvReader } from "../paths.ts";
import { sha256Hex, writeFileAtomic } from "../util/mod.ts";
import { fetchConfig } from "./fetch_config.ts";
import { srcArchOf } from "./kconfig_deps.ts";
import { refuseShellValues } from "./shell_values.ts";

/** How a fragment was given. */
export type FragmentKind = "file" | "url" | "tree" | "make" | "inline";

/** A fragment word, classified before anything is read. */
export type FragmentWord =
  | { kind: "url"; url: string }
  | { kind: "make"; target: string }
  | { kind: "inline"; line: string }
  | { kind: "path"; path: string };

/** A fragment resolved to its text. */
export interface ResolvedFragment {
  kind: FragmentKind;
  /** The word as given (for messages and the record). */
  path: string;
  sha256: string;
  text: string;
  /** `make`: the make goal (`kvm_guest.config`). */
  target?: string;
  /** `tree` and `make`: the tree files it stands for, relative to the tree. */
  files?: string[];
}

/** Where downloaded fragments are cached: `<cache>/config-fragments`. */
export function fragmentCacheDir(env?: EnvReader): string {
  return `${cacheDir(env)}/config-fragments`;
}

/** The most a downloaded fragment may weigh (a real one is a few KB). */
export const MAX_FRAGMENT_BYTES = 1024 * 1024;

const FRAGMENT_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.+-]*\.config$/;
const INLINE_SET = /^CONFIG_[A-Za-z0-9_]+=.*$/;
const INLINE_UNSET = /^# CONFIG_[A-Za-z0-9_]+ is not set$/;

const FORMS_HINT =
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
 * import { parseFragmentWord } from "./fragment_source.ts";
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

/** Where and how fragments are resolved. */
export interface FragmentContext {
  /** Relative file paths are tried here first. */
  cwd: string;
  srcTree: string;
  /** make's ARCH (its SRCARCH names `arch/<srcarch>/configs`). */
  arch: string;
  /** Where downloaded fragments are kept (absent: not cached). */
  cacheDir?: string;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Milliseconds for a download's answer and each chunk. */
  timeoutMs?: number;
  /** Byte cap on a download (default `MAX_FRAGMENT_BYTES`). */
  maxBytes?: number;
  /** Read only what is on disk: an uncached URL resolves to null. */
  offline?: boolean;
  /** `--trust-make-line`: values with `$` or backticks pass. */
  trustValues?: boolean;
}

/**
 * Reads the fragment a word names.
 *
 * @returns the fragment, or null for an uncached URL when `offline`
 * @throws {UserError} a bad word, a missing file or in-tree name, a tree
 *   path leaving the tree, a value with `$` or a backtick
 * @throws {InfraError} a download failure (HTTP error, cap, timeout)
 */
export async function resolveFragment(
  word: string,
  ctx: FragmentContext,
): Promise<ResolvedFragment | null> {
  const parsed = parseFragmentWord(word);
  let fragment: ResolvedFragment | null;
  switch (parsed.kind) {
    case "inline":
      fragment = made("inline", word, `${parsed.line}\n`);
      break;
    case "url":
      fragment = await urlFragment(word, parsed.url, ctx);
      break;
    case "make": {
      const files = await treeFiles(parsed.target, ctx.srcTree, ctx.arch);
      if (!files.length) {
        throw new UserError(
          `No fragment "${parsed.target}" in the tree for ARCH=${ctx.arch}`,
          {
            hint: `make:NAME takes a file of kernel/configs/ or arch/${
              srcArchOf(ctx.arch)
            }/configs/`,
          },
        );
      }
      fragment = {
        ...made("make", word, await readTreeFiles(ctx.srcTree, files)),
        target: parsed.target,
        files,
      };
      break;
    }
    case "path":
      fragment = await pathFragment(word, parsed.path, ctx);
      break;
  }
  if (fragment) {
    refuseShellValues(fragment.text, `config fragment "${word}"`, {
      trust: ctx.trustValues === true,
    });
  }
  return fragment;
}

function made(
  kind: FragmentKind,
  path: string,
  text: string,
): ResolvedFragment {
  return { kind, path, sha256: sha256Hex(text), text };
}

async function pathFragment(
  word: string,
  path: string,
  ctx: FragmentContext,
): Promise<ResolvedFragment> {
  const file = path.startsWith("/") ? path : `${ctx.cwd}/${path}`;
  const text = await readOptional(file);
  if (text !== null) {
    const inTree = await insideTree(file, ctx.srcTree);
    return inTree === null
      ? made("file", word, text)
      : { ...made("tree", word, text), files: [inTree] };
  }
  if (path.startsWith("/")) {
    throw new UserError(`Cannot read config fragment "${word}": no such file`);
  }
  const files = path.includes("/")
    ? await treePath(word, path, ctx.srcTree)
    : await treeFiles(path, ctx.srcTree, ctx.arch);
  if (!files.length) {
    throw new UserError(
      `No config fragment "${word}": not a file, nor in the tree's kernel/configs or arch/${
        srcArchOf(ctx.arch)
      }/configs`,
      { hint: FORMS_HINT },
    );
  }
  return {
    ...made("tree", word, await readTreeFiles(ctx.srcTree, files)),
    files,
  };
}

/** The tree files `make NAME` merges (`configfiles` of scripts/kconfig/Makefile). */
async function treeFiles(
  name: string,
  srcTree: string,
  arch: string,
): Promise<string[]> {
  if (!FRAGMENT_NAME.test(name)) return [];
  const candidates = [
    `kernel/configs/${name}`,
    `arch/${srcArchOf(arch)}/configs/${name}`,
  ];
  const out: string[] = [];
  for (const c of candidates) {
    if (await insideTree(`${srcTree}/${c}`, srcTree) !== null) out.push(c);
  }
  return out;
}

/** A path relative to the tree, checked to stay inside it. */
async function treePath(
  word: string,
  path: string,
  srcTree: string,
): Promise<string[]> {
  const parts = path.split("/");
  if (parts.some((p) => p === ".." || p === "") || !path.endsWith(".config")) {
    throw new UserError(`Refusing config fragment "${word}"`, {
      hint:
        "an in-tree fragment is a NAME.config path inside the tree, without ..",
    });
  }
  const inTree = await insideTree(`${srcTree}/${path}`, srcTree);
  return inTree === null ? [] : [inTree];
}

/** The path of an existing regular file relative to the tree, or null when outside (symlinks followed). */
async function insideTree(
  file: string,
  srcTree: string,
): Promise<string | null> {
  try {
    const [real, root] = await Promise.all([
      Deno.realPath(file),
      Deno.realPath(srcTree),
    ]);
    if (!real.startsWith(`${root}/`)) return null;
    if (!(await Deno.stat(real)).isFile) return null;
    return real.slice(root.length + 1);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function readTreeFiles(srcTree: string, files: string[]) {
  const texts = [];
  for (const f of files) {
    const t = await Deno.readTextFile(`${srcTree}/${f}`);
    texts.push(t.endsWith("\n") || t === "" ? t : `${t}\n`);
  }
  return texts.join("");
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.IsADirectory
    ) {
      return null;
    }
    throw error;
  }
}

/** The cache file of a fragment URL. */
function cachePath(cacheDir: string, url: string): string {
  return `${cacheDir}/${sha256Hex(url).slice(0, 32)}.config`;
}

async function urlFragment(
  word: string,
  url: string,
  ctx: FragmentContext,
): Promise<ResolvedFragment | null> {
  const file = ctx.cacheDir ? cachePath(ctx.cacheDir, url) : null;
  const cached = file === null ? null : await readOptional(file);
  if (cached !== null) return made("url", word, cached);
  if (ctx.offline) return null;
  const text = await fetchConfig(url, {
    what: "config fragment",
    maxBytes: ctx.maxBytes ?? MAX_FRAGMENT_BYTES,
    ...(ctx.timeoutMs ? { timeoutMs: ctx.timeoutMs } : {}),
    ...(ctx.signal ? { signal: ctx.signal } : {}),
    ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
  });
  // Checked before it is cached: a refused body is never kept.
  refuseShellValues(text, `config fragment "${word}"`, {
    trust: ctx.trustValues === true,
  });
  if (file !== null) {
    try {
      await Deno.mkdir(ctx.cacheDir!, { recursive: true });
      await writeFileAtomic(file, text);
    } catch (error) {
      throw new InfraError(`Cannot cache config fragment "${word}"`, {
        cause: error,
        hint: `check that ${ctx.cacheDir} is writable`,
      });
    }
  }
  return made("url", word, text);
}
