/**
 * The config phase's inputs, resolved: the base config (a named target with
 * its randconfig seed, a file's digest, a URL, or the build dir's own), each
 * fragment read and checked, the overrides, and the digest of all of it that
 * decides whether a build dir's `.config` can be reused.
 *
 * @module
 */
import type { ConfigPlan } from "./config_plan.ts";
import { UserError } from "../errors.ts";
import { readTextOrNull } from "../util/fs.ts";
import { sha256Hex, sha256HexAsync } from "../util/mod.ts";
import { type ResolvedFragment, resolveFragment } from "./fragment_source.ts";
import { refuseShellValues } from "./shell_values.ts";
import { formatAssignment, parseSet } from "./merge_config.ts";

/** Where the config inputs are read from, and what else goes into their digest. */
export interface ConfigInputsContext {
  /** Absolute kernel source tree. */
  srcTree: string;
  /** Directory holding `.config` (the O= dir, or the source tree). */
  objDir: string;
  /** make's ARCH. */
  arch: string;
  /** Directory relative fragment/file paths are resolved against. */
  cwd: string;
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
  /**
   * Config and fragment URLs may reach loopback and private addresses
   * (default: `KCROSS_ALLOW_PRIVATE_URLS=1` in the environment).
   */
  allowPrivateUrls?: boolean;
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

/** `path` against `cwd` unless it is absolute. */
export function resolvePath(cwd: string, path: string): string {
  return path.startsWith("/") ? path : `${cwd}/${path}`;
}

/** A file the request names: its text. @throws {UserError} when it is not there */
async function readRequired(
  path: string,
  what: string,
): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`Cannot read ${what} "${path}": no such file`);
    }
    throw error;
  }
}

/**
 * Refuses values make would evaluate unless the plan trusts them (then the
 * passed symbols are noted in the log).
 *
 * @throws {UserError}
 */
export function checkValues(
  text: string,
  origin: string,
  plan: ConfigPlan,
  ctx: ConfigInputsContext,
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

/**
 * Reads and checks what `plan` names (files, fragments, overrides).
 *
 * @throws {UserError} a missing file or fragment, a bad override, a value make would evaluate
 */
export async function resolveInputs(
  plan: ConfigPlan,
  ctx: ConfigInputsContext,
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
      source = {
        kind: "file",
        path: s.path,
        sha256: await sha256HexAsync(text),
      };
      break;
    }
    case "url":
      source = { kind: "url", url: s.url };
      break;
    case "existing": {
      const text = await readTextOrNull(`${ctx.objDir}/.config`);
      source = {
        kind: "existing",
        sha256: text === null ? null : await sha256HexAsync(text),
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
      ...(ctx.allowPrivateUrls === undefined
        ? {}
        : { allowPrivateUrls: ctx.allowPrivateUrls }),
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

/** The digest of the inputs (and `ctx.digestExtra`) that a reused `.config` must match. */
export function inputsDigest(
  inputs: ConfigInputs,
  ctx: ConfigInputsContext,
): string {
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
