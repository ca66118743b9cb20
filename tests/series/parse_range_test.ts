import { assertEquals, assertThrows } from "../_support/assert.ts";
import { parseRange } from "../../src/series/parse_range.ts";
import { UserError } from "../../src/errors.ts";

Deno.test("parseRange() splits base..head and defaults head to HEAD", () => {
  assertEquals(parseRange("v6.1..for-yishai"), {
    base: "v6.1",
    head: "for-yishai",
  });
  assertEquals(parseRange("origin/master~3.."), {
    base: "origin/master~3",
    head: "HEAD",
  });
});

Deno.test("parseRange() refuses what is not a line of commits", async (t) => {
  for (const bad of ["v6.1", "a...b", "..b", "--all..x", "a..b c"]) {
    await t.step(bad, () => {
      assertThrows(() => parseRange(bad), UserError, "Bad range");
    });
  }
});
