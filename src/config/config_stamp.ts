/**
 * The stamp next to `.config` (`.kcross-config.json`): which inputs digest
 * produced it, the `.config`'s own sha256 and the symbols it dropped, so an
 * unchanged request reuses the build dir and a changed one reconfigures it.
 *
 * @module
 */
import { readTextOrNull } from "../util/fs.ts";
import { sha256HexAsync, writeJsonAtomic } from "../util/mod.ts";
import type { DroppedSymbol } from "./merge_config.ts";

/** The file next to `.config` that remembers which inputs produced it. */
export const CONFIG_STAMP = ".kcross-config.json";

/** What the stamp holds. */
export interface ConfigStamp {
  digest: string;
  sha256: string;
  dropped: DroppedSymbol[];
}

/** The stamp in `objDir`, or null when there is none or it is not one. */
export async function readConfigStamp(
  objDir: string,
): Promise<ConfigStamp | null> {
  const text = await readTextOrNull(`${objDir}/${CONFIG_STAMP}`);
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as Partial<ConfigStamp>;
    if (typeof v.digest !== "string" || typeof v.sha256 !== "string") {
      return null;
    }
    return { digest: v.digest, sha256: v.sha256, dropped: v.dropped ?? [] };
  } catch {
    return null;
  }
}

/** Writes the stamp for the `.config` now in `objDir` (atomically). */
export async function writeConfigStamp(
  objDir: string,
  stamp: ConfigStamp,
): Promise<void> {
  await writeJsonAtomic(`${objDir}/${CONFIG_STAMP}`, stamp);
}

/**
 * Records that the `.config` now in `objDir` still belongs to `digest` (make
 * may rewrite it during the build through syncconfig).
 *
 * @param current the `.config` text and its sha256 when the caller has them
 *   (read and hashed here otherwise)
 */
export async function refreshConfigStamp(
  objDir: string,
  digest: string,
  current?: { text: string; sha256: string },
): Promise<void> {
  const stamp = await readConfigStamp(objDir);
  if (!stamp || stamp.digest !== digest) return;
  const text = current?.text ?? await readTextOrNull(`${objDir}/.config`);
  if (text === null) return;
  const sha = current?.sha256 ?? await sha256HexAsync(text);
  if (sha === stamp.sha256) return;
  await writeConfigStamp(objDir, { ...stamp, sha256: sha });
}
