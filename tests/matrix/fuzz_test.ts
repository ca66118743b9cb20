import { assertEquals } from "../_support/assert.ts";
import { fuzz, matrixTarget } from "../_support/fuzz.ts";

// Fixed seed: the same few thousand cases every run (tools/fuzz for long runs).
const SEED = 20261203;

Deno.test("fuzz: the matrix loader never throws anything but a UserError, within 5 s of CPU per input", async () => {
  const r = await fuzz(matrixTarget(), { seed: SEED, cases: 2000 });
  assertEquals(
    r.failures.map((f) =>
      `case ${f.index}: ${f.what}\n  input: ${
        JSON.stringify(f.input.slice(0, 300))
      }`
    ),
    [],
  );
  assertEquals(r.cases, 2000 + matrixTarget().edge.length);
});
