/**
 * Finishing a build record: the final `.config`, diagnostics, ccache
 * counters, the reproducer and the last `metadata.json`.
 *
 * @module
 */
import { type ConfigValue, configValue } from "../config/merge_config.ts";
import {
  type ConfigOutcome,
  refreshConfigStamp,
} from "../config/run_config.ts";
import {
  type DiagnosticCollector,
  extractDiagnostics,
} from "../diagnostics/mod.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import { sha256HexAsync, writeJsonAtomic } from "../util/mod.ts";
import { renderReproducer } from "../record/reproducer.ts";
import { makeCrossLines, reproducerSteps } from "./reproducer_steps.ts";
import { writeMetadata } from "../record/store.ts";
import type { RecordMetadata } from "../record/types.ts";
import { ownCpuMs } from "./_timings.ts";
import { hostSection, reproducerTools } from "./_run_host.ts";
import type { HostFacts } from "../host/mod.ts";
import type { BuildPlan } from "./types.ts";

/** The record's `config` section. */
export function configSection(
  plan: BuildPlan,
  config: ConfigOutcome,
): NonNullable<RecordMetadata["config"]> {
  return {
    plan: plan.config,
    inputs: {
      ...config.inputs,
      fragments: config.inputs.fragments.map(({ text: _, ...f }) => f),
    },
    inputsDigest: config.inputsDigest,
    reused: config.reused,
    sha256: config.sha256,
    dropped: config.dropped,
    werror: plan.config?.werror ?? "keep",
    werrorEnabled: config.werrorEnabled,
  };
}

/** Reading a `.config`: its text and single symbols. */
export interface ConfigLookup {
  /** Its text, or null when there is none. */
  text(): Promise<string | null>;
  /** One symbol's value as `parseConfig` gives it (undefined: not mentioned). */
  get(symbol: string): Promise<ConfigValue | undefined>;
}

/** The build dir's `.config` after make, read at most once. */
export interface FinalConfig extends ConfigLookup {
  /** The sha256 of its text (null when there is none), worked out once. */
  sha256(): Promise<string | null>;
  /**
   * A digest worked out earlier (while make ran) for `text`: used if the
   * final text turns out to be the same.
   */
  know(text: string | null, sha256: Promise<string | null>): void;
}

/**
 * A lazy reader of `objDir/.config`: the first call reads it (after make,
 * which may rewrite it), later calls share the text; symbols are looked up
 * one by one (the empty-target check and the record need a handful).
 */
export function finalConfigOf(objDir: string): FinalConfig {
  let text: Promise<string | null> | null = null;
  let digest: Promise<string | null> | null = null;
  let known: { text: string | null; sha256: Promise<string | null> } | null =
    null;
  const read = () =>
    text ??= Deno.readTextFile(`${objDir}/.config`).catch(() => null);
  return {
    text: read,
    get: async (symbol) => configValue((await read()) ?? "", symbol),
    sha256: () =>
      digest ??= read().then((t) =>
        known && known.text === t
          ? known.sha256
          : t === null
          ? null
          : sha256HexAsync(t)
      ),
    know: (t, sha256) => {
      known = { text: t, sha256 };
    },
  };
}

/** What the finishing step needs. */
export interface FinishInput {
  plan: BuildPlan;
  dir: string;
  meta: RecordMetadata;
  config: ConfigOutcome | null;
  files: Set<string>;
  dirty: Promise<boolean | null>;
  /** The final `.config` (default: read from the build dir). */
  finalConfig?: FinalConfig;
  /** The collector fed make's output live (null: read build.log). */
  collector?: DiagnosticCollector | null;
  /** `performance.now()` when finishing began (for `timings.finish`). */
  finishing?: number;
  /** The PATH make ran with: the host tools recorded are looked up on it. */
  path?: string;
  /** Measure the out dir's disk use (default: not on the make.cross path). */
  diskUsage?: boolean;
  /** The host facts gathered while make ran (`prefetchHostFacts`). */
  hostFacts?: Promise<HostFacts>;
}

/**
 * Completes the record in `input.dir` and writes the final metadata.
 *
 * @returns the diagnostics found in `build.log` (empty without one)
 */
export async function finishRecord(input: FinishInput): Promise<Diagnostic[]> {
  const { plan, dir, meta, config, files } = input;
  const objDir = plan.outDir ?? plan.srcTree;
  const final = input.finalConfig ?? finalConfigOf(objDir);
  // In parallel with the rest: a warm tool cache makes it file reads only.
  const t0 = performance.now();
  const host = hostSection({
    plan,
    path: input.path ?? "/usr/bin:/bin",
    finalConfig: final,
    ...(input.diskUsage !== undefined ? { diskUsage: input.diskUsage } : {}),
    ...(input.hostFacts ? { prefetched: input.hostFacts } : {}),
  }).then((h) => {
    meta.timings["finish.host"] = performance.now() - t0;
    return h;
  });
  const finalConfig = await final.text();
  if (finalConfig !== null && config && !config.failed) {
    const digest = final.sha256();
    // Synchronous: the async call's thread hop costs more than the write.
    Deno.writeTextFileSync(`${dir}/config`, finalConfig);
    files.add("config");
    if (meta.toolchain) {
      const text = await final.get("CONFIG_CC_VERSION_TEXT");
      meta.toolchain.ccVersionText = text
        ? text.replace(/^"(.*)"$/, "$1")
        : null;
    }
    const sha256 = (await digest) ?? "";
    await refreshConfigStamp(objDir, config.inputsDigest, {
      text: finalConfig,
      sha256,
    });
    meta.config = configSection(plan, config);
    meta.config.sha256 = sha256;
    meta.config.werrorEnabled = await final.get("CONFIG_WERROR") === "y";
  }
  let diagnostics: Diagnostic[] = [];
  if (files.has("build.log")) {
    const t0 = performance.now();
    diagnostics = input.collector
      ? input.collector.finish()
      : extractDiagnostics(await Deno.readTextFile(`${dir}/build.log`), {
        srcTree: plan.srcTree,
        ...(plan.outDir ? { outDir: plan.outDir } : {}),
      });
    meta.timings["finish.diagnostics"] = performance.now() - t0;
    await writeJsonAtomic(`${dir}/diagnostics.json`, diagnostics);
    files.add("diagnostics.json");
    meta.diagnostics = {
      errors: diagnostics.filter((d) => /error/i.test(d.severity)).length,
      warnings: diagnostics.filter((d) => /warning/i.test(d.severity)).length,
      total: diagnostics.length,
    };
  }
  const steps = reproducerSteps(plan, config?.inputs ?? null);
  const makeCross = makeCrossLines(plan, config?.inputs ?? null);
  meta.reproduce = { steps, makeCross, cwd: plan.cwd, outDir: plan.outDir };
  meta.tree.dirty = await input.dirty;
  meta.host = await host;
  Deno.writeTextFileSync(
    `${dir}/reproducer.sh`,
    renderReproducer({
      id: meta.id,
      commit: meta.tree.commit,
      dirty: meta.tree.dirty,
      kernelVersion: meta.tree.kernelVersion,
      steps,
      makeCross,
      tools: reproducerTools(meta.host),
    }),
    { mode: 0o755 },
  );
  files.add("reproducer.sh");
  meta.finishedAt = new Date().toISOString();
  meta.files = [...files].sort();
  if (input.finishing !== undefined) {
    meta.timings.finish = performance.now() - input.finishing;
  }
  const cpu = ownCpuMs();
  if (meta.timings["cpu.start"] !== undefined && cpu !== null) {
    // A one-build process (the CLI): its CPU so far, make not included.
    meta.timings.cpu = cpu;
  }
  await writeMetadata(dir, meta);
  return diagnostics;
}
