/**
 * Carries out a `ConfigPlan`: base config (named target, file, URL or the
 * build dir's own), fragments and overrides merged merge_config.sh style,
 * `olddefconfig`, then the check that every requested symbol survived.
 * A digest of the inputs is kept next to `.config` (`config_stamp.ts`) so an
 * unchanged request reuses the build dir and a changed one reconfigures it;
 * the inputs are read and checked in `config_inputs.ts`.
 *
 * @module
 */
import type { ConfigPlan } from "./config_plan.ts";
import { InterruptedError, UserError } from "../errors.ts";
import { readTextOrNull } from "../util/fs.ts";
import { sha256HexAsync } from "../util/mod.ts";
import { fetchConfig } from "./fetch_config.ts";
import {
  checkValues,
  type ConfigInputs,
  type ConfigInputsContext,
  inputsDigest as digestOf,
  resolveInputs,
  resolvePath,
} from "./config_inputs.ts";
import { readConfigStamp, writeConfigStamp } from "./config_stamp.ts";
import {
  explainDropped,
  readKconfigDefinitions,
  srcArchOf,
} from "./kconfig_deps.ts";
import {
  configValue,
  type DroppedSymbol,
  findDropped,
  type Fragment,
  mergeConfig,
  parseConfig,
  requestedValues,
} from "./merge_config.ts";

export { CONFIG_STAMP, refreshConfigStamp } from "./config_stamp.ts";
export type { ConfigInputs } from "./config_inputs.ts";

/** What the config phase needs from the runner. */
export interface RunConfigContext extends ConfigInputsContext {
  /** Runs make with the plan's variables and `goals`; resolves to its exit code. */
  make(goals: string[], env?: Record<string, string>): Promise<number>;
}

/** How the config phase went. */
export interface ConfigOutcome {
  /** True when the build dir's `.config` already matched the inputs. */
  reused: boolean;
  inputs: ConfigInputs;
  inputsDigest: string;
  /** sha256 of `.config` after the phase (null when there is none). */
  sha256: string | null;
  dropped: DroppedSymbol[];
  /** Whether the final `.config` has CONFIG_WERROR=y. */
  werrorEnabled: boolean;
  /** Milliseconds spent downloading and configuring. */
  fetchMs: number;
  configMs: number;
  /** Set when a make config step failed: which and its exit code. */
  failed: { goal: string; code: number } | null;
}

/**
 * Runs the config phase.
 *
 * @param plan the config steps (null: use the build dir's `.config` as is)
 * @param ctx where and how to run make
 * @throws {UserError} a missing file or fragment, a bad override, no `.config` to reuse
 * @throws {InfraError} a config download failure
 * @throws {InterruptedError} when `ctx.signal` is aborted
 */
export async function runConfig(
  plan: ConfigPlan | null,
  ctx: RunConfigContext,
): Promise<ConfigOutcome> {
  const dotConfig = `${ctx.objDir}/.config`;
  const started = performance.now();
  if (plan === null) {
    const text = await readTextOrNull(dotConfig);
    const sha = text === null ? null : await sha256HexAsync(text);
    return {
      reused: true,
      inputs: {
        source: { kind: "existing", sha256: sha },
        fragments: [],
        sets: [],
        werror: "keep",
      },
      inputsDigest: sha ?? "",
      sha256: sha,
      dropped: [],
      werrorEnabled: configValue(text ?? "", "CONFIG_WERROR") === "y",
      fetchMs: 0,
      configMs: 0,
      failed: null,
    };
  }
  const inputs = await resolveInputs(plan, ctx);
  const existingText = inputs.source.kind === "existing"
    ? await readTextOrNull(dotConfig)
    : null;
  if (inputs.source.kind === "existing") {
    if (existingText === null) {
      throw new UserError(`No .config in "${ctx.objDir}" to build on`, {
        hint: "give a config (--config allmodconfig, a file or a URL)",
      });
    }
  }
  const inputsDigest = digestOf(inputs, ctx);
  const stamp = await readConfigStamp(ctx.objDir);
  const current = await readTextOrNull(dotConfig);
  if (
    stamp && stamp.digest === inputsDigest && current !== null &&
    await sha256HexAsync(current) === stamp.sha256
  ) {
    ctx.note?.(`kcross: reusing ${dotConfig} (inputs unchanged)`);
    return outcome(true, current, stamp.dropped, 0);
  }
  if (stamp || current !== null) {
    if (inputs.source.kind !== "existing") {
      ctx.note?.(`kcross: reconfiguring ${ctx.objDir} (config inputs changed)`);
    }
  }
  await Deno.mkdir(ctx.objDir, { recursive: true });

  let fetchMs = 0;
  const src = inputs.source;
  switch (src.kind) {
    case "target": {
      const env = src.seed === null ? undefined : { KCONFIG_SEED: src.seed };
      const code = await ctx.make([src.target], env);
      checkAbort(ctx);
      if (code !== 0) return failedOutcome(src.target, code);
      break;
    }
    case "file": {
      const from = resolvePath(ctx.cwd, src.path);
      // Copying a file onto itself would truncate it.
      const same = await Deno.realPath(dotConfig).then(
        async (d) => d === await Deno.realPath(from),
        () => false,
      );
      if (!same) await Deno.copyFile(from, dotConfig);
      break;
    }
    case "url": {
      const t0 = performance.now();
      const text = await fetchConfig(src.url, {
        ...(ctx.signal ? { signal: ctx.signal } : {}),
        ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
        ...(ctx.allowPrivateUrls === undefined
          ? {}
          : { allowPrivate: ctx.allowPrivateUrls }),
      });
      fetchMs = performance.now() - t0;
      checkValues(text, `the config from "${src.url}"`, plan, ctx);
      await Deno.writeTextFile(dotConfig, text);
      break;
    }
    case "existing":
      await Deno.writeTextFile(dotConfig, existingText!);
      break;
  }

  const fragments: Fragment[] = inputs.fragments.map((f) => ({
    name: f.path,
    text: f.text,
  }));
  if (inputs.sets.length) {
    fragments.push({ name: "--set", text: inputs.sets.join("\n") + "\n" });
  }
  // merge_config.sh style, in order; a make: fragment is merged by the
  // tree's own Makefile (which runs olddefconfig after it).
  let pending: Fragment[] = [];
  let settled = src.kind === "target";
  const merge = async (list: Fragment[]) => {
    const merged = mergeConfig(await Deno.readTextFile(dotConfig), list);
    for (const n of merged.notes) {
      ctx.note?.(
        `kcross: ${n.from}: ${n.symbol} ${show(n.previous)} -> ${
          show(n.value)
        }`,
      );
    }
    return merged.text;
  };
  for (const [i, f] of fragments.entries()) {
    const target = inputs.fragments[i]?.target;
    if (target === undefined) {
      pending.push(f);
      settled = false;
      continue;
    }
    if (pending.length) {
      await Deno.writeTextFile(dotConfig, await merge(pending));
    }
    pending = [];
    await merge([f]); // the notes only: make merges it
    const code = await ctx.make([target]);
    checkAbort(ctx);
    if (code !== 0) return failedOutcome(target, code);
    settled = true;
  }
  if (pending.length) await Deno.writeTextFile(dotConfig, await merge(pending));
  if (!settled) {
    const code = await ctx.make(["olddefconfig"]);
    checkAbort(ctx);
    if (code !== 0) return failedOutcome("olddefconfig", code);
  }
  const finalText = await Deno.readTextFile(dotConfig);
  const final = parseConfig(finalText);
  const dropped = findDropped(requestedValues(fragments), final);
  if (dropped.length) {
    const defs = await readKconfigDefinitions(
      ctx.srcTree,
      srcArchOf(ctx.arch),
      new Set(dropped.map((d) => d.symbol.replace(/^CONFIG_/, ""))),
    );
    for (const d of dropped) {
      d.reason = explainDropped(
        d.symbol,
        d.requested,
        defs.get(d.symbol.replace(/^CONFIG_/, "")),
        final,
      );
      ctx.note?.(
        `kcross: warning: ${d.symbol} requested ${show(d.requested)} but ` +
          `.config has ${show(d.actual)}${d.reason ? `: ${d.reason}` : ""}`,
      );
    }
  }
  const sha = await sha256HexAsync(finalText);
  await writeConfigStamp(ctx.objDir, {
    digest: inputsDigest,
    sha256: sha,
    dropped,
  });
  return outcome(false, finalText, dropped, fetchMs);

  async function outcome(
    reused: boolean,
    text: string,
    dropped: DroppedSymbol[],
    fetchMs: number,
  ): Promise<ConfigOutcome> {
    return {
      reused,
      inputs,
      inputsDigest,
      sha256: await sha256HexAsync(text),
      dropped,
      werrorEnabled: configValue(text, "CONFIG_WERROR") === "y",
      fetchMs,
      configMs: performance.now() - started - fetchMs,
      failed: null,
    };
  }
  function failedOutcome(goal: string, code: number): ConfigOutcome {
    return {
      reused: false,
      inputs,
      inputsDigest,
      sha256: null,
      dropped: [],
      werrorEnabled: false,
      fetchMs,
      configMs: performance.now() - started - fetchMs,
      failed: { goal, code },
    };
  }
}
function show(v: string | null): string {
  return v === null ? "n" : v;
}

function checkAbort(ctx: RunConfigContext): void {
  if (ctx.signal?.aborted) throw new InterruptedError("Interrupted");
}
