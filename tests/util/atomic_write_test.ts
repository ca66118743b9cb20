import {
  writeFileAtomic,
  writeFileAtomicSync,
  writeJsonAtomic,
} from "../../src/util/atomic_write.ts";
import { assert, assertEquals, assertRejects } from "../_support/assert.ts";

Deno.test("writeFileAtomic(): concurrent writers of one file never share a temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/state.json`;
    const texts = Array.from({ length: 32 }, (_, i) => `${"x".repeat(i)}\n`);
    await Promise.all(texts.map((t) => writeFileAtomic(path, t)));
    assert(texts.includes(await Deno.readTextFile(path)));
    const names = [...Deno.readDirSync(dir)].map((e) => e.name);
    assertEquals(names, ["state.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

for (const [size, how] of [[3, "synchronous"], [(1 << 20) + 1, "async"]]) {
  Deno.test(`writeFileAtomic(): a failed rename leaves the old file and no temp file (${how} path)`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      await Deno.mkdir(`${dir}/target`);
      await Deno.writeTextFile(`${dir}/target/keep`, "");
      const data = "n".repeat(size as number);
      await assertRejects(() => writeFileAtomic(`${dir}/target`, data));
      const names = [...Deno.readDirSync(dir)].map((e) => e.name);
      assertEquals(names, ["target"]);
      await writeFileAtomic(`${dir}/big`, new TextEncoder().encode(data));
      assertEquals((await Deno.stat(`${dir}/big`)).size, size);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("writeJsonAtomic() and writeFileAtomicSync() write whole files with a mode", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await writeJsonAtomic(`${dir}/a.json`, { a: 1 });
    assertEquals(await Deno.readTextFile(`${dir}/a.json`), '{\n  "a": 1\n}\n');
    writeFileAtomicSync(`${dir}/b.sh`, "#!/bin/sh\n", { mode: 0o755 });
    assertEquals((await Deno.stat(`${dir}/b.sh`)).mode! & 0o777, 0o755);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
