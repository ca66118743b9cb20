/**
 * End to end: the README's first command, `kcross demo`, through the
 * launcher. Its state lives in the test cache (like the other cached kernel
 * trees), so the first CI run makes the sample from linux-source-6.1 and
 * builds, and the second run here reuses everything.
 */
import { haveKernelSource, TEST_CACHE } from "../_support/kernel.ts";
import { assertEquals, assertStringIncludes } from "../_support/assert.ts";

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
    "kcross demo ends with the >> error and verdict reproduced, and a second run reuses the sample, worktree and config",
  ignore: !haveKernelSource(),
}, async () => {
  const first = await demo();
  assertEquals(first.code, 0, first.stderr.slice(-3000));
  for (const step of ["[1/5]", "[2/5]", "[3/5]", "[4/5]", "[5/5]"]) {
    assertStringIncludes(first.stderr, step);
  }
  assertStringIncludes(
    first.stdout,
    ">> include/uapi/linux/vfio.h:",
  );
  assertStringIncludes(first.stdout, "expected identifier before '(' token");
  assertEquals(first.stdout.trim().split("\n").at(-1)?.startsWith(">> "), true);
  assertStringIncludes(first.stdout, "verdict: reproduced");

  const second = await demo("--keep");
  assertEquals(second.code, 0, second.stderr.slice(-3000));
  assertStringIncludes(second.stderr, "reused");
  assertStringIncludes(second.stderr, "worktree (reused)");
  assertStringIncludes(second.stdout, "verdict: reproduced");
});
