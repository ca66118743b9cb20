import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import {
  checkMakeWords,
  MAKE_VAR_RULES,
  makeWordProblem,
} from "../../src/build/make_words.ts";
import { UserError } from "../../src/errors.ts";

const ROBOT = new URL("../fixtures/robot-reports/", import.meta.url)
  .pathname;

Deno.test("makeWordProblem() accepts what robot reports use", async (t) => {
  await t.step("the words of the shared robot reports", async () => {
    // Every VAR=value word on a make line of a robot report or reproduce file.
    const seen = new Set<string>();
    for await (const e of Deno.readDir(ROBOT)) {
      if (!e.name.endsWith(".txt")) continue;
      const text = await Deno.readTextFile(`${ROBOT}${e.name}`);
      for (const line of text.split("\n")) {
        if (!/\bmake(?:\.cross)? /.test(line)) continue;
        const after = line.slice(line.search(/\bmake(?:\.cross)? /));
        for (const m of after.matchAll(/\b([A-Z_]+)=('[^']*'|\S+)/g)) {
          seen.add(`${m[1]}=${m[2]!.replace(/^'(.*)'$/, "$1")}`);
        }
      }
    }
    assert(seen.size > 5, [...seen].join(" "));
    for (const word of seen) {
      const name = word.slice(0, word.indexOf("="));
      if (["O", "ARCH"].includes(name)) continue; // kcross's own
      assertEquals(makeWordProblem(word), null, word);
    }
  });
  await t.step("typical words", () => {
    for (
      const w of [
        "W=1",
        "W=12e",
        "C=2",
        "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__ -fmax-errors=unlimited",
        "KCFLAGS=-Wno-error -O2 -march=armv8-a",
        "SHELL=/bin/bash",
        "LLVM=1",
        "LLVM=-17",
        "LLVM_IAS=0",
        "SUBARCH=i386",
        "drivers/vfio/",
        "drivers/net/ethernet/intel/ice/ice_main.o",
        "vmlinux",
        "olddefconfig",
        "dtbs_check",
      ]
    ) assertEquals(makeWordProblem(w), null, w);
  });
});

Deno.test("makeWordProblem() refuses what makes make run something", () => {
  for (
    const [word, why] of [
      ["CF=$(shell touch /tmp/x)", /"\$"/],
      ["CF=`id`", /"\$" or "`"/],
      ["CF=-D; touch /tmp/x", /CF takes/],
      ["KCFLAGS=-fplugin=/tmp/evil.so", /KCFLAGS takes/],
      ["KCFLAGS=-wrapper /tmp/evil", /KCFLAGS takes/],
      ["KCFLAGS=-B/tmp/evil", /KCFLAGS takes/],
      ["SHELL=/tmp/evil.sh", /standard shell/],
      ["SHELL=bash", /standard shell/],
      ["LLVM=/tmp/evil/", /LLVM takes/],
      ["CHECK=/tmp/evil", /not a variable kcross passes on/],
      ["MAKEFLAGS=-f/tmp/x", /not a variable/],
      ["O=/etc", /not a variable/],
      ["X!=touch /tmp/x", /plain NAME=value/],
      ["X:=1", /plain NAME=value/],
      ["-f", /make options/],
      ["--eval=$(shell id)", /make options/],
      ["-I/tmp", /make options/],
      ["-C", /make options/],
      ["drivers/../../tmp/evil/", /"\.\."/],
      ["../tmp/evil/", /relative path/],
      ["/tmp/evil/", /relative path/],
      ["a b", /relative path/],
      ["W=1\nX=2", /newline/],
      ["x".repeat(300), /longer than/],
      // Goals that install outside the build dir (/boot, /lib/modules, $HOME).
      ["install", /install/],
      ["modules_install", /install/],
      ["zinstall", /install/],
      ["dtbs_install", /install/],
      ["tools/perf_install", /install/],
      ["kselftest-install", /install/],
      // Flags handed on to the preprocessor, assembler or linker.
      ["KCFLAGS=-Wl,-plugin,evil.so", /KCFLAGS takes/],
      ["CF=-Wp,-MD,..", /CF takes/],
      ["KCFLAGS=-Wa,-adhln=x", /KCFLAGS takes/],
      // The red-team list: every one refused with a reason.
      ["KCFLAGS=$(shell rm -rf ~)", /"\$"/],
      ["W=1$(shell id)", /"\$"/],
      ["-f/etc/passwd", /make options/],
      ["--file=/etc/passwd", /make options/],
      ["--eval=all:;@id", /make options/],
      ["-C/", /make options/],
      ["--directory=/", /make options/],
      ["SHELL=/tmp/x", /standard shell/],
      ["CC=/tmp/evil-gcc", /not a variable/],
      ["LD=/tmp/evil-ld", /not a variable/],
      ["CROSS_COMPILE=/tmp/evil-", /not a variable/],
      ["HOSTCC=/tmp/evil", /HOSTCC takes/],
      ["W=1\rX=2", /newline/],
      ["W=1\0", /newline or NUL/],
      [`CF=${"-Wall ".repeat(1000)}`, /longer than|CF takes/],
    ] as const
  ) {
    const p = makeWordProblem(word);
    assert(p !== null, word);
    assertMatch(p, why, word);
  }
});

Deno.test("checkMakeWords() names the word and hints --trust-make-line; trust passes it", () => {
  let error: unknown;
  try {
    checkMakeWords(["W=1", "SHELL=/path/evil.sh"], { origin: "the report" });
  } catch (e) {
    error = e;
  }
  assert(error instanceof UserError);
  assertMatch(
    error.message,
    /^Refused make word "SHELL=\/path\/evil.sh" from the report: /,
  );
  assert(!error.message.includes("\n"));
  assertMatch(error.hint ?? "", /--trust-make-line/);
  assertEquals(
    checkMakeWords(["W=1", "SHELL=/path/evil.sh"], {
      origin: "the report",
      trust: true,
    }),
    ["SHELL=/path/evil.sh"],
  );
});

Deno.test("MAKE_VAR_RULES documents a value rule for every variable", () => {
  for (const [name, rule] of Object.entries(MAKE_VAR_RULES)) {
    assert(rule.values.length > 0, name);
  }
});

Deno.test("makeWordProblem() takes the kselftest subset as TARGETS= / SKIP_TARGETS= selftest dirs, nothing else", () => {
  for (
    const w of [
      "TARGETS=size",
      "TARGETS=size timers",
      "SKIP_TARGETS=bpf net/forwarding",
    ]
  ) {
    assertEquals(makeWordProblem(w), null, w);
  }
  for (
    const w of [
      "TARGETS=../../x",
      "TARGETS=$(shell id)",
      "TARGETS=size;id",
      "TARGETS=",
      "TARGETS=a  b",
    ]
  ) {
    assert(makeWordProblem(w) !== null, w);
  }
  assertMatch(
    makeWordProblem("TARGETS=../x") ?? "",
    /TARGETS takes selftest dirs/,
  );
});
