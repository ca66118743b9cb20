/**
 * Carries out a `ConfigPlan`: base config (named target, file, URL or the
 * build dir's own), fragments and overrides merged merge_config.sh style,
 * `olddefconfig`, then the check that every requested symbol survived.
 * A digest of the inputs is kept next to `.config` so an unchanged request
 * reuses the build dir and a changed one reconfigures it.
 *
 * @module
 */
import type { ConfigPlan } from "./config_plan.ts";
import { InterruptedError, UserError } from "../errors.ts";
import { sha256Hex, writeJsonAtomic } from "../util/mod.ts";
import { fetchConfig } from "./fetch_config.ts";
import { type ResolvedFragment, resolveFragment } from "./fragment_source.ts";
import { refuseShellValues } from "./shell_values.ts";
import {
  explainDropped,
  readKconfigDefinitions,
  srcArchOf,
} from "./kconfig_deps.ts";
import {
  type DroppedSymbol,
  findDropped,
  formatAssignment,
  type Fragment,
  mergeConfig,
  parseConfig,
  parseSet,
  requestedValues,
} from "./merge_config.ts";

/** The file next to `.config` that remembers which inputs produced it. */
export const CONFIG_STAMP = ".kcross-config.json";

/** What the config phase needs from the runner. */
export interface RunConfigContext {
  /** Absolute kernel source tree. */
  srcTree: string;
  /** Directory holding `.config` (the O= dir, or the source tree). */
  objDir: string;
  /** make's ARCH. */
  arch: string;
  /** Directory relative fragment/file paths are resolved against. */
  cwd: string;
  /** Runs make with the plan's variables and `goals`; resolves to its exit code. */
  make(goals: string[], env?: Record<string, string>): Promise<number>;
  /** Words whose change must force a reconfigure (toolchain, make variables). */
  digestExtra: string[];
  /** Messages for the user and the log. */
  note?: (line: string) => void;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  /** Where fragments downloaded from URLs are cached (absent: not cached). */
  fragmentCache?: string;
  /** Milliseconds for a fragment download's answer and each chunk. */
  fetchTimeoutMs?: number;
}

/** The config inputs as recorded (plain data, no file contents). */
export interface ConfigInputs {
  source:
    | { kind: "target"; target: string; seed: string | null }
    | { kind: "file"; path: string; sha256: string }
    | { kind: "url"; url: string }
    | { kind: "existing"; sha256: string | null };
  /** Each fragment as resolved: its form, digest and text. */
  fragments: ResolvedFragment[];
  sets: string[];
  werror: "keep" | "off";
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

interface Stamp {
  digest: string;
  sha256: string;
  dropped: DroppedSymbol[];
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
    const text = await readOptional(dotConfig);
    const final = parseConfig(text ?? "");
    const sha = text === null ? null : sha256Hex(text);
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
      werrorEnabled: final.get("CONFIG_WERROR") === "y",
      fetchMs: 0,
      configMs: 0,
      failed: null,
    };
  }
  const inputs = await resolveInputs(plan, ctx);
  const existingText = inputs.source.kind === "existing"
    ? await readOptional(dotConfig)
    : null;
  if (inputs.source.kind === "existing") {
    if (existingText === null) {
      throw new UserError(`No .config in "${ctx.objDir}" to build on`, {
        hint: "give a config (--config allmodconfig, a file or a URL)",
      });
    }
  }
  const inputsDigest = digestOf(inputs, ctx);
  const stamp = await readStamp(ctx.objDir);
  const current = await readOptional(dotConfig);
  if (
    stamp && stamp.digest === inputsDigest && current !== null &&
    sha256Hex(current) === stamp.sha256
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
  const sha = sha256Hex(finalText);
  await writeJsonAtomic(
    `${ctx.objDir}/${CONFIG_STAMP}`,
    {
      digest: inputsDigest,
      sha256: sha,
      dropped,
    } satisfies Stamp,
  );
  return outcome(false, finalText, dropped, fetchMs);

  function outcome(
    reused: boolean,
    text: string,
    dropped: DroppedSymbol[],
    fetchMs: number,
  ): ConfigOutcome {
    return {
      reused,
      inputs,
      inputsDigest,
      sha256: sha256Hex(text),
      dropped,
      werrorEnabled: parseConfig(text).get("CONFIG_WERROR") === "y",
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

/**
 * Records that the `.config` now in `objDir` still belongs to `digest` (make
 * may rewrite it during the build through syncconfig).
 */
export async function refreshConfigStamp(
  objDir: string,
  digest: string,
): Promise<void> {
  const stamp = await readStamp(objDir);
  if (!stamp || stamp.digest !== digest) return;
  const text = await readOptional(`${objDir}/.config`);
  if (text === null) return;
  const sha = sha256Hex(text);
  if (sha === stamp.sha256) return;
  await writeJsonAtomic(`${objDir}/${CONFIG_STAMP}`, { ...stamp, sha256: sha });
}

function show(v: string | null): string {
  return v === null ? "n" : v;
}

function checkAbort(ctx: RunConfigContext): void {
  if (ctx.signal?.aborted) throw new InterruptedError("Interrupted");
}

function resolvePath(cwd: string, path: string): string {
  return path.startsWith("/") ? path : `${cwd}/${path}`;
}

async function readOptional(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

async function readRequired(path: string, what: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`Cannot read ${what} "${path}": no such file`);
    }
    throw error;
  }
}

async function readStamp(objDir: string): Promise<Stamp | null> {
  const text = await readOptional(`${objDir}/${CONFIG_STAMP}`);
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<Stamp>;
    if (typeof v.digest !== "string" || typeof v.sha256 !== "string") {
      return null;
    }
    return { digest: v.digest, sha256: v.sha256, dropped: v.dropped ?? [] };
  } catch {
    return null;
  }
}

/**
 * Refuses values make would evaluate unless the plan trusts them (then the
 * passed symbols are noted in the log).
 *
 * @throws {UserError}
 */
function checkValues(
  text: string,
  origin: string,
  plan: ConfigPlan,
  ctx: RunConfigContext,
): void {
  const trusted = refuseShellValues(text, origin, {
    trust: plan.trustValues === true,
  });
  if (trusted.length) {
    ctx.note?.(
      `kcross: config values make will evaluate passed unchecked (--trust-make-line): ${
        trusted.join(" ")
      } in ${origin}`,
    );
  }
}

async function resolveInputs(
  plan: ConfigPlan,
  ctx: RunConfigContext,
): Promise<ConfigInputs> {
  let source: ConfigInputs["source"];
  const s = plan.source;
  switch (s.kind) {
    case "target": {
      const seed = s.target === "randconfig"
        ? s.seed ?? `0x${
          crypto.getRandomValues(new Uint32Array(1))[0]!
            .toString(16)
        }`
        : null;
      source = { kind: "target", target: s.target, seed };
      break;
    }
    case "file": {
      const text = await readRequired(resolvePath(ctx.cwd, s.path), "config");
      checkValues(text, `the config "${s.path}"`, plan, ctx);
      source = { kind: "file", path: s.path, sha256: sha256Hex(text) };
      break;
    }
    case "url":
      source = { kind: "url", url: s.url };
      break;
    case "existing": {
      const text = await readOptional(`${ctx.objDir}/.config`);
      source = {
        kind: "existing",
        sha256: text === null ? null : sha256Hex(text),
      };
      break;
    }
  }
  const fragments: ResolvedFragment[] = [];
  for (const word of plan.fragments) {
    const f = await resolveFragment(word, {
      cwd: ctx.cwd,
      srcTree: ctx.srcTree,
      arch: ctx.arch,
      ...(ctx.fragmentCache ? { cacheDir: ctx.fragmentCache } : {}),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      ...(ctx.fetchTimeoutMs ? { timeoutMs: ctx.fetchTimeoutMs } : {}),
      ...(plan.trustValues ? { trustValues: true } : {}),
    });
    if (f) fragments.push(f);
  }
  const sets = plan.sets.map((w) => formatAssignment(parseSet(w)));
  for (const [i, line] of sets.entries()) {
    checkValues(line, `override "${plan.sets[i]}"`, plan, ctx);
  }
  if (plan.werror === "off") sets.push("# CONFIG_WERROR is not set");
  return { source, fragments, sets, werror: plan.werror };
}

function digestOf(inputs: ConfigInputs, ctx: RunConfigContext): string {
  const source = inputs.source.kind === "existing"
    ? { kind: "existing" } // the .config itself is checked against the stamp
    : inputs.source;
  return sha256Hex(JSON.stringify({
    v: 1,
    arch: ctx.arch,
    source,
    // A make: fragment is merged by make (then olddefconfig), not by kcross.
    fragments: inputs.fragments.map((f) =>
      f.kind === "make" ? `make:${f.sha256}` : f.sha256
    ),
    sets: inputs.sets,
    extra: ctx.digestExtra,
  }));
}
