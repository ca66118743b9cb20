/**
 * Rules the test suite keeps so `deno test --parallel` (modules as worker
 * threads of one process, sharing `Deno.env`) cannot make modules collide.
 */
import { assertEquals } from "./_support/assert.ts";

const TESTS = new URL(".", import.meta.url).pathname;
/** Files allowed to change the process environment directly. */
const ALLOWED = new Set([
  "_support/env.ts", // scopedEnv itself
  "_support/mirror.ts", // one process-wide gpg keyring, the same value for every module
  "test_discipline_test.ts",
]);

function* tsFiles(dir: string, rel = ""): Generator<string> {
  for (const e of Deno.readDirSync(dir)) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory) {
      if (e.name === "fixtures" || e.name === "node_modules") continue;
      yield* tsFiles(`${dir}/${e.name}`, r);
    } else if (e.name.endsWith(".ts")) yield r;
  }
}

Deno.test("tests change Deno.env only through scopedEnv (tests/_support/env.ts)", () => {
  const offenders: string[] = [];
  for (const rel of tsFiles(TESTS)) {
    if (ALLOWED.has(rel)) continue;
    const lines = Deno.readTextFileSync(`${TESTS}${rel}`).split("\n");
    lines.forEach((line, i) => {
      if (/Deno\.env\.(set|delete)\(/.test(line)) {
        offenders.push(`tests/${rel}:${i + 1}: ${line.trim()}`);
      }
    });
  }
  assertEquals(offenders, []);
});
