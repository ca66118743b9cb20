/**
 * The record's `host` section: the machine (OS, kernel, CPU, memory), the
 * versions of the host tools the build used and the disk use of the out
 * dir. Cheap by design: tool versions come from a cache keyed by each
 * binary's identity (no spawn when warm), the rest from a few file reads;
 * the out dir's disk use costs one `du` (0.4 s CPU, 2 s wall at load 30 for
 * 84k files, the size of an allmodconfig out dir), so the make.cross drop-in
 * path (whose no-op rebuild must cost what make costs) measures it only with
 * `KCROSS_DISK_USAGE=1`.
 *
 * @module
 */
import {
  diskUsage,
  everyRecordSymbol,
  gatherHostFacts,
  type HostFacts,
  narrowFacts,
  requirements,
} from "../host/mod.ts";
import { cacheDir } from "../paths.ts";
import type { ReproducerTool } from "../record/reproducer.ts";
import type { HostSection } from "../record/types.ts";
import type { ConfigLookup } from "./_run_finish.ts";
import type { BuildPlan } from "./types.ts";

/** The tool-version cache (`<cache>/host-tools.json`). */
export function hostToolsCache(): string {
  return `${cacheDir()}/host-tools.json`;
}

/**
 * The host facts for every tool a build could record, gathered while make
 * runs (the final `.config`, which says whether rustc and bindgen count, is
 * known only after make; `hostSection` narrows them to it).
 */
export function prefetchHostFacts(path: string): Promise<HostFacts> {
  return gatherHostFacts({
    path,
    config: everyRecordSymbol(),
    cacheFile: hostToolsCache(),
  });
}

/** What `hostSection` needs. */
export interface HostSectionInput {
  plan: BuildPlan;
  /** The PATH make ran with (tools are looked up on it). */
  path: string;
  finalConfig: ConfigLookup;
  /** Measure the out dir with `du` (default: not in make.cross mode). */
  diskUsage?: boolean;
  /** `prefetchHostFacts(path)`, started alongside make (default: gathered here). */
  prefetched?: Promise<HostFacts>;
}

/**
 * Gathers the host section; never throws (a fact that cannot be read is
 * null).
 */
export async function hostSection(
  input: HostSectionInput,
): Promise<HostSection> {
  // Only the symbols that decide which tools are recorded (CONFIG_RUST).
  const config = new Map<string, string>();
  for (const r of requirements()) {
    if (typeof r.record !== "string") continue;
    const v = await input.finalConfig.get(r.record);
    if (v) config.set(r.record, v);
  }
  const measure = input.diskUsage ?? input.plan.mode !== "make.cross";
  const dir = input.plan.outDir ?? input.plan.srcTree;
  const [facts, outDirBytes] = await Promise.all([
    input.prefetched
      ? input.prefetched.then((all) => narrowFacts(all, config))
      : gatherHostFacts({
        path: input.path,
        config,
        cacheFile: hostToolsCache(),
      }),
    measure && input.plan.outDir !== null
      ? diskUsage(dir)
      : Promise.resolve(null),
  ]);
  return { ...facts, outDirBytes };
}

/**
 * The tools `reproducer.sh` checks: each recorded one with a version, asked
 * the way kcross asked it, by command name (the path is this machine's).
 */
export function reproducerTools(host: HostSection | null): ReproducerTool[] {
  if (!host) return [];
  const out: ReproducerTool[] = [];
  for (const r of requirements()) {
    const name = r.commands?.[0];
    if (!name || !r.version) continue;
    const v = host.tools[name]?.version;
    if (v) out.push({ name, argv: [name, ...r.version.args], version: v });
  }
  return out;
}
