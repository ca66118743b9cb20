/**
 * Reading what a config fragment word names (the word itself is classified
 * by `fragment_word.ts`), TuxMake's `--kconfig-add` forms: a
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
import {
  FORMS_HINT,
  FRAGMENT_NAME,
  parseFragmentWord,
} from "./fragment_word.ts";

export {
  type FragmentWord,
  localFragment,
  parseFragmentWord,
} from "./fragment_word.ts";

/** How a fragment was given. */
export type FragmentKind = "file" | "url" | "tree" | "make" | "inline";

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
  /**
   * URLs may reach loopback and private addresses (default:
   * `KCROSS_ALLOW_PRIVATE_URLS=1` in the environment).
   */
  allowPrivateUrls?: boolean;
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
    ...(ctx.allowPrivateUrls === undefined
      ? {}
      : { allowPrivate: ctx.allowPrivateUrls }),
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
