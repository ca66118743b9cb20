/**
 * Collecting a phase's artifacts into the record's `artifacts/`: each file
 * is written under a temporary name and renamed into place once complete
 * (copy or `tar -cJ` through `proc/`), so a failed or interrupted
 * collection leaves no partial artifact; install staging dirs are removed.
 *
 * @module
 */
import { InterruptedError } from "../errors.ts";
import { runCaptured } from "../proc/run_captured.ts";
import type { ArtifactRecord } from "../record/types.ts";
import { tempNameFor } from "../util/atomic_write.ts";
import { sha256File } from "../util/sha256_file.ts";
import type { ArtifactRule } from "./types.ts";

/** An artifact that could not be collected (the phase fails with it). */
export class ArtifactError extends Error {
  override name = "ArtifactError";
}

/** What collecting needs. */
export interface CollectContext {
  /** The build's output dir (make's objtree). */
  objDir: string;
  /** The record dir (`artifacts/` goes in it). */
  recordDir: string;
  /** The phase the artifacts belong to. */
  phase: string;
  /** When the phase's make started (`glob` takes files made since). */
  startedAt: number;
  /** PATH for tar and xz. */
  path: string;
  signal: AbortSignal;
  /** Runs make with these goals/words after the build's own (exit code). */
  make: (words: string[]) => Promise<number>;
}

/** The directory artifacts go to. */
export function artifactsDir(recordDir: string): string {
  return `${recordDir}/artifacts`;
}

/**
 * Collects `rules` in order; names already collected by an earlier rule are
 * skipped.
 *
 * @returns one record per file collected
 * @throws {ArtifactError} a file that was not built, a failed install or tar
 * @throws {InterruptedError} when `ctx.signal` aborts
 */
export async function collectArtifacts(
  rules: readonly ArtifactRule[],
  ctx: CollectContext,
  seen: Set<string> = new Set(),
): Promise<ArtifactRecord[]> {
  if (rules.length === 0) return [];
  const dir = artifactsDir(ctx.recordDir);
  await Deno.mkdir(dir, { recursive: true });
  const out: ArtifactRecord[] = [];
  for (const rule of rules) {
    if (ctx.signal.aborted) throw new InterruptedError("Interrupted");
    for (const [name, write] of await writersOf(rule, ctx)) {
      if (seen.has(name)) continue;
      const final = `${dir}/${name}`;
      const tmp = tempNameFor(final);
      try {
        await write(tmp);
        await Deno.rename(tmp, final);
      } catch (error) {
        await Deno.remove(tmp).catch(() => {});
        throw error;
      }
      seen.add(name);
      const [size, sha256] = await Promise.all([
        Deno.stat(final).then((s) => s.size),
        sha256File(final),
      ]);
      out.push({
        name,
        path: `artifacts/${name}`,
        phase: ctx.phase,
        size,
        sha256,
      });
    }
  }
  return out;
}

type Writer = (tmp: string) => Promise<void>;

async function writersOf(
  rule: ArtifactRule,
  ctx: CollectContext,
): Promise<[string, Writer][]> {
  switch (rule.kind) {
    case "file": {
      const from = `${ctx.objDir}/${rule.from}`;
      return [[rule.name, (tmp) => copyBuilt(from, tmp, rule.from)]];
    }
    case "tree": {
      const from = `${ctx.objDir}/${rule.from}`;
      return [[rule.name, async (tmp) => {
        await mustBeDir(from, rule.from);
        await tarXz(
          from,
          tmp,
          ctx,
          rule.exclude ? { exclude: rule.exclude } : {},
        );
      }]];
    }
    case "install":
      return [[rule.name, (tmp) => installAndPack(rule, tmp, ctx)]];
    case "files": {
      const from = `${ctx.objDir}/${rule.dir}`;
      return [[rule.name, async (tmp) => {
        const names = await findFiles(from, rule.patterns.map(globRegExp));
        if (names.length === 0) {
          throw new ArtifactError(
            `no ${rule.patterns.join(" or ")} under ${rule.dir}/`,
          );
        }
        await tarXz(from, tmp, ctx, { names });
      }]];
    }
    case "glob":
      return (await globNewer(rule, ctx)).map((
        path,
      ) => [basename(path), (tmp) => Deno.copyFile(path, tmp)]);
  }
}

async function copyBuilt(from: string, tmp: string, what: string) {
  try {
    await Deno.copyFile(from, tmp);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ArtifactError(`${what} was not built`);
    }
    throw error;
  }
}

async function mustBeDir(path: string, what: string): Promise<void> {
  try {
    if ((await Deno.stat(path)).isDirectory) return;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  throw new ArtifactError(`${what}/ was not built`);
}

async function installAndPack(
  rule: Extract<ArtifactRule, { kind: "install" }>,
  tmp: string,
  ctx: CollectContext,
): Promise<void> {
  const staging = await Deno.makeTempDir({
    dir: artifactsDir(ctx.recordDir),
    prefix: `.staging-${rule.goal}-`,
  });
  try {
    const code = await ctx.make([rule.goal, `${rule.var}=${staging}`]);
    if (ctx.signal.aborted) throw new InterruptedError("Interrupted");
    if (code !== 0) {
      throw new ArtifactError(`make ${rule.goal} exited with ${code}`);
    }
    await tarXz(staging, tmp, ctx);
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
}

/**
 * `tar -cJf tmp -C dir .`, names sorted and owners zeroed (same tree, same
 * bytes). xz at level 1 on every core: artifacts are for handing on, and
 * level 6 costs 5× the CPU for 15% less size (headers: 0.8 s vs 4.4 s).
 */
async function tarXz(
  dir: string,
  tmp: string,
  ctx: CollectContext,
  select: { exclude?: string; names?: string[] } = {},
) {
  const r = await runCaptured([
    "tar",
    ...(select.exclude ? [`--exclude=${select.exclude}`] : []),
    "--sort=name",
    "--owner=0",
    "--group=0",
    "--numeric-owner",
    "-cJf",
    tmp,
    "-C",
    dir,
    // The names go on stdin, NUL-separated (a file name is never an option).
    ...(select.names ? ["--null", "--verbatim-files-from", "-T", "-"] : ["."]),
  ], {
    env: { PATH: ctx.path, LANG: "C", LC_ALL: "C", XZ_OPT: "-T0 -1" },
    inheritEnv: false,
    ...(select.names
      ? { stdin: select.names.map((n) => `${n}\0`).join("") }
      : {}),
    signal: ctx.signal,
    stdout: "discard",
    maxBytes: 1 << 20,
  });
  if (ctx.signal.aborted) throw new InterruptedError("Interrupted");
  if (!r.success) {
    throw new ArtifactError(
      `tar of ${dir} failed: ${r.stderr.trim().split("\n").pop() ?? ""}`,
    );
  }
}

/**
 * A shell-style pattern (`*`, `?`) as a whole-name regular expression.
 *
 * @example
 * ```ts
 * import { globRegExp } from "./_run_artifacts.ts";
 * if (!globRegExp("linux-*.tar.gz").test("linux-6.1.0-x86.tar.gz")) throw new Error();
 * if (globRegExp("*.deb").test("a.deb.tmp")) throw new Error();
 * ```
 */
export function globRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", "[^/]*").replaceAll("?", "[^/]");
  return new RegExp(`^${body}$`);
}

/** Paths (relative to `root`, sorted) of the files below it whose name matches. */
async function findFiles(root: string, res: RegExp[]): Promise<string[]> {
  const found: string[] = [];
  const walk = async (rel: string) => {
    let entries;
    try {
      entries = await Array.fromAsync(Deno.readDir(`${root}/${rel}`));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return;
      throw error;
    }
    for (const e of entries) {
      const path = rel === "." ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (e.isFile && res.some((re) => re.test(e.name))) found.push(path);
    }
  };
  await walk(".");
  return found.sort();
}

async function globNewer(
  rule: Extract<ArtifactRule, { kind: "glob" }>,
  ctx: CollectContext,
): Promise<string[]> {
  const dir = rule.dir === "."
    ? ctx.objDir
    : rule.dir === ".."
    ? ctx.objDir.replace(/\/[^/]+\/?$/, "") || "/"
    : `${ctx.objDir}/${rule.dir}`;
  const re = globRegExp(rule.pattern);
  const found: string[] = [];
  try {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile || !re.test(e.name)) continue;
      const st = await Deno.stat(`${dir}/${e.name}`);
      // mtime has a coarse resolution on some file systems: one second slack.
      if ((st.mtime?.getTime() ?? 0) >= ctx.startedAt - 1000) {
        found.push(`${dir}/${e.name}`);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return found.sort();
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
