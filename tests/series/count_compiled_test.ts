import { assertEquals } from "../_support/assert.ts";
import {
  countCompiledInRecord,
  countCompiledLines,
} from "../../src/series/count_compiled.ts";

const LOG = [
  "  SYNC    include/config/auto.conf",
  "  HOSTCC  scripts/kallsyms",
  "  CC      kernel/bounds.s",
  "  CC [M]  drivers/vfio/vfio_main.o",
  "drivers/vfio/vfio_main.c:1:1: error: boom",
  "  CC [M]  drivers/vfio/pci/vfio_pci_core.o",
  "  LD [M]  drivers/vfio/vfio.o",
  "  MODPOST drivers/vfio/Module.symvers",
].join("\n");

Deno.test("countCompiledLines() counts kbuild's CC lines only", () => {
  assertEquals(countCompiledLines(LOG), 3);
  assertEquals(countCompiledLines(""), 0);
});

Deno.test("countCompiledInRecord() reads the record's build.log, undefined without one", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/build.log`, LOG);
    await Deno.writeTextFile(`${dir}/build.timed.log`, "  CC      a/b.o\n");
    assertEquals(await countCompiledInRecord(dir), 3);
    assertEquals(await countCompiledInRecord(`${dir}/missing`), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
