/**
 * Versions of the host tools a build used (`make 4.3`, `bison 3.8.2`…),
 * asked once per binary and cached by the binary's identity (real path, size,
 * mtime), so a build record gets them without spawning anything on a warm
 * cache.
 *
 * @module
 */
import { findExecutable, runProcess } from "../proc/mod.ts";
import type { Requirement } from "./needed_tools.ts";
import { writeFileAtomic } from "../util/mod.ts";

/** One tool's version as recorded: null when absent or unreadable. */
export interface ToolVersion {
  /** Absolute path of the binary used, or null when not on PATH. */
  path: string | null;
  /** The first `x.y[.z]` the tool printed, or null. */
  version: string | null;
}

/** How tool versions are asked (tests pass their own). */
export interface VersionProbe {
  /** Runs `argv` and returns its merged output (bounded), or null on failure. */
  run(argv: string[], env: Record<string, string>): Promise<string | null>;
}

const MAX_OUTPUT = 64 * 1024;

/** The real probe: the shared process runner, output capped. */
export const realVersionProbe: VersionProbe = {
  async run(argv, env) {
    let text = "";
    try {
      const r = await runProcess(argv, {
        cwd: "/",
        env,
        onChunk: (b) => {
          if (text.length < MAX_OUTPUT) text += new TextDecoder().decode(b);
        },
        signal: AbortSignal.timeout(10_000),
      });
      return r.code === 0 || text ? text : null;
    } catch {
      return null;
    }
  },
};

/**
 * The first version number in a tool's output (`GNU Make 4.3` → `4.3`,
 * `rustc 1.63.0 (4b91a6ea7 2022-08-08)` → `1.63.0`, `v5.36.0` → `5.36.0`).
 *
 * @example
 * ```ts
 * import { versionFromOutput } from "./tool_versions.ts";
 * if (versionFromOutput("GNU Make 4.3\nBuilt for x86_64") !== "4.3") throw new Error();
 * if (versionFromOutput("bison (GNU Bison) 3.8.2") !== "3.8.2") throw new Error();
 * if (versionFromOutput("v1.24") !== "1.24") throw new Error();
 * if (versionFromOutput("no digits") !== null) throw new Error();
 * ```
 */
export function versionFromOutput(text: string): string | null {
  const m = /(?:^|[^\w.])v?(\d+\.\d+(?:\.\d+)*)/m.exec(text);
  return m ? m[1]! : null;
}

interface CacheEntry {
  key: string;
  version: string | null;
}

/** Options for `toolVersions`. */
export interface ToolVersionsOptions {
  /** PATH to look tools up on. */
  path: string;
  /** JSON cache of versions by binary identity (absent: no cache). */
  cacheFile?: string;
  probe?: VersionProbe;
}

/**
 * Versions of the tools of `reqs` that say how to ask theirs, looked up on
 * `path`, asked in parallel on a cache miss; keyed by command name.
 */
export async function toolVersions(
  reqs: readonly Requirement[],
  options: ToolVersionsOptions,
): Promise<Record<string, ToolVersion>> {
  const probe = options.probe ?? realVersionProbe;
  const cache = await readCache(options.cacheFile);
  let dirty = false;
  const out: Record<string, ToolVersion> = {};
  await Promise.all(reqs.map(async (r) => {
    if (!r.version || !r.commands?.length) return;
    const cmd = r.commands.map((c) => findExecutable(c, options.path)).find(
      (p) => p !== null,
    );
    const name = r.commands[0]!;
    if (!cmd) {
      out[name] = { path: null, version: null };
      return;
    }
    const key = await identity(cmd);
    const hit = cache[cmd];
    if (key !== null && hit?.key === key) {
      out[name] = { path: cmd, version: hit.version };
      return;
    }
    const text = await probe.run([cmd, ...r.version.args], {
      PATH: options.path,
      LANG: "C",
      LC_ALL: "C",
    });
    const version = text === null ? null : versionFromOutput(text);
    out[name] = { path: cmd, version };
    if (key !== null) {
      cache[cmd] = { key, version };
      dirty = true;
    }
  }));
  if (dirty && options.cacheFile) await writeCache(options.cacheFile, cache);
  return Object.fromEntries(
    Object.entries(out).sort(([a], [b]) => a.localeCompare(b)),
  );
}

/** `realpath:size:mtime` of a binary, or null when it cannot be read. */
async function identity(path: string): Promise<string | null> {
  try {
    const real = await Deno.realPath(path);
    const st = await Deno.stat(real);
    return `${real}:${st.size}:${st.mtime?.getTime() ?? 0}`;
  } catch {
    return null;
  }
}

async function readCache(
  file: string | undefined,
): Promise<Record<string, CacheEntry>> {
  if (!file) return {};
  try {
    const v = JSON.parse(await Deno.readTextFile(file));
    return v && typeof v === "object" && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

async function writeCache(
  file: string,
  cache: Record<string, CacheEntry>,
): Promise<void> {
  const dir = file.slice(0, file.lastIndexOf("/")) || ".";
  try {
    await Deno.mkdir(dir, { recursive: true });
    await writeFileAtomic(file, JSON.stringify(cache));
  } catch {
    // A cache that cannot be written only costs the next build a probe.
  }
}
