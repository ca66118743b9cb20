import { assertEquals, assertStringIncludes } from "../_support/assert.ts";
import { binutilsPrefix } from "../../src/build/binutils_prefix.ts";
import { archInfo, supportedArches } from "../../src/toolchain/arch.ts";

/** A PATH dir holding an executable `<prefix>ld` for each prefix. */
async function binutilsDir(prefixes: string[]): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kcross-binutils-" });
  for (const p of prefixes) {
    await Deno.writeTextFile(`${dir}/${p}ld`, "#!/bin/sh\nexit 0\n");
    await Deno.chmod(`${dir}/${p}ld`, 0o755);
  }
  return dir;
}

Deno.test("binutilsPrefix() keeps make.cross's crosstool prefix when its ld is on PATH", async () => {
  const dir = await binutilsDir(["s390x-linux-", "s390x-linux-gnu-"]);
  try {
    assertEquals(binutilsPrefix("s390x-linux", "s390-linux", dir), {
      prefix: "s390x-linux-",
      note: null,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("binutilsPrefix() takes the distro's prefix from the arch table, and names the swap", async () => {
  // Debian's binutils-<triple> packages: s390 is the case that made the rule.
  const rows: [string, string, string][] = [
    ["s390x-linux", "s390-linux", "s390x-linux-gnu-"],
    ["aarch64-linux", "aarch64-linux", "aarch64-linux-gnu-"],
    ["arm-linux-gnueabi", "arm-linux-gnueabi", "arm-linux-gnueabi-"],
    ["mips-linux", "mips-linux", "mips-linux-gnu-"],
    ["riscv64-linux", "riscv64-linux", "riscv64-linux-gnu-"],
    ["powerpc-linux", "powerpc-linux", "powerpc-linux-gnu-"],
    ["m68k-linux", "m68k-linux", "m68k-linux-gnu-"],
  ];
  for (const [cross, triple, debian] of rows) {
    const dir = await binutilsDir([debian]);
    try {
      const b = binutilsPrefix(cross, triple, `/nonexistent:${dir}`);
      assertEquals(b.prefix, debian, cross);
      if (debian === `${cross}-`) {
        assertEquals(b.note, null);
      } else {
        assertEquals(
          b.note,
          `binutils: CROSS_COMPILE=${debian} (the distro's binutils on PATH) instead of make.cross's ${cross}-: no ${cross}-ld on PATH`,
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("binutilsPrefix() with no binutils keeps the crosstool prefix and names the package", () => {
  const b = binutilsPrefix("s390x-linux", "s390-linux", "/nonexistent");
  assertEquals(b.prefix, "s390x-linux-");
  assertEquals(
    b.note,
    "binutils: no s390x-linux-ld or s390x-linux-gnu-ld on PATH, and this clang build uses GNU binutils; apt-get install binutils-s390x-linux-gnu",
  );
  const none = binutilsPrefix("arc-linux", "arc-linux", "/nonexistent");
  assertEquals(
    none.note,
    "binutils: no arc-linux-ld on PATH, and this clang build uses GNU binutils",
  );
});

Deno.test("binutilsPrefix() finds a distro prefix for every arch whose table entry names one", async () => {
  for (const arch of supportedArches()) {
    const info = archInfo(arch);
    if (!info.debian) continue;
    const cross = info.clangTriple ?? info.triple;
    const dir = await binutilsDir([`${info.debian}-`]);
    try {
      const b = binutilsPrefix(cross, info.triple, dir);
      assertEquals(b.prefix, `${info.debian}-`, arch);
      if (b.note) assertStringIncludes(b.note, `CROSS_COMPILE=${info.debian}-`);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("binutilsPrefix() without swap (the make.cross drop-in) keeps make.cross's prefix and names the distro's", async () => {
  const dir = await binutilsDir(["s390x-linux-gnu-"]);
  try {
    assertEquals(binutilsPrefix("s390x-linux", "s390-linux", dir, false), {
      prefix: "s390x-linux-",
      note:
        "binutils: CROSS_COMPILE=s390x-linux- as make.cross passes it, but no s390x-linux-ld is on PATH (the distro's s390x-linux-gnu-ld is): add CROSS_COMPILE=s390x-linux-gnu- to the command line, or use kcross build",
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
