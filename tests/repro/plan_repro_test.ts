import {
  planReproduction as planRepro,
  targetsFromDiagnostics,
} from "../../src/repro/plan_repro.ts";
import {
  compilerPlan,
  tripleOfCompiler,
} from "../../src/repro/plan_compiler.ts";
import { splitConfigName } from "../../src/repro/plan_config.ts";
import type { ReportFields } from "../../src/repro/types.ts";
import { UserError } from "../../src/errors.ts";
import {
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../_support/assert.ts";

const dir = new URL("./fixtures/", import.meta.url);

/** A real report's expected parse (shared/robot-reports), as the parser returns it. */
function fixture(n: string): ReportFields {
  return JSON.parse(Deno.readTextFileSync(new URL(`${n}.json`, dir)));
}

Deno.test("planRepro() maps the seed report to commit, config, compiler triple, W=1 and its targets", () => {
  const plan = planRepro(fixture("000"));
  assertEquals(plan.source, {
    commit: "755823a03dd267576194ffe22f6640eca356dfdf",
    fetchUrl: "https://github.com/jgunthorpe/linux",
    fetchRef: "for-yishai",
    head: "578832b9b1266b9c2fa0205513bd7570867bf3e5",
    commitFrom: "report",
  });
  assertEquals(plan.arch, "powerpc");
  // the archive truncated the config URL: regenerate from the name, and say so
  assertEquals(plan.config, {
    kind: "target",
    target: "allmodconfig",
    name: "powerpc-allmodconfig",
    werror: {
      mode: "off",
      from: "robot policy",
      why:
        "the robot builds allmodconfig with CONFIG_WERROR off (its reports print W=1 diagnostics as warnings)",
    },
  });
  assertStringIncludes(plan.notes.join("\n"), "truncated");
  assertEquals(plan.compiler?.request, "gcc-11.2.0");
  assertEquals(plan.compiler?.triple, "powerpc-linux");
  assertEquals(plan.makeVars, ["SHELL=/bin/bash", "W=1"]);
  assertEquals(plan.targets, ["drivers/vfio/"]);
  assertEquals(plan.targetsFrom, "report");
  assertEquals(plan.reported.filter((d) => d.new).length, 4);
});

Deno.test("planRepro() uses a config URL, C=1 and CF= as reported", () => {
  const report = fixture("000");
  report.config_url = "https://download.01.org/0day-ci/archive/x/config.gz";
  report.make_args = [
    "C=1",
    "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__",
    "O=build_dir",
    "ARCH=powerpc",
    "arch/powerpc/mm/nohash/",
  ];
  report.w = null;
  report.c = 1;
  const plan = planRepro(report);
  assertEquals(plan.config.kind, "url");
  if (plan.config.kind !== "url") throw new Error();
  assertEquals(
    plan.config.url,
    "https://download.01.org/0day-ci/archive/x/config.gz",
  );
  // the robot's file says what it used; the name is the fallback
  assertEquals(plan.config.werror.mode, "keep");
  assertEquals(plan.config.fallback?.target, "allmodconfig");
  assertEquals(plan.config.fallback?.werror.mode, "off");
  assertEquals(plan.makeVars, [
    "C=1",
    "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__",
  ]);
  assertEquals(plan.targets, ["arch/powerpc/mm/nohash/"]);
});

Deno.test("planRepro() takes make args from the reproduce file when the report has none", () => {
  const plan = planRepro(fixture("040"), { commit: "ec214c291e29" });
  assertEquals(plan.source.commit, "ec214c291e29");
  assertEquals(plan.source.commitFrom, "--commit");
  assertEquals(plan.targets, ["arch/x86/kernel/cpu/"]);
  assertEquals(plan.targetsFrom, "reproduce file");
  assertEquals(plan.makeVars, [
    "W=1",
    "C=1",
    "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__ -fmax-errors=unlimited -fmax-warnings=unlimited",
    "SHELL=/bin/bash",
  ]);
  assertEquals(plan.compiler?.distro, "Debian 12.2.0-14");
  assertEquals(plan.compiler?.triple, null);
});

Deno.test("planRepro() falls back to the directories of the diagnostics", () => {
  const plan = planRepro(fixture("029"), { commit: "abc1234" });
  assertEquals(plan.targets, ["net/smc/"]);
  assertEquals(plan.targetsFrom, "diagnostics");
  assertEquals(plan.makeVars, ["W=1"]);
  assertEquals(plan.compiler?.family, "clang");
  assertEquals(plan.compiler?.request, "clang-17.0.6");
});

Deno.test("planRepro() explains b4 shazam for a patch report without a commit", () => {
  const e = assertThrows(() => planRepro(fixture("047")), UserError);
  assertStringIncludes(e.message, "patch report");
  assertStringIncludes(e.hint ?? "", "b4 shazam https://lore.kernel.org/r/");
  assertStringIncludes(e.hint ?? "", "--commit");
  assertStringIncludes(e.hint ?? "", "features"); // the base branch
  // the reproduce file's checkout is the base, never the patched commit
  assertThrows(() => planRepro(fixture("044")), UserError, "patch report");
  const ok = planRepro(fixture("047"), { commit: "deadbeef" });
  assertEquals(ok.compiler?.triple, "s390-linux");
  assertEquals(ok.config.kind, "url");
});

Deno.test("planRepro() refuses a randconfig without its file and says where it is published", () => {
  const e = assertThrows(() => planRepro(fixture("007")), UserError);
  assertStringIncludes(e.message, "random config");
  assertStringIncludes(e.hint ?? "", "download.01.org/0day-ci/archive");
  assertStringIncludes(e.hint ?? "", "--config FILE");
  const attached = assertThrows(
    () => planRepro(fixture("007"), { configAttached: true }),
    UserError,
  );
  assertStringIncludes(attached.hint ?? "", "attachment");
  const withFile = planRepro(fixture("007"), {
    configFile: { path: "/tmp/c", from: "--config" },
  });
  assertEquals(withFile.config, {
    kind: "file",
    path: "/tmp/c",
    from: "--config",
    werror: {
      mode: "keep",
      from: "robot policy",
      why: "CONFIG_WERROR as the robot's config file has it",
    },
  });
  // lkp's own configs cannot be regenerated either
  assertThrows(() => planRepro(fixture("004")), UserError, "x86_64-rhel-7.2");
});

Deno.test("planRepro() records a missing attached config as a setup difference", () => {
  const report = fixture("000");
  report.config_url = null;
  const plan = planRepro(report, { configAttached: true });
  assertEquals(plan.config.kind, "target");
  assertStringIncludes(plan.differences.join("\n"), "attached config missing");
});

Deno.test("planRepro() applies --werror over the robot's policy", () => {
  const keep = planRepro(fixture("000"), { werror: "keep" });
  assertEquals(keep.config.werror.mode, "keep");
  assertEquals(keep.config.werror.from, "--werror");
  const report = fixture("000");
  report.config_name = "riscv-defconfig";
  report.arch = "riscv";
  // make defconfig leaves CONFIG_WERROR off already: built as make gives it
  assertEquals(planRepro(report).config.werror.mode, "keep");
  report.config_name = "arm64-allyesconfig";
  report.arch = "arm64";
  assertEquals(planRepro(report).config.werror.mode, "off");
});

Deno.test("planRepro() adds the robot's sparse CF= to a C=1 build that names none", () => {
  const plan = planRepro(fixture("029"), { commit: "abc1234" });
  assertEquals(plan.makeVars.includes("C=1"), false);
  const report = fixture("029");
  report.c = 1;
  const sparse = planRepro(report, { commit: "abc1234" });
  assertEquals(sparse.makeVars, [
    "W=1",
    "C=1",
    "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__",
  ]);
});

Deno.test("planRepro() needs an arch and a commit", () => {
  const report = fixture("000");
  report.arch = null;
  report.config_name = null;
  report.make_invocations = [];
  assertThrows(() => planRepro(report), UserError, "architecture");
  const noCommit = fixture("000");
  noCommit.commit = null;
  noCommit.head = null;
  assertThrows(() => planRepro(noCommit), UserError, "no commit");
});

Deno.test("compilerPlan() reads versions, distro builds and triples from compiler lines", async (t) => {
  await t.step("crosstool gcc", () => {
    assertEquals(
      compilerPlan({
        name: "gcc",
        version: "11.2.0",
        raw: "powerpc64-linux-gcc (GCC) 11.2.0",
      })?.triple,
      "powerpc64-linux",
    );
  });
  await t.step("Debian cross gcc maps to the crosstool triple", () => {
    const c = compilerPlan({
      name: "gcc",
      version: "7.2.0",
      raw: "mips-linux-gnu-gcc (Debian 7.2.0-11) 7.2.0",
    });
    assertEquals(c?.triple, "mips-linux");
    assertEquals(c?.distro, "Debian 7.2.0-11");
    assertEquals(c?.request, "gcc-7.2.0");
  });
  await t.step("host gcc has no triple", () => {
    assertEquals(tripleOfCompiler("gcc-11 (Debian 11.3.0-3) 11.3.0"), null);
  });
  await t.step("a released clang is asked for exactly", () => {
    assertEquals(
      compilerPlan({
        name: "clang",
        version: "15.0.7",
        raw: "clang version 15.0.7",
      })
        ?.request,
      "clang-15.0.7",
    );
  });
  await t.step("a distro clang is served by the system provider", () => {
    assertEquals(
      compilerPlan({
        name: "clang",
        version: "14.0.6",
        raw: "Debian clang version 14.0.6",
      })?.distro,
      "Debian",
    );
    assertEquals(
      compilerPlan({
        name: "clang",
        version: "17.0.6",
        raw:
          "ClangBuiltLinux clang version 17.0.6 (https://github.com/llvm/llvm-project 6009708b)",
      })?.distro,
      null,
    );
  });
  await t.step("Ubuntu gcc is a distro build, (GCC) a crosstool one", () => {
    assertEquals(
      compilerPlan({
        name: "gcc",
        version: "7.5.0",
        raw: "gcc-7 (Ubuntu 7.5.0-6ubuntu2) 7.5.0",
      })?.distro,
      "Ubuntu 7.5.0-6ubuntu2",
    );
    assertEquals(
      compilerPlan({
        name: "gcc",
        version: "13.2.0",
        raw: "arc-elf-gcc (GCC) 13.2.0",
      })?.distro,
      null,
    );
  });
  await t.step("without a compiler: line, the make line's COMPILER=", () => {
    assertEquals(compilerPlan(null, "gcc-12.1.0")?.request, "gcc-12.1.0");
    assertEquals(compilerPlan(null, "$(evil)"), null);
  });
  await t.step("unreleased clang asks for its major", () => {
    assertEquals(
      compilerPlan({
        name: "clang",
        version: "20.0.0git",
        raw: "clang version 20.0.0git (https://github.com/llvm/llvm-project x)",
      })?.request,
      "clang-20",
    );
  });
  await t.step("no compiler line", () => {
    assertEquals(compilerPlan(null), null);
  });
});

Deno.test("splitConfigName() separates ARCH from the config target", () => {
  assertEquals(splitConfigName("powerpc-allmodconfig"), {
    arch: "powerpc",
    target: "allmodconfig",
    random: false,
  });
  assertEquals(splitConfigName("x86_64-defconfig").target, "defconfig");
  assertEquals(splitConfigName("um-i386_defconfig"), {
    arch: "um",
    target: "i386_defconfig",
    random: false,
  });
  assertEquals(splitConfigName("s390-randconfig-r012-20200813").random, true);
  assertEquals(splitConfigName("x86_64-rhel-8.3").target, null);
});

Deno.test("targetsFromDiagnostics() skips headers and nested directories", () => {
  const d = (file: string) => ({
    file,
    line: 1,
    column: 1,
    severity: "error",
    message: "m",
    new: true,
  });
  assertEquals(
    targetsFromDiagnostics([
      d("include/linux/x.h"),
      d("fs/ext4/a.c"),
      d("fs/ext4/sub/b.c"),
      d("arch/x86/entry/c.S"),
    ]),
    ["arch/x86/entry/", "fs/ext4/"],
  );
  assertEquals(targetsFromDiagnostics([d("include/linux/x.h")]), []);
});
