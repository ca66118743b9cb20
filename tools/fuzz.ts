// deno-lint-ignore-file no-console -- a command-line tool prints its findings
/**
 * Long fuzz runs of the report parser and the matrix loader:
 *
 *   tools/fuzz [--cases N] [--seed N] [--target report|matrix|all] [--max-ms MS]
 *
 * Prints each failure (what, case index, where the input was saved) and
 * exits 1 when there was one. The CI run is tests/report/fuzz_test.ts.
 *
 * @module
 */
import {
  fuzz,
  type FuzzTarget,
  matrixTarget,
  reportTarget,
} from "../tests/_support/fuzz.ts";

function arg(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < Deno.args.length ? Deno.args[i + 1]! : fallback;
}

const cases = Number(arg("cases", "100000"));
const seed = Number(arg("seed", String(Date.now() % 1_000_000)));
const which = arg("target", "all");
const maxMs = Number(arg("max-ms", "5000"));
if (!Number.isInteger(cases) || cases < 0 || !Number.isInteger(seed)) {
  console.error("error: --cases and --seed take whole numbers");
  Deno.exit(2);
}
const targets: FuzzTarget[] = [
  ...(which === "all" || which === "report" ? [reportTarget("long")] : []),
  ...(which === "all" || which === "matrix" ? [matrixTarget("long")] : []),
];
let failed = false;
for (const t of targets) {
  console.error(`fuzz ${t.name}: seed ${seed}, ${cases} cases`);
  const r = await fuzz(t, {
    seed,
    cases,
    maxMs,
    scale: "long",
    onCase: (i) => {
      if (i > 0 && i % 100 === 0) console.error(`  ${i} cases`);
    },
  });
  console.error(
    `  ${r.cases} cases, ${r.userErrors} user errors, slowest ${
      Math.round(r.slowestMs)
    } ms CPU (case ${r.slowestIndex}), ${r.failures.length} failures`,
  );
  for (const f of r.failures) {
    failed = true;
    const path = await Deno.makeTempFile({ prefix: `kcross-fuzz-${t.name}-` });
    await Deno.writeTextFile(path, f.input);
    console.log(`FAIL ${t.name} case ${f.index} (input in ${path}): ${f.what}`);
  }
}
Deno.exit(failed ? 1 : 0);
