/**
 * `kcross doctor --config FILE [WORD…]`: which host tools this one build
 * needs (its `.config`, make words such as `C=1`, targets) and which of them
 * the host lacks.
 *
 * @module
 */
import {
  type BuildShape,
  type NeededRequirement,
  neededRequirements,
  parseDotConfig,
  requirements,
} from "../host/mod.ts";
import { UserError } from "../errors.ts";
import { checkHost, type Finding, type HostProbe, realHost } from "./mod.ts";

/** A needed requirement and whether the host has it. */
export interface ConfigFinding extends Finding {
  because: string;
}

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Reads `.config` text (capped) with a one-line error for a bad path. */
export async function readConfigFile(path: string): Promise<string> {
  let st: Deno.FileInfo;
  try {
    st = await Deno.stat(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw new UserError(`No such config file "${path}"`, {
        hint: "pass the build's .config, e.g. --config build_dir/.config",
      });
    }
    throw new UserError(`Cannot read config file "${path}"`, { cause: e });
  }
  if (!st.isFile) throw new UserError(`Not a file: "${path}"`);
  if (st.size > MAX_CONFIG_BYTES) {
    throw new UserError(
      `Config file "${path}" is too large (${st.size} bytes)`,
      {
        hint: "a kernel .config is well under 1 MB",
      },
    );
  }
  return await Deno.readTextFile(path);
}

/**
 * Splits the words after `--config FILE` into make words (`W=1`, `C=1`,
 * `LLVM=1`) and targets.
 *
 * @example
 * ```ts
 * import { shapeFromWords } from "./for_config.ts";
 * const s = shapeFromWords(new Map(), ["C=1", "dtbs_check"]);
 * if (s.makeWords?.join() !== "C=1" || s.targets?.join() !== "dtbs_check") throw new Error();
 * ```
 */
export function shapeFromWords(
  config: ReadonlyMap<string, string>,
  words: readonly string[],
): BuildShape {
  return {
    config,
    makeWords: words.filter((w) => w.includes("=") || w.startsWith("--")),
    targets: words.filter((w) => !w.includes("=") && !w.startsWith("-")),
  };
}

/** The needed requirements for `shape`, each checked against the host. */
export function checkForShape(
  shape: BuildShape,
  host: HostProbe = realHost(),
): ConfigFinding[] {
  const needed: NeededRequirement[] = neededRequirements(
    requirements(),
    shape,
  );
  const findings = checkHost(host, needed.map((n) => n.requirement));
  return findings.map((f, i) => ({ ...f, because: needed[i]!.because }));
}

/** Reads `path` and checks what that config needs. */
export async function checkForConfig(
  path: string,
  words: readonly string[],
  host?: HostProbe,
): Promise<ConfigFinding[]> {
  const config = parseDotConfig(await readConfigFile(path));
  return checkForShape(shapeFromWords(config, words), host);
}

export { parseDotConfig };
