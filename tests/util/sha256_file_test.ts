import { createHash } from "node:crypto";
import { sha256File } from "../../src/util/sha256_file.ts";
import { assertEquals } from "../_support/assert.ts";

Deno.test("sha256File() hashes a file larger than its read buffer like a one-shot digest", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcross-sha256-" });
  try {
    const data = new Uint8Array(3 * (1 << 20) + 123).map((_, i) => i * 7);
    await Deno.writeFile(`${dir}/f`, data);
    assertEquals(
      await sha256File(`${dir}/f`),
      createHash("sha256").update(data).digest("hex"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
