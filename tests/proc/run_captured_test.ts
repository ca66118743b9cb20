import {
  CommandNotFoundError,
  runCaptured,
} from "../../src/proc/run_captured.ts";
import { InfraError } from "../../src/errors.ts";
import { assertEquals, assertRejects } from "../_support/assert.ts";

Deno.test("runCaptured() gives exit code, stdout and stderr apart", async () => {
  const r = await runCaptured(["sh", "-c", "echo a; echo b >&2; exit 4"]);
  assertEquals([r.code, r.success, r.stdout, r.stderr], [
    4,
    false,
    "a\n",
    "b\n",
  ]);
});

Deno.test("runCaptured() feeds stdin and passes argv words as they are", async () => {
  const r = await runCaptured([
    "sh",
    "-c",
    'cat; printf "%s|" "$@"',
    "sh",
    "a b",
    "$(x)",
  ], {
    stdin: "in\n",
  });
  assertEquals(r.stdout, "in\na b|$(x)|");
});

Deno.test("runCaptured() with inheritEnv false gives the child only env", async () => {
  const r = await runCaptured(["/usr/bin/env"], {
    env: { ONLY: "1" },
    inheritEnv: false,
  });
  assertEquals(r.stdout, "ONLY=1\n");
});

Deno.test("runCaptured() names a missing program", async () => {
  const e = await assertRejects(
    () => runCaptured(["kcross-no-such-program-x"]),
    CommandNotFoundError,
  );
  assertEquals(e.program, "kcross-no-such-program-x");
});

Deno.test("runCaptured() stops a command that prints more than the cap", async () => {
  await assertRejects(
    () =>
      runCaptured(["sh", "-c", "yes | cat; echo never"], { maxBytes: 4096 }),
    InfraError,
    "more than 4096 bytes",
  );
});

Deno.test("runCaptured() ends the child when the signal aborts", async () => {
  const ac = new AbortController();
  const p = runCaptured(["sh", "-c", "echo started; exec sleep 30"], {
    signal: ac.signal,
  });
  ac.abort(new Deno.errors.Interrupted("stop"));
  await assertRejects(() => p, Deno.errors.Interrupted, "stop");
});
