import { assertEquals, assertRejects } from "../_support/assert.ts";
import { UserError } from "../../src/errors.ts";
import { claimRunDir, loadState, newSeriesId } from "../../src/series/state.ts";

Deno.test("claimRunDir() never hands out the same run dir twice", async () => {
  const root = await Deno.makeTempDir();
  try {
    const id = newSeriesId("ab".repeat(20), new Date("2026-01-02T03:04:05Z"));
    assertEquals(await claimRunDir(root, id), "20260102-030405-abababab");
    assertEquals(await claimRunDir(root, id), "20260102-030405-abababab-2");
    assertEquals(await claimRunDir(root, id), "20260102-030405-abababab-3");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("loadState() explains a missing, malformed or unreadable series", async () => {
  const root = await Deno.makeTempDir();
  try {
    await assertRejects(
      () => loadState("nope", root),
      UserError,
      'No series "nope" to resume',
    );
    await assertRejects(
      () => loadState("../etc", root),
      UserError,
      'Bad series id "../etc"',
    );
    await Deno.mkdir(`${root}/broken`);
    await Deno.writeTextFile(`${root}/broken/state.json`, "{");
    await assertRejects(
      () => loadState("broken", root),
      UserError,
      "unreadable",
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
