/**
 * Writes a run's summary files: summary.json, summary.md, junit.xml,
 * summary.html (each atomically).
 *
 * @module
 */
import { renderHtml } from "./html.ts";
import { readCellRecords, type RunManifest, writeAtomic } from "./run_store.ts";
import {
  buildSummary,
  renderJunit,
  renderMarkdown,
  type RunSummary,
} from "./summary.ts";

/** Builds and writes the summaries of the run in `runDir`; returns the summary. */
export async function writeSummaries(
  runDir: string,
  manifest: RunManifest,
): Promise<RunSummary> {
  const summary = buildSummary(manifest, await readCellRecords(runDir));
  await writeAtomic(
    `${runDir}/summary.json`,
    JSON.stringify(summary, null, 2) + "\n",
  );
  await writeAtomic(`${runDir}/summary.md`, renderMarkdown(summary));
  await writeAtomic(`${runDir}/junit.xml`, renderJunit(summary));
  await writeAtomic(`${runDir}/summary.html`, renderHtml(summary));
  return summary;
}
