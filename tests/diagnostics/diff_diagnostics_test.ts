import {
  type Diagnostic,
  diffDiagnostics,
  formatDiff,
} from "../../src/diagnostics/mod.ts";
import { assertEquals, assertStringIncludes } from "../_support/assert.ts";
import { goldenDiagnostics } from "./_golden.ts";

function d(
  line: number,
  message: string,
  extra: Partial<Diagnostic> = {},
): Diagnostic {
  return {
    tool: "compiler",
    file: "drivers/a.c",
    line,
    column: 5,
    severity: "warning",
    message,
    flag: null,
    count: 1,
    objects: [],
    ...extra,
  };
}

Deno.test("diffDiagnostics(): added, fixed and unchanged by exact identity", () => {
  const base = [d(1, "a"), d(2, "b")];
  const cur = [d(2, "b"), d(3, "c")];
  const r = diffDiagnostics(base, cur);
  assertEquals(r.added, [d(3, "c")]);
  assertEquals(r.fixed, [d(1, "a")]);
  assertEquals(r.unchanged, [d(2, "b")]);
  assertEquals(r.moved, []);
  assertEquals(r.current, cur);
});

Deno.test("diffDiagnostics(): the same message at another line is unchanged and moved", () => {
  const r = diffDiagnostics([d(10, "a"), d(20, "a")], [d(12, "a"), d(31, "a")]);
  assertEquals(r.added, []);
  assertEquals(r.fixed, []);
  assertEquals(r.moved.map((m) => [m.base.line, m.current.line, m.by]), [
    [10, 12, 2],
    [20, 31, 11],
  ]);
});

Deno.test("diffDiagnostics(): an exact match is not stolen by a moved one", () => {
  const r = diffDiagnostics([d(5, "a")], [d(4, "a"), d(5, "a")]);
  assertEquals(r.unchanged, [d(5, "a")]);
  assertEquals(r.added, [d(4, "a")]);
});

Deno.test("diffDiagnostics(): other paths and quotes compare after normalisation", () => {
  const r = diffDiagnostics(
    [d(1, "unused \u2018x\u2019", { file: "./drivers/a.c" })],
    [d(1, "unused 'x'", { file: "drivers/a.c" })],
  );
  assertEquals([r.added.length, r.fixed.length, r.unchanged.length], [0, 0, 1]);
});

Deno.test("the seed's collision is new against the pristine build; hwirq is unchanged", () => {
  const base = goldenDiagnostics("gcc12-powerpc-vfio-outoftree");
  const cur = goldenDiagnostics("gcc12-powerpc-vfio-seed-intree");
  const r = diffDiagnostics(base, cur);
  assertEquals(r.fixed, []);
  assertEquals(r.unchanged.map((x) => x.file), [
    "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
  ]);
  assertEquals(r.added.length, cur.length - 1);
  const text = formatDiff(r).join("\n");
  assertStringIncludes(
    text,
    "\n>> include/uapi/linux/vfio.h:984:32: error: expected identifier before '(' token\n",
  );
  assertStringIncludes(
    text,
    "\n   drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c:112:18: error: variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
  );
});

Deno.test("formatDiff() lists fixed ones under their own heading", () => {
  const lines = formatDiff(diffDiagnostics([d(1, "gone")], []));
  assertEquals(lines, [
    "No errors or warnings.",
    "",
    "Fixed (in the base build only):",
    "",
    "   drivers/a.c:1:5: warning: gone",
  ]);
});
