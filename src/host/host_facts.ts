/**
 * What a build record says about the machine it ran on (TuxMake's
 * `metadata.json` has the same): OS, kernel, CPU, memory and the versions of
 * the host tools the build used.
 *
 * @module
 */
import { type Requirement, requirements } from "./needed_tools.ts";
import {
  type ToolVersion,
  toolVersions,
  type VersionProbe,
} from "./tool_versions.ts";

/** The host part of `metadata.json`. */
export interface HostFacts {
  os: {
    id: string | null;
    versionId: string | null;
    prettyName: string | null;
  };
  kernel: { release: string; machine: string };
  cpu: { model: string | null; count: number };
  memoryBytes: number | null;
  /** Tool name → path and version (absent tools have nulls). */
  tools: Record<string, ToolVersion>;
}

/** Options for `gatherHostFacts`. */
export interface HostFactsOptions {
  /** PATH the build runs with. */
  path: string;
  /** Config symbols of the build's `.config` (adds rustc/bindgen for CONFIG_RUST). */
  config?: ReadonlyMap<string, string>;
  /** Version cache file (see `toolVersions`). */
  cacheFile?: string;
  probe?: VersionProbe;
  /** Reads a file as text, or null (tests pass their own). */
  readText?: (path: string) => Promise<string | null>;
}

/**
 * The os-release fields kcross records.
 *
 * @example
 * ```ts
 * import { parseOsRelease } from "./host_facts.ts";
 * const o = parseOsRelease('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\n');
 * if (o.id !== "debian" || o.versionId !== "12" || !o.prettyName?.startsWith("Debian")) throw new Error();
 * ```
 */
export function parseOsRelease(text: string): HostFacts["os"] {
  const v = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) v.set(m[1]!, m[2]!.replace(/^"(.*)"$/, "$1"));
  }
  return {
    id: v.get("ID") ?? null,
    versionId: v.get("VERSION_ID") ?? null,
    prettyName: v.get("PRETTY_NAME") ?? null,
  };
}

/** The `model name` of the first CPU in `/proc/cpuinfo`, or null. */
export function cpuModel(cpuinfo: string): string | null {
  const m = /^(?:model name|cpu model|Model)\s*:\s*(.+)$/m.exec(cpuinfo);
  return m ? m[1]!.trim() : null;
}

/** The requirements whose versions a build of this config records. */
export function recordedTools(
  config: ReadonlyMap<string, string> | undefined,
  reqs: readonly Requirement[] = requirements(),
): Requirement[] {
  return reqs.filter((r) =>
    r.version &&
    (r.record === true ||
      (typeof r.record === "string" && config?.get(r.record) === "y"))
  );
}

async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch {
    return null;
  }
}

/**
 * Every config symbol that decides whether a tool is recorded, set: the
 * config that gathers the most tools (`narrowFacts` keeps a build's own).
 */
export function everyRecordSymbol(
  reqs: readonly Requirement[] = requirements(),
): Map<string, string> {
  const all = new Map<string, string>();
  for (const r of reqs) {
    if (typeof r.record === "string") all.set(r.record, "y");
  }
  return all;
}

/**
 * `facts` (gathered for `everyRecordSymbol()`) with only the tools a build
 * of `config` records.
 *
 * @example
 * ```ts
 * import { everyRecordSymbol, narrowFacts, recordedTools } from "./host_facts.ts";
 * const all = recordedTools(everyRecordSymbol()).map((r) => r.commands![0]!);
 * const facts = {
 *   os: { id: null, versionId: null, prettyName: null },
 *   kernel: { release: "", machine: "" },
 *   cpu: { model: null, count: 1 },
 *   memoryBytes: null,
 *   tools: Object.fromEntries(all.map((n) => [n, { path: null, version: null }])),
 * };
 * const narrow = narrowFacts(facts, new Map());
 * if (Object.keys(narrow.tools).length >= all.length) throw new Error();
 * ```
 */
export function narrowFacts(
  facts: HostFacts,
  config: ReadonlyMap<string, string> | undefined,
  reqs: readonly Requirement[] = requirements(),
): HostFacts {
  const names = new Set(
    recordedTools(config, reqs).map((r) => r.commands?.[0]),
  );
  return {
    ...facts,
    tools: Object.fromEntries(
      Object.entries(facts.tools).filter(([name]) => names.has(name)),
    ),
  };
}

/** Gathers the host facts (tool versions cached by binary identity). */
export async function gatherHostFacts(
  options: HostFactsOptions,
): Promise<HostFacts> {
  const read = options.readText ?? readTextOrNull;
  const [osText, cpuinfo, tools] = await Promise.all([
    read("/etc/os-release").then((t) => t ?? read("/usr/lib/os-release")),
    read("/proc/cpuinfo"),
    toolVersions(recordedTools(options.config), {
      path: options.path,
      ...(options.cacheFile ? { cacheFile: options.cacheFile } : {}),
      ...(options.probe ? { probe: options.probe } : {}),
    }),
  ]);
  let memoryBytes: number | null = null;
  try {
    memoryBytes = Deno.systemMemoryInfo().total;
  } catch {
    memoryBytes = null;
  }
  return {
    os: osText
      ? parseOsRelease(osText)
      : { id: null, versionId: null, prettyName: null },
    kernel: { release: Deno.osRelease(), machine: Deno.build.arch },
    cpu: {
      model: cpuinfo ? cpuModel(cpuinfo) : null,
      count: navigator.hardwareConcurrency,
    },
    memoryBytes,
    tools,
  };
}
