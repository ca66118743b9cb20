import { main } from "../../main.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { assertEquals, assertStringIncludes } from "../_support/assert.ts";

async function verify(...args: string[]) {
  const out = recordingOutput();
  const code = await main(["verify", ...args], { out, cwd: Deno.cwd() });
  return { code, stderr: out.stderr.join("\n"), stdout: out.stdout.join("\n") };
}

Deno.test("kcross verify: usage errors exit 2 with a hint, nothing built", async () => {
  const none = await verify();
  assertEquals(none.code, 2);
  assertStringIncludes(none.stderr, "error: Missing report");
  assertStringIncludes(none.stderr, "hint: kcross verify <report");

  const both = await verify("r.txt", "--json", "--trailers-only");
  assertEquals(both.code, 2);
  assertStringIncludes(both.stderr, "contradict");

  const werror = await verify("r.txt", "--werror=maybe");
  assertEquals(werror.code, 2);
  assertStringIncludes(werror.stderr, 'Bad value for --werror: "maybe"');

  const two = await verify("a.txt", "b.txt");
  assertEquals(two.code, 2);
  assertStringIncludes(two.stderr, "the fix is --commit REV");
  assertEquals(two.stdout, "");
});
