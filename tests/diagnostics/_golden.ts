/**
 * Loads the golden logs' expected diagnostics for tests.
 *
 * @module
 */
import type { Diagnostic } from "../../src/diagnostics/mod.ts";

const dir = new URL("../fixtures/logs/", import.meta.url).pathname;

/** The expected diagnostics of golden log `name`. */
export function goldenDiagnostics(name: string): Diagnostic[] {
  const g = JSON.parse(
    Deno.readTextFileSync(`${dir}${name}.expected.json`),
  ) as { diagnostics: Diagnostic[] };
  return g.diagnostics;
}
