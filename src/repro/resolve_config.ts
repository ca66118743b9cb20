/**
 * Gets the planned config at hand before the build: a robot config URL is
 * downloaded (time-limited, size-capped) into the state dir, cached by URL;
 * when it cannot be fetched (no network, `--offline`, the archive purged
 * it) the named config is regenerated with the robot's policy and that is
 * named as a setup difference. Only a randconfig/lkp config without a file
 * stops here.
 *
 * @module
 */
import type { ConfigSource } from "../build/types.ts";
import { InfraError, InterruptedError, UserError } from "../errors.ts";
import { sha256Hex } from "../util/digest.ts";
import { writeFileAtomic } from "../util/atomic_write.ts";
import { describeConfig, missingConfig } from "./plan_config.ts";
import type { ReproConfig, WerrorChoice } from "./types.ts";
import { pathExists } from "../util/fs.ts";

/** The config the build gets, and what the verdict says of it. */
export interface ResolvedReproConfig {
  source: ConfigSource;
  werror: WerrorChoice;
  /** One line for the verdict (`powerpc-allmodconfig (make allmodconfig, …)`). */
  description: string;
  /** Setup differences found on the way (the URL could not be fetched…). */
  differences: string[];
}

/** How to get a config URL. */
export interface ResolveConfigOptions {
  /** Downloads a config (`fetchConfig` through the context's `fetch`). */
  fetchConfig(url: string, options: { signal: AbortSignal }): Promise<string>;
  /** Directory of downloaded configs (`<state>/repro/configs`). */
  cacheDir: string;
  offline: boolean;
  signal: AbortSignal;
  /** Progress lines. */
  step(line: string): void;
}

/**
 * Turns the planned config into what the build reads.
 *
 * @throws {UserError} `--offline` with an uncached randconfig URL
 * @throws {InfraError} a randconfig URL that cannot be fetched (no fallback)
 * @throws {InterruptedError} when interrupted
 */
export async function resolveReproConfig(
  config: ReproConfig,
  options: ResolveConfigOptions,
): Promise<ResolvedReproConfig> {
  const done = (
    source: ConfigSource,
    c: ReproConfig,
    differences: string[] = [],
  ): ResolvedReproConfig => ({
    source,
    werror: c.werror,
    description: describeConfig(c),
    differences,
  });
  if (config.kind === "target") {
    return done({ kind: "target", target: config.target }, config);
  }
  if (config.kind === "file") {
    return done({ kind: "file", path: config.path }, config);
  }
  const path = `${options.cacheDir}/url-${
    sha256Hex(config.url).slice(0, 16)
  }.config`;
  if (await pathExists(path)) {
    options.step(`config: ${config.url} (downloaded before: ${path})`);
    return done({ kind: "file", path }, config);
  }
  let why: string;
  let cause: unknown = undefined;
  if (options.offline) {
    why = "--offline";
  } else {
    options.step(`config: downloading ${config.url}`);
    try {
      const text = await options.fetchConfig(config.url, {
        signal: options.signal,
      });
      await Deno.mkdir(options.cacheDir, { recursive: true });
      await writeFileAtomic(path, text);
      return done({ kind: "file", path }, config);
    } catch (error) {
      if (error instanceof InterruptedError || options.signal.aborted) {
        throw error;
      }
      if (!(error instanceof InfraError)) throw error;
      why = error.message.replace(/^Cannot fetch config "[^"]*": /, "");
      cause = error;
    }
  }
  const fallback = config.fallback;
  if (fallback === null) {
    const m = missingConfig(config.name ?? config.url, {
      url: config.url,
      attached: false,
      unreachable: true,
    });
    const message = `Cannot fetch config "${config.url}": ${why}`;
    if (options.offline) throw new UserError(message, { hint: m.hint });
    throw new InfraError(message, { cause, hint: m.hint });
  }
  const difference =
    `config URL not fetched (${why}): regenerated ${fallback.name} with make ${fallback.target}${
      fallback.werror.mode === "off"
        ? ` and CONFIG_WERROR off (${fallback.werror.from})`
        : ""
    }, not the robot's file`;
  options.step(`config: ${difference}`);
  return done({ kind: "target", target: fallback.target }, fallback, [
    difference,
  ]);
}
