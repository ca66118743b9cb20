/**
 * End to end: the README's first command, `kcross demo`, through the
 * launcher: the reproduced `>>` error, then the sample's fix verified
 * (`fixed`, with the trailers). Its state lives in the test cache (like the
 * other cached kernel trees), so the first CI run makes the sample from
 * linux-source-6.1 and builds, and the second run here is incremental.
 */
import { haveKernelSource, TEST_CACHE } from "../_support/kernel.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

async function demo(...args: string[]) {
  const o = await new Deno.Command(`${ROOT}kcross`, {
    args: ["demo", ...args],
    cwd: "/",
    env: { KCROSS_STATE_DIR: `${TEST_CACHE}/demo-state`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return {
    code: o.code,
    stdout: d.decode(o.stdout),
    stderr: d.decode(o.stderr),
  };
}

Deno.test({
  name:
    "kcross demo reproduces the >> error, verifies the sample's fix (fixed, with the trailers), and a second run reuses the sample and the report's build",
  ignore: !haveKernelSource(),
}, async () => {
  const first = await demo();
  assertEquals(first.code, 0, first.stderr.slice(-3000));
  for (let n = 1; n <= 7; n++) assertStringIncludes(first.stderr, `[${n}/7]`);
  const out = first.stdout;
  assertStringIncludes(out, ">> include/uapi/linux/vfio.h:");
  assertStringIncludes(out, "expected identifier before '(' token");
  assertStringIncludes(out, "verdict: reproduced");
  // the reproduced error comes before the fix and its verification
  const reproduced = out.indexOf("the robot's >> error, reproduced");
  const fix = out.indexOf("the fix: ");
  assert(reproduced > 0 && fix > reproduced, out);
  const verified = out.slice(fix);
  assertStringIncludes(verified, "gone");
  assertStringIncludes(verified, "verdict: fixed\n");
  assertStringIncludes(
    verified,
    "Reported-by: kernel test robot <lkp@intel.com>",
  );
  // the sample's fix carries the tag, as a real one would
  assertStringIncludes(out.trim().split("\n").at(-1)!, "already carries");

  // the second run: incremental, and verify compares with the build repro
  // just made (no third build); --json gives both answers
  const second = await demo("--keep", "--json");
  assertEquals(second.code, 0, second.stderr.slice(-3000));
  assertStringIncludes(second.stderr, "reused");
  assert(!second.stderr.includes("extracting"), second.stderr);
  const v = JSON.parse(second.stdout);
  assertEquals(v.verdict, "reproduced");
  assertEquals(v.verify.verdict, "fixed");
  assertEquals(v.verify.report.from, "record");
  assertEquals(v.verify.report.recordDir, v.build.recordDir);
  assertEquals(v.verify.trailersMissing, []);
});
