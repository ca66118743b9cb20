/**
 * Reading the config words of a build request: a `--config` value as a
 * source (URL, file or config target), a `--set` value as a `.config`
 * line, and lines merged over a `.config` (for the triple guess).
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { resolvePath } from "./_host.ts";
import type { ConfigSource } from "./types.ts";

/** Config targets kbuild knows by name. */
const NAMED_TARGET =
  /^(allmodconfig|allyesconfig|allnoconfig|alldefconfig|defconfig|tinyconfig|randconfig|olddefconfig|oldconfig|[\w.-]+_defconfig|[\w.-]+\.config)$/;

/**
 * Classifies a `--config` value: URL, existing file, or config target.
 *
 * @throws {UserError} when it is none of these
 * @example
 * ```ts
 * import { configSourceOf } from "./config_source.ts";
 * if (configSourceOf("allmodconfig", "/").kind !== "target") throw new Error();
 * if (configSourceOf("https://x/config.gz", "/").kind !== "url") throw new Error();
 * ```
 */
export function configSourceOf(value: string, cwd: string): ConfigSource {
  if (/^https?:\/\//.test(value)) return { kind: "url", url: value };
  const path = resolvePath(cwd, value);
  try {
    if (Deno.statSync(path).isFile) return { kind: "file", path };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (NAMED_TARGET.test(value) && !value.includes("/")) {
    return { kind: "target", target: value };
  }
  throw new UserError(`No config file or config target "${value}"`, {
    hint:
      "use a target (allmodconfig, defconfig, <board>_defconfig, randconfig), a .config path or a URL",
  });
}

/**
 * Normalises a `--set` value to a `.config` line.
 *
 * @throws {UserError} on anything but `CONFIG_X=v` or `# CONFIG_X is not set`
 * @example
 * ```ts
 * import { normaliseSet } from "./config_source.ts";
 * if (normaliseSet("WERROR=n") !== "CONFIG_WERROR=n") throw new Error();
 * if (normaliseSet("# CONFIG_VFIO is not set") !== "# CONFIG_VFIO is not set") throw new Error();
 * ```
 */
export function normaliseSet(value: string): string {
  const v = value.trim();
  if (/^# CONFIG_\w+ is not set$/.test(v)) return v;
  const m = /^(?:CONFIG_)?(\w+)=(.*)$/.exec(v);
  if (!m) {
    throw new UserError(`Bad --set value "${value}"`, {
      hint: 'use CONFIG_X=y|m|n|value or "# CONFIG_X is not set"',
    });
  }
  return `CONFIG_${m[1]}=${m[2]}`;
}

/**
 * `.config` text with `lines` merged over it, last one wins per symbol (what
 * merge_config.sh does, before olddefconfig).
 *
 * @example
 * ```ts
 * import { overlayConfig } from "./config_source.ts";
 * const t = overlayConfig("CONFIG_64BIT=y\nCONFIG_A=y\n", ["CONFIG_64BIT=n"]);
 * if (t.includes("CONFIG_64BIT=y") || !t.includes("CONFIG_A=y")) throw new Error(t);
 * ```
 */
export function overlayConfig(base: string, lines: string[]): string {
  const symOf = (l: string) =>
    /^(CONFIG_\w+)=/.exec(l)?.[1] ?? /^# (CONFIG_\w+) is not set/.exec(l)?.[1];
  const over = new Map<string, string>();
  for (const l of lines) {
    const s = symOf(l);
    if (s) over.set(s, /=n$/.test(l) ? `# ${s} is not set` : l);
  }
  const kept = base.split("\n").filter((l) => {
    const s = symOf(l);
    return !s || !over.has(s);
  });
  return [...kept.filter((l) => l !== ""), ...over.values()].join("\n") + "\n";
}
