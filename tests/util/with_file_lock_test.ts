import { withFileLock } from "../../src/util/with_file_lock.ts";
import { assert, assertEquals, assertRejects } from "../_support/assert.ts";

Deno.test("withFileLock creates the lock file's directory and returns fn's value", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcross-lock-" });
  try {
    const path = `${dir}/a/b/x.lock`;
    assertEquals(await withFileLock(path, () => Promise.resolve(42)), 42);
    assert((await Deno.stat(path)).isFile);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("withFileLock runs holders one at a time and releases on throw", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcross-lock-" });
  try {
    const path = `${dir}/x.lock`;
    await assertRejects(
      () => withFileLock(path, () => Promise.reject(new Error("boom"))),
      Error,
      "boom",
    );
    const events: string[] = [];
    const hold = (name: string) =>
      withFileLock(path, async () => {
        events.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 20));
        events.push(`${name}-`);
      });
    await Promise.all([hold("a"), hold("b")]);
    assertEquals(events.length, 4);
    assertEquals(events[0]!.slice(1), "+");
    assertEquals(events[1]!.slice(1), "-");
    assertEquals(events[0]![0], events[1]![0]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
