import { assertEquals, assertThrows } from "../_support/assert.ts";
import {
  archInfo,
  chooseTriple,
  configEnabled,
  supportedArches,
} from "../../src/toolchain/arch.ts";
import { UserError } from "../../src/errors.ts";

// kbuild.sh setup_cross_vars, written out by hand: [arch, no .config, with symbol(s) enabled].
const MAKECROSS_TABLE: [string, string, Record<string, string>][] = [
  ["alpha", "alpha-linux", {}],
  ["arc", "arc-linux", {}],
  ["arm", "arm-linux-gnueabi", {}],
  ["arm64", "aarch64-linux", {}],
  ["csky", "csky-linux", {}],
  ["hexagon", "hexagon-linux", {}],
  ["i386", "i386-linux", {}],
  ["loongarch", "loongarch64-linux", {}],
  ["m68k", "m68k-linux", {}],
  ["microblaze", "microblaze-linux", {}],
  ["mips", "mips-linux", { CONFIG_64BIT: "mips64-linux" }],
  ["nios2", "nios2-linux", {}],
  ["openrisc", "or1k-linux", {}],
  ["parisc", "hppa-linux", { CONFIG_64BIT: "hppa64-linux" }],
  ["parisc64", "hppa64-linux", {}],
  ["powerpc", "powerpc-linux", { CONFIG_PPC64: "powerpc64-linux" }],
  ["powerpc64", "powerpc-linux", { CONFIG_PPC64: "powerpc64-linux" }],
  ["riscv", "riscv64-linux", {
    CONFIG_64BIT: "riscv64-linux",
    CONFIG_32BIT: "riscv32-linux",
  }],
  ["s390", "s390-linux", {}],
  ["sh", "sh4-linux", {}],
  ["sparc", "sparc-linux", { CONFIG_64BIT: "sparc64-linux" }],
  ["sparc64", "sparc64-linux", {}],
  ["um", "um-linux", {}],
  ["x86_64", "x86_64-linux", {}],
  ["xtensa", "xtensa-linux", {}],
];

Deno.test("the arch table has make.cross's 25 KBUILD_SUPPORTED_ARCHS", () => {
  assertEquals(supportedArches(), MAKECROSS_TABLE.map(([a]) => a).sort());
});

Deno.test("chooseTriple() matches make.cross for every arch, with and without .config", async (t) => {
  for (const [arch, plain, rules] of MAKECROSS_TABLE) {
    await t.step(arch, () => {
      assertEquals(chooseTriple(arch, null).triple, plain);
      assertEquals(chooseTriple(arch, "CONFIG_FOO=y\n").triple, plain);
      for (const [symbol, triple] of Object.entries(rules)) {
        assertEquals(chooseTriple(arch, `${symbol}=y\n`).triple, triple);
        assertEquals(
          chooseTriple(arch, `# ${symbol} is not set\n`).triple,
          plain,
        );
      }
    });
  }
});

Deno.test("parisc64 also needs the 32-bit hppa-linux toolchain", () => {
  assertEquals(chooseTriple("parisc", "CONFIG_64BIT=y").alsoNeeds, [
    "hppa-linux",
  ]);
  assertEquals(chooseTriple("parisc64", null).alsoNeeds, ["hppa-linux"]);
  assertEquals(archInfo("parisc").pathMode, true);
});

Deno.test("s390 clang builds use the s390x-linux triple", () => {
  assertEquals(archInfo("s390").clangTriple, "s390x-linux");
});

Deno.test("an unknown arch is a UserError listing the supported ones", () => {
  const e = assertThrows(() => archInfo("vax"), UserError, '"vax"');
  assertEquals(e.hint?.includes("powerpc"), true);
});

Deno.test("configEnabled() answers as the line-by-line rule on every shape of line", () => {
  const reference = (config: string, symbol: string) => {
    for (const line of config.split("\n")) {
      if (line.startsWith(`${symbol}=`)) {
        const value = line.slice(symbol.length + 1);
        return value.length > 0 && value[0] !== "n";
      }
    }
    return false;
  };
  const lines = [
    "CONFIG_PPC64=y",
    "CONFIG_PPC64=n",
    "CONFIG_PPC64=",
    "CONFIG_PPC64=m",
    "# CONFIG_PPC64 is not set",
    "XCONFIG_PPC64=y",
    "CONFIG_PPC64X=y",
    "CONFIG_PPC64=\r",
    "",
  ];
  const texts: string[] = [""];
  for (const a of lines) {
    for (const b of lines) texts.push(`${a}\n${b}`, `${a}\n${b}\n`, a);
  }
  for (const text of texts) {
    assertEquals(
      configEnabled(text, "CONFIG_PPC64"),
      reference(text, "CONFIG_PPC64"),
      JSON.stringify(text),
    );
  }
});
