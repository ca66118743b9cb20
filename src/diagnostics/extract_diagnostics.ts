/**
 * One-shot and streaming diagnostic extraction from kernel build logs.
 *
 * @module
 */
import type { Diagnostic, ExtractOptions } from "./types.ts";
import { DiagnosticCollector } from "./diagnostic_collector.ts";

/**
 * Extracts every diagnostic from a build log: compiler (gcc, clang), linker,
 * modpost, objtool, sparse, kernel-doc, assembler and make errors, with
 * paths relative to the source tree, deduplicated across translation units
 * (`count`, `objects`), in order of first appearance.
 *
 * @param log The raw build output (stdout and stderr interleaved).
 * @param options Where the tree and build dir were; both guessed from the
 *   log when absent.
 * @returns The diagnostics, deduplicated.
 *
 * @example
 * ```ts
 * import { extractDiagnostics } from "./extract_diagnostics.ts";
 * const log = [
 *   "  CC [M]  drivers/vfio/fsl-mc/vfio_fsl_mc_intr.o",
 *   "/k/drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c:112:18: error: variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
 *   "  112 |         int ret, hwirq;",
 *   "cc1: all warnings being treated as errors",
 * ].join("\n");
 * const [d, ...rest] = extractDiagnostics(log, { srcTree: "/k" });
 * if (rest.length !== 0 || d?.file !== "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c") throw new Error();
 * if (d.flag !== "-Werror=unused-but-set-variable" || d.column !== 18) throw new Error();
 * ```
 */
export function extractDiagnostics(
  log: string,
  options: ExtractOptions = {},
): Diagnostic[] {
  const c = new DiagnosticCollector(options);
  const rest = c.scan(log);
  if (rest < log.length) c.pushLine(log.slice(rest));
  return c.finish();
}

/**
 * Extracts diagnostics from a stream of lines (the runner's live output)
 * or text chunks; resolves when the stream ends.
 *
 * @param source Lines without newlines (`kind: "lines"`, the default) or
 *   arbitrary text chunks (`kind: "text"`).
 */
export async function extractDiagnosticsFromStream(
  source: AsyncIterable<string> | Iterable<string>,
  options: ExtractOptions & { kind?: "lines" | "text" } = {},
): Promise<Diagnostic[]> {
  const c = new DiagnosticCollector(options);
  const text = options.kind === "text";
  for await (const part of source) {
    if (text) c.pushText(part);
    else c.pushLine(part);
  }
  return c.finish();
}
