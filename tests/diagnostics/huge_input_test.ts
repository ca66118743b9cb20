import { assert, assertEquals } from "../_support/assert.ts";
import { formatDiff } from "../../src/diagnostics/format_robot.ts";
import type { Diagnostic } from "../../src/diagnostics/types.ts";
import type { DiagnosticDiff } from "../../src/diagnostics/diff_diagnostics.ts";
import { mergeConfig } from "../../src/config/merge_config.ts";

// Input-sized arrays are never spread into push(): 2·10^5 arguments
// overflow the call stack (RangeError) where a loop does not.
const N = 200_000;

Deno.test("formatDiff() of 200k diagnostics (a hostile or huge build log) does not overflow the stack", () => {
  const current = Array.from({ length: N }, (_, i) => ({
    file: `drivers/x/f${i}.c`,
    line: i + 1,
    column: 1,
    severity: "warning",
    message: "m",
  })) as unknown as Diagnostic[];
  const diff = {
    added: [],
    fixed: current,
    unchanged: current,
    moved: [],
    current,
  } as unknown as DiagnosticDiff;
  const lines = formatDiff(diff);
  assert(lines.length > 2 * N, `${lines.length}`);
});

Deno.test("mergeConfig() takes a 200k-line fragment", () => {
  const text = Array.from({ length: N }, (_, i) => `CONFIG_X${i}=y`).join("\n");
  const m = mergeConfig("CONFIG_A=y\n", [{ name: "f", text }]);
  assertEquals(m.text.split("\n").length, N + 2);
});
