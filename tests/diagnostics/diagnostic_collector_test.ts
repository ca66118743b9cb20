/**
 * The tricky line shapes, one small log each (copied from real gcc, clang,
 * sparse, kernel-doc, binutils, lld, modpost, objtool and make output).
 */
import {
  type Diagnostic,
  DiagnosticCollector,
  extractDiagnostics,
} from "../../src/diagnostics/mod.ts";
import { assert, assertEquals } from "../_support/assert.ts";

const K = "/k"; // the source tree in these logs

function run(lines: string[], opts = { srcTree: K }): Diagnostic[] {
  return extractDiagnostics(lines.join("\n") + "\n", opts);
}

function brief(d: Diagnostic): string {
  const loc = `${d.file}:${d.line}:${d.column}`;
  return `${d.tool} ${loc} ${d.severity}: ${d.message}`;
}

Deno.test("gcc: column, -Werror= flag; source context, caret and cc1 lines ignored", () => {
  const got = run([
    "  CC [M]  drivers/vfio/fsl-mc/vfio_fsl_mc_intr.o",
    "/k/drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c: In function 'vfio_fsl_mc_set_irq_trigger':",
    "/k/drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c:112:18: error: variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
    "  112 |         int ret, hwirq;",
    "      |                  ^~~~~",
    "cc1: all warnings being treated as errors",
    "make[5]: *** [/k/scripts/Makefile.build:255: drivers/vfio/fsl-mc/vfio_fsl_mc_intr.o] Error 1",
  ]);
  assertEquals(got, [{
    tool: "compiler",
    file: "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
    line: 112,
    column: 18,
    severity: "error",
    message:
      "variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
    flag: "-Werror=unused-but-set-variable",
    count: 1,
    objects: ["drivers/vfio/fsl-mc/vfio_fsl_mc_intr.o"],
  }]);
});

Deno.test("gcc: a diagnostic without column keeps column null and its flag", () => {
  const [d] = run([
    "  CC      drivers/a.o",
    "/k/drivers/a.c: In function 'f':",
    "/k/drivers/a.c:7: warning: unused variable 'x' [-Wunused-variable]",
  ]);
  assertEquals(
    [d?.tool, d?.column, d?.flag],
    ["compiler", null, "-Wunused-variable"],
  );
});

Deno.test("gcc: fatal error keeps the missing header in the message", () => {
  const got = run([
    "  CC      drivers/a.o",
    "/k/drivers/a.c:3:10: fatal error: linux/nope.h: No such file or directory",
    "    3 | #include <linux/nope.h>",
    "      |          ^~~~~~~~~~~~~~",
    "compilation terminated.",
  ]);
  assertEquals(got.map(brief), [
    "compiler drivers/a.c:3:10 fatal error: linux/nope.h: No such file or directory",
  ]);
});

Deno.test("clang: the error at the use site; `note: expanded from macro` is not one", () => {
  const got = run([
    "  CC      drivers/vfio/vfio_main.o",
    "In file included from /k/drivers/vfio/vfio_main.c:32:",
    "In file included from /k/include/linux/vfio.h:16:",
    "/k/include/uapi/linux/vfio.h:987:2: error: expected identifier",
    "        VFIO_DEVICE_STATE_STOP = 1,",
    "        ^",
    "/k/include/uapi/linux/vfio.h:984:32: note: expanded from macro 'VFIO_DEVICE_STATE_STOP'",
    "#define VFIO_DEVICE_STATE_STOP (0)",
    "                               ^",
    "/k/drivers/vfio/vfio_main.c:1117:32: error: initializer overrides prior initialization of this subobject [-Werror,-Winitializer-overrides]",
    "1 error generated.",
  ]);
  assertEquals(got.map(brief), [
    "compiler include/uapi/linux/vfio.h:987:2 error: expected identifier",
    "compiler drivers/vfio/vfio_main.c:1117:32 error: initializer overrides prior initialization of this subobject [-Werror,-Winitializer-overrides]",
  ]);
  assertEquals(got[1]?.flag, "-Werror,-Winitializer-overrides");
  assertEquals(got[0]?.objects, ["drivers/vfio/vfio_main.o"]);
});

Deno.test("bison's conflict summary (a file with no line) is not a diagnostic", () => {
  assertEquals(
    run([
      "  YACC    scripts/genksyms/parse.tab.c",
      "/k/scripts/genksyms/parse.y: warning: 9 shift/reduce conflicts [-Wconflicts-sr]",
      "/k/scripts/genksyms/parse.y: warning: 5 reduce/reduce conflicts [-Wconflicts-rr]",
      "/k/scripts/genksyms/parse.y: note: rerun with option '-Wcounterexamples' to generate conflict counterexamples",
    ]),
    [],
  );
});

Deno.test("note:, In file included from, In function and context lines alone give nothing", () => {
  assertEquals(
    run([
      "In file included from /k/include/linux/vfio.h:16,",
      "                 from /k/drivers/vfio/vfio.c:32:",
      "/k/drivers/vfio/vfio.c: In function 'vfio_mig_get_next_state':",
      "/k/drivers/vfio/vfio.c:1600:26: note: each undeclared identifier is reported only once for each function it appears in",
      "  608 | #define VFIO_DEVICE_STATE_STOP (0)",
      "      |                                ^",
      "  112 |  int x: error: not a diagnostic;",
    ]),
    [],
  );
});

Deno.test("gcc include chain: the unit is the last `from`, even with -j interleaving", () => {
  const got = run([
    "  CC [M]  drivers/vfio/vfio_main.o",
    "  CC [M]  drivers/vfio/pci/vfio_pci_core.o",
    "In file included from /k/include/linux/vfio.h:16,",
    "                 from /k/drivers/vfio/vfio_main.c:32:",
    "/k/include/uapi/linux/vfio.h:984:32: error: expected identifier before '(' token",
    "In file included from /k/include/linux/vfio.h:16,",
    "                 from /k/include/linux/vfio_pci_core.h:13,",
    "                 from /k/drivers/vfio/pci/vfio_pci_core.c:29:",
    "/k/include/uapi/linux/vfio.h:984:32: error: expected identifier before '(' token",
  ]);
  assertEquals(got.length, 1);
  assertEquals(got[0]?.count, 2);
  assertEquals(got[0]?.objects, [
    "drivers/vfio/vfio_main.o",
    "drivers/vfio/pci/vfio_pci_core.o",
  ]);
});

Deno.test("O= inside the tree: ../ paths made relative, srctree learnt from make", () => {
  const log = [
    "make[1]: Entering directory '/src/linux/build_dir'",
    "  CC [M]  drivers/a.o",
    "../drivers/a.c:1:2: warning: unused variable 'x' [-Wunused-variable]",
    "  CC      ./include/generated/b.o",
    "./include/generated/b.h:3:4: warning: generated [-Wfoo]",
    "make[2]: *** [../scripts/Makefile.build:250: drivers/a.o] Error 1",
    "make[1]: Leaving directory '/src/linux/build_dir'",
  ];
  for (const opts of [{}, { srcTree: "/src/linux" }]) {
    const got = extractDiagnostics(log.join("\n"), opts);
    assertEquals(got.map((d) => [d.file, d.objects]), [
      ["drivers/a.c", ["drivers/a.o"]],
      ["include/generated/b.h", ["include/generated/b.o"]],
    ]);
  }
});

Deno.test("kernel-doc: FILE:LINE: warning: without column is typed kernel-doc", () => {
  const got = run([
    "  CC [M]  drivers/mcb/mcb-core.o",
    "/k/drivers/mcb/mcb-core.c:270: warning: Function parameter or member 'carrier' not described in 'mcb_alloc_bus'",
    "/k/drivers/w1/slaves/w1_ds2408.c:210: warning: This comment starts with '/**', but isn't a kernel-doc comment. Refer Documentation/doc-guide/kernel-doc.rst",
    " * Writing to the activity file resets the activity latches.",
  ]);
  assertEquals(got.map((d) => [d.tool, d.column, d.flag]), [
    ["kernel-doc", null, null],
    ["kernel-doc", null, null],
  ]);
});

Deno.test("sparse (C=1): typed by the CHECK step, continuation lines folded robot-style", () => {
  const got = run([
    "  CC [M]  drivers/mcb/mcb-parse.o",
    "  CHECK   /k/drivers/mcb/mcb-parse.c",
    "/k/drivers/mcb/mcb-parse.c:54:14: warning: incorrect type in assignment (different base types)",
    "/k/drivers/mcb/mcb-parse.c:54:14:    expected restricted __le32 [usertype] reg1",
    "/k/drivers/mcb/mcb-parse.c:54:14:    got unsigned int",
    "/k/drivers/mcb/mcb-parse.c:59:20: warning: restricted __le32 degrades to integer",
  ]);
  assertEquals(got.map(brief), [
    "sparse drivers/mcb/mcb-parse.c:54:14 warning: incorrect type in assignment (different base types) @@     expected restricted __le32 [usertype] reg1 @@     got unsigned int @@",
    "sparse drivers/mcb/mcb-parse.c:59:20 warning: restricted __le32 degrades to integer",
  ]);
  assertEquals(got[0]?.objects, ["drivers/mcb/mcb-parse.o"]);
});

Deno.test("sparse in the robot's rendering (`sparse: sparse:`) is read the same way", () => {
  const got = run([
    "arch/m68k/mm/motorola.c:265:29: sparse: sparse: incorrect type in assignment (different base types) @@     expected unsigned long pmd @@     got struct pmd_t [usertype] * @@",
    "arch/m68k/mm/motorola.c:265:29: sparse:     expected unsigned long pmd",
    "arch/m68k/mm/motorola.c:265:29: sparse:     got struct pmd_t [usertype] *",
  ]);
  assertEquals(got.length, 1);
  assertEquals(got[0]?.tool, "sparse");
  assert(got[0]?.message.startsWith("incorrect type in assignment"));
});

Deno.test("GNU ld: undefined reference, with the object from `in function`", () => {
  const got = run([
    "  LD      vmlinux.o",
    "powerpc64-linux-gnu-ld: drivers/vfio/vfio_main.o: in function `vfio_foo':",
    "vfio_main.c:(.text+0x1c): undefined reference to `bar'",
    "powerpc64-linux-gnu-ld: /k/drivers/b.c:12: undefined reference to `baz'",
  ]);
  assertEquals(
    got.map((d) => [d.tool, d.file, d.line, d.severity, d.message, d.objects]),
    [
      ["linker", null, null, "error", "undefined reference to `bar'", [
        "drivers/vfio/vfio_main.o",
      ]],
      ["linker", "drivers/b.c", 12, "error", "undefined reference to `baz'", [
        "drivers/vfio/vfio_main.o",
      ]],
    ],
  );
});

Deno.test("ld.lld: `error: undefined symbol` typed linker; `>>>` lines skipped", () => {
  const got = run([
    "ld.lld-15: error: undefined symbol: __aeabi_uldivmod",
    ">>> referenced by foo.c",
    ">>>               drivers/foo.o:(bar) in archive drivers/built-in.a",
  ]);
  assertEquals(got.map((d) => [d.tool, d.severity, d.message]), [
    ["linker", "error", "undefined symbol: __aeabi_uldivmod"],
  ]);
});

Deno.test("modpost ERROR/WARNING typed modpost; Kconfig's WARNING is not", () => {
  const got = run([
    "  MODPOST Module.symvers",
    'ERROR: modpost: "vfio_foo" [drivers/vfio/pci/vfio-pci.ko] undefined!',
    "WARNING: modpost: vmlinux.o: section mismatch in reference: foo (section: .text) -> bar (section: .init.text)",
    "WARNING: unmet direct dependencies detected for VFIO_FOO",
  ]);
  assertEquals(got.map((d) => [d.tool, d.severity, d.message, d.objects]), [
    [
      "modpost",
      "ERROR",
      '"vfio_foo" [drivers/vfio/pci/vfio-pci.ko] undefined!',
      [
        "drivers/vfio/pci/vfio-pci.ko",
      ],
    ],
    [
      "modpost",
      "WARNING",
      "vmlinux.o: section mismatch in reference: foo (section: .text) -> bar (section: .init.text)",
      [],
    ],
  ]);
});

Deno.test("objtool warnings name the object file", () => {
  const got = run([
    "drivers/gpu/drm/a.o: warning: objtool: foo()+0x12: unreachable instruction",
  ]);
  assertEquals(got.map((d) => [d.tool, d.file, d.severity, d.message]), [
    [
      "objtool",
      "drivers/gpu/drm/a.o",
      "warning",
      "foo()+0x12: unreachable instruction",
    ],
  ]);
});

Deno.test("gas: `Error:` typed assembler; `{standard input}` is not a file", () => {
  const got = run([
    "  AS      arch/powerpc/kernel/head_64.o",
    "/k/arch/powerpc/kernel/head_64.S:120: Error: unrecognized opcode: `foo'",
    "  CC      arch/powerpc/kernel/a.o",
    "{standard input}: Assembler messages:",
    "{standard input}:123: Error: unsupported relocation against bar",
  ]);
  assertEquals(
    got.map((d) => [d.tool, d.file, d.line, d.severity, d.objects]),
    [
      ["assembler", "arch/powerpc/kernel/head_64.S", 120, "Error", [
        "arch/powerpc/kernel/head_64.o",
      ]],
      ["assembler", null, 123, "Error", ["arch/powerpc/kernel/a.o"]],
    ],
  );
});

Deno.test("compiler driver errors without a file; `make: *** No rule` typed make", () => {
  const got = run([
    "cc1: error: unrecognized command-line option '-mfoo'",
    "cc1: all warnings being treated as errors",
    "make[3]: *** No rule to make target 'drivers/x.o', needed by 'drivers/built-in.a'.  Stop.",
  ]);
  assertEquals(got.map((d) => [d.tool, d.file, d.message]), [
    ["compiler", null, "unrecognized command-line option '-mfoo'"],
    [
      "make",
      null,
      "No rule to make target 'drivers/x.o', needed by 'drivers/built-in.a'",
    ],
  ]);
});

Deno.test("sphinx WARNING lines and `N errors generated.` are not diagnostics", () => {
  assertEquals(
    run([
      "Documentation/x.rst:10: WARNING: Unknown target name",
      "2 errors generated.",
      "Note: the foo HEAD builds fine.",
    ]),
    [],
  );
});

Deno.test("linePrefix skips a timestamp the runner adds; CRLF line ends are fine", () => {
  const log = [
    "[  1.000] make[1]: Entering directory '/k/out'",
    "[  1.100]   CC      drivers/a.o",
    "[  1.200] /k/drivers/a.c:1:2: warning: w [-Wx]",
  ].join("\r\n");
  const got = extractDiagnostics(log, {
    srcTree: K,
    linePrefix: /\[[^\]]*\] /y,
  });
  assertEquals(got.map((d) => [d.file, d.message, d.objects]), [
    ["drivers/a.c", "w [-Wx]", ["drivers/a.o"]],
  ]);
});

Deno.test("pushText: lines split across chunks are joined", () => {
  const c = new DiagnosticCollector({ srcTree: K });
  const text = "  CC      drivers/a.o\n/k/drivers/a.c:1:2: error: boom\n";
  for (const ch of text) c.pushText(ch);
  assertEquals(c.finish().map(brief), [
    "compiler drivers/a.c:1:2 error: boom",
  ]);
});

Deno.test("paths outside the tree stay absolute; srctree guessed from kernel dirs", () => {
  const got = extractDiagnostics(
    [
      "/home/u/linux/drivers/a.c:1:2: warning: a [-Wx]",
      "/home/u/linux/include/b.h:1:2: warning: b [-Wx]",
      "/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h:1:2: warning: c [-Wx]",
    ].join("\n"),
  );
  assertEquals(got.map((d) => d.file), [
    "drivers/a.c",
    "include/b.h",
    "/usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h",
  ]);
});

Deno.test("real binutils 2.40, gas and ld.lld-15 output (Debian cross toolchain)", () => {
  // Captured with LANG=C from powerpc64-linux-gnu-gcc/ld and ld.lld-15 on
  // two-line inputs; `collect2: error: ld returned 1` is a consequence.
  const got = run([
    "  LD      a.out",
    "/usr/lib/gcc-cross/powerpc64-linux-gnu/12/../../../../powerpc64-linux-gnu/bin/ld: warning: cannot find entry symbol _start; defaulting to 000000000001fed0",
    "/usr/lib/gcc-cross/powerpc64-linux-gnu/12/../../../../powerpc64-linux-gnu/bin/ld: a.o: in function `foo':",
    "/k/a.c:2: undefined reference to `bar'",
    "collect2: error: ld returned 1 exit status",
    "b.S: Assembler messages:",
    "b.S:2: Error: unrecognized opcode: `bogusop'",
    "ld.lld-15: error: undefined symbol: bar",
    ">>> referenced by a.c",
    ">>>               c.o:(foo)",
    "/tmp/ccdlC1LV.s: Assembler messages:",
    "/tmp/ccdlC1LV.s:23: Error: unrecognized opcode: `bogus'",
  ]);
  assertEquals(
    got.map((d) => [d.tool, d.file, d.line, d.severity, d.message]),
    [
      [
        "linker",
        null,
        null,
        "warning",
        "cannot find entry symbol _start; defaulting to 000000000001fed0",
      ],
      ["linker", "a.c", 2, "error", "undefined reference to `bar'"],
      ["assembler", "b.S", 2, "Error", "unrecognized opcode: `bogusop'"],
      ["linker", null, null, "error", "undefined symbol: bar"],
      ["assembler", null, 23, "Error", "unrecognized opcode: `bogus'"],
    ],
  );
  assertEquals(got[1]?.objects, ["a.o"]);
});

Deno.test("two spellings of one file (../x.c and /tree/x.c) are one diagnostic", () => {
  const got = extractDiagnostics(
    [
      "make[1]: Entering directory '/src/linux/build_dir'",
      "  CC      drivers/a.o",
      "../drivers/a.c:1:2: warning: w [-Wx]",
      "  CC      drivers/b.o",
      "/src/linux/drivers/a.c:1:2: warning: w [-Wx]",
    ].join("\n"),
    { srcTree: "/src/linux" },
  );
  assertEquals(got.map((d) => [d.file, d.count, d.objects]), [
    // a.c's diagnostic belongs to a.o, even printed while b.o builds
    ["drivers/a.c", 2, ["drivers/a.o"]],
  ]);
});
