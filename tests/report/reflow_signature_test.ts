import { parseReport } from "../../src/report/mod.ts";
import { reflowSignature } from "../../src/report/reflow_signature.ts";
import { parseSections } from "../../src/report/sections.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { loadFixtures } from "./_fixtures.ts";
import { hardWrap, reflow } from "./_reflow.ts";

const HEAD = [
  "tree:   https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git master",
  "head:   a55f224ff5f238013de8762c4287117e47b86e22",
  "commit: a55f224ff5f238013de8762c4287117e47b86e22 [1/2] foo: bar",
  "config: xtensa-allmodconfig (https://download.01.org/0day-ci/archive/20220101/202201010000.AbCdEfGh-lkp@intel.com/config)",
  "compiler: xtensa-linux-gcc (GCC) 12.1.0",
  "",
];

const MODPOST =
  ">> WARNING: modpost: vmlinux.o(.text.unlikely+0x1998): Section mismatch in reference from the function trace_define_generic_fields.isra.0() to the variable .init.data:initcall_level_names";
const OBJTOOL =
  ">> vmlinux.o: warning: objtool: xenpv_exc_double_fault+0xd: unreachable instruction";
const KERNEL_DOC =
  ">> drivers/gpu/drm/foo.c:123: warning: This comment starts with '/**', but isn't a kernel-doc comment. Refer Documentation/doc-guide/kernel-doc.rst";

/** A pristine report with modpost, objtool and kernel-doc multi-line messages. */
const PRISTINE = [
  ...HEAD,
  "All warnings (new ones prefixed by >>, old ones prefixed by <<):",
  "",
  "<< WARNING: modpost: vmlinux.o(.text.unlikely+0x17c8): Section mismatch in reference from the function __trace_event_discard_commit() to the variable .init.data:initcall_level_names",
  MODPOST,
  "The function trace_define_generic_fields.isra.0() references",
  "the variable __initdata initcall_level_names.",
  "This is often because trace_define_generic_fields.isra.0 lacks a __initdata",
  "annotation or the annotation of initcall_level_names is wrong.",
  "--",
  OBJTOOL,
  "",
  "",
  "objdump-func vmlinux.o xenpv_exc_double_fault:",
  "0000 0000000000001680 <xenpv_exc_double_fault>:",
  "0000     1680:\tf3 0f 1e fa          \tendbr64",
  "--",
  KERNEL_DOC,
  "* Foo bar baz: the rest of a comment line that kernel-doc quotes here",
  "",
  "-- ",
  "0-DAY CI Kernel Test Service",
  "",
].join("\n");

Deno.test("reflowSignature() finds no sign in any pristine fixture and all three in the archive copy 000", () => {
  for (const f of loadFixtures()) {
    const lines = f.text.split("\n");
    const sig = reflowSignature(lines, parseSections(lines).firstHeader);
    if (f.id === "000") {
      assertEquals(sig.signs, [
        "dropped prefixes",
        "(a) addresses",
        "wrapped header values",
      ]);
    } else assertEquals(sig.signs, [], f.id);
  }
});

Deno.test("reflowSignature() sees a mail client's hard wrap by its wrapped header values", () => {
  const f = loadFixtures().find((x) => x.id === "029")!;
  const lines = hardWrap(f.text, 76).split("\n");
  const sig = reflowSignature(lines, parseSections(lines).firstHeader);
  assertEquals(sig.signs, ["wrapped header values"]);
});

Deno.test("a pristine mail is never joined: multi-line tool messages keep their first line as printed", () => {
  const r = parseReport(PRISTINE);
  assertEquals(r.marked_lines, [
    MODPOST.slice(3),
    OBJTOOL.slice(3),
    KERNEL_DOC.slice(3),
  ]);
  assert(!r.warnings.some((w) => w.includes("Joined")), r.warnings.join("|"));
  assertEquals(r.diagnostics.map((d) => d.message), [
    "This comment starts with '/**', but isn't a kernel-doc comment. Refer Documentation/doc-guide/kernel-doc.rst",
  ]);
});

Deno.test("a reflowed copy of multi-line tool messages joins each first line back and stops at the explanation", () => {
  const squash = (s: string) => s.replace(/\s+/g, " ");
  for (const width of [50, 72, 80, 100]) {
    // without the `<<` line: a section with kept prefixes reads as a mail
    // client's hard wrap, where only full-width lines are joined
    const text = PRISTINE.replace(/^<< .*\n/m, "");
    const r = parseReport(reflow(text, width));
    assertEquals(
      r.marked_lines.map(squash),
      [MODPOST.slice(3), OBJTOOL.slice(3), KERNEL_DOC.slice(3)],
      `width ${width}`,
    );
    assert(r.warnings.some((w) => w.includes("reflowed copy: ")));
  }
});
