/**
 * 2019 sparse reports name their config only on an earlier make line
 * (`make ARCH=x86_64 allmodconfig` then `make C=1 CF=…`): the plan
 * generates that target; the parse keeps its fields from the last line.
 */
import { parseReport } from "../../src/report/mod.ts";
import { describePlan } from "../../src/repro/describe_plan.ts";
import { planBuildSetup } from "../../src/repro/plan_repro.ts";
import { assert, assertEquals } from "../_support/assert.ts";

/** A minimal excerpt of a 2019 sparse report: no config: line. */
const SPARSE_2019 =
  `tree:   https://git.kernel.org/pub/scm/linux/kernel/git/next/linux-next.git master
head:   1e78030e5e5b2d8b2aa5b5d6a3d7f1d2b4f5e6a7
commit: 0b3b5e8c4d1f2a3b4c5d6e7f8091a2b3c4d5e6f7 [3/9] net: some change
reproduce:
        # apt-get install sparse
        # sparse version: v0.6.1-rc1-7-g2b96cd8-dirty
        git checkout 0b3b5e8c4d1f2a3b4c5d6e7f8091a2b3c4d5e6f7
        make ARCH=x86_64 allmodconfig
        make C=1 CF='-fdiagnostic-prefix -D__CHECK_ENDIAN__'

If you fix the issue, kindly add following tag
Reported-by: kbuild test robot <lkp@intel.com>


sparse warnings: (new ones prefixed by >>)

>> net/core/dev.c:10:5: sparse: sparse: symbol 'x' was not declared. Should it be static?
`;

Deno.test("a config target on an earlier make line is the config to generate", () => {
  const report = parseReport(SPARSE_2019);
  // the parse is unchanged: fields from the last line, every line kept
  assertEquals(report.config_name, null);
  assertEquals(report.make_args, [
    "C=1",
    "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__",
  ]);
  assertEquals(report.make_invocations.length, 2);
  const setup = planBuildSetup(report);
  assertEquals(setup.arch, "x86_64");
  assertEquals(setup.config.kind, "target");
  if (setup.config.kind !== "target") return;
  assertEquals(setup.config.target, "allmodconfig");
  assertEquals(setup.config.name, "x86_64-allmodconfig");
  assertEquals(setup.config.werror.mode, "off");
  assert(setup.notes.some((n) => n.includes("make ARCH=x86_64 allmodconfig")));
  const lines = describePlan(report).join("\n");
  assert(!lines.includes("none at hand"), lines);
  assert(lines.includes("x86_64-allmodconfig (make allmodconfig"), lines);
});

Deno.test("olddefconfig and randconfig on an earlier line are not a config to generate", () => {
  for (const goal of ["olddefconfig", "randconfig"]) {
    const report = parseReport(
      SPARSE_2019.replace("ARCH=x86_64 allmodconfig", `ARCH=x86_64 ${goal}`),
    );
    assertEquals(planBuildSetup(report).config.kind, "missing", goal);
  }
});

Deno.test("a config line's regenerable name still wins over an earlier make line", () => {
  const report = parseReport(
    SPARSE_2019.replace(
      "reproduce:",
      "config: x86_64-defconfig (attached as .config)\nreproduce:",
    ),
  );
  const c = planBuildSetup(report).config;
  assertEquals(c.kind === "target" ? c.target : c.kind, "defconfig");
});
