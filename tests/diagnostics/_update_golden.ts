/**
 * Regenerates `tests/fixtures/logs/NAME.expected.json` from NAME.log with
 * the current extractor, keeping each file's recorded inputs (`command`,
 * `srcTree`, `outDir`). Run after a reviewed change to extraction:
 * `deno run -A tests/diagnostics/_update_golden.ts [NAME…]`, then read the
 * diff before committing.
 *
 * @module
 */
import { extractDiagnostics } from "../../src/diagnostics/mod.ts";

const dir = new URL("../fixtures/logs/", import.meta.url).pathname;

/** The recorded capture of one golden log. */
export interface GoldenLog {
  /** How the log was produced (documentation only). */
  command: string;
  /** The tree and build dir of the capture, as extraction options. */
  srcTree: string;
  outDir: string;
  diagnostics: unknown[];
}

if (import.meta.main) {
  const names = Deno.args.length > 0 ? Deno.args : [...Deno.readDirSync(dir)]
    .filter((e) => e.name.endsWith(".expected.json"))
    .map((e) => e.name.replace(/\.expected\.json$/, ""));
  for (const name of names) {
    const path = `${dir}${name}.expected.json`;
    const golden = JSON.parse(Deno.readTextFileSync(path)) as GoldenLog;
    const log = Deno.readTextFileSync(`${dir}${name}.log`);
    golden.diagnostics = extractDiagnostics(log, {
      srcTree: golden.srcTree,
      outDir: golden.outDir,
    });
    Deno.writeTextFileSync(path, `${JSON.stringify(golden, null, 2)}\n`);
    Deno.stdout.writeSync(
      new TextEncoder().encode(`${name}: ${golden.diagnostics.length}\n`),
    );
  }
}
