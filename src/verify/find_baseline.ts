/**
 * The build of the report's commit to compare a fix with: the newest build
 * record of that commit with the same setup (its `verdict.json` names the
 * commit and setup key `repro` and `verify` write), so a `verify` after a
 * `repro` does not build the report's commit again.
 *
 * @module
 */
import type { Diagnostic } from "../diagnostics/types.ts";
import { listRecords, recordPath } from "../record/store.ts";

/** A build record usable as the report's build. */
export interface Baseline {
  id: string;
  recordDir: string;
  diagnostics: Diagnostic[];
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await Deno.readTextFile(path));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound || e instanceof SyntaxError) {
      return null;
    }
    throw e;
  }
}

/**
 * The newest finished build of `commit` with setup `setupKey`, or null.
 * Records whose build could not run, was interrupted or built nothing,
 * and records without a readable `diagnostics.json`, are skipped.
 *
 * @param commit full sha
 * @param setupKey the prepared reproduction's setup key
 */
export async function findBaseline(
  commit: string,
  setupKey: string,
): Promise<Baseline | null> {
  const records = await listRecords();
  for (const meta of records.toReversed()) {
    if (meta.tree?.commit !== commit) continue;
    if (meta.result !== "pass" && meta.result !== "fail") continue;
    const dir = recordPath(meta.id);
    const verdict = await readJson(`${dir}/verdict.json`) as
      | { setupKey?: unknown; commit?: unknown }
      | null;
    if (verdict?.setupKey !== setupKey || verdict.commit !== commit) continue;
    const diagnostics = await readJson(`${dir}/diagnostics.json`);
    if (!Array.isArray(diagnostics)) continue;
    return { id: meta.id, recordDir: dir, diagnostics };
  }
  return null;
}
