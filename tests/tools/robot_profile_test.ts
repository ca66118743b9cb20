import { assert, assertEquals } from "../_support/assert.ts";
import {
  candidates,
  chooseCells,
  configClass,
  covers,
  coversLoosely,
  greedyCover,
  type ReportSetup,
  setupOf,
} from "../../tools/robot_profile.ts";

const FIXTURES = new URL("../fixtures/robot-reports/", import.meta.url)
  .pathname;

function setup(p: Partial<ReportSetup>): ReportSetup {
  return {
    arch: "powerpc",
    configClass: "allmodconfig",
    configName: "powerpc-allmodconfig",
    family: "gcc",
    major: 12,
    w: 1,
    c: 0,
    year: 2024,
    ...p,
  };
}

Deno.test("configClass() sorts the robot's config names", () => {
  const cases: [string, string][] = [
    ["powerpc-allmodconfig", "allmodconfig"],
    ["arm64-allyesconfig", "allyesconfig"],
    ["mips-allnoconfig", "allnoconfig"],
    ["riscv-defconfig", "defconfig"],
    ["arm-multi_v7_defconfig", "board-defconfig"],
    ["x86_64-randconfig-r002-20231231", "randconfig"],
    ["i386-buildonly-randconfig-002-20240203", "randconfig"],
    ["x86_64-rhel-8.3-bpf", "distro"],
    ["mips-kismet-CONFIG_EARLY_PRINTK_8250-CONFIG_ECONET-0-0", "kismet"],
  ];
  for (const [name, want] of cases) assertEquals(configClass(name), want, name);
});

Deno.test("covers() is strict, coversLoosely() lets allmod/allyesconfig stand for randconfig", () => {
  const cell = {
    arch: "powerpc",
    config: "allmodconfig",
    family: "gcc" as const,
    w: 1,
    c: 0,
  };
  assert(covers(cell, setup({})));
  assert(!covers(cell, setup({ family: "clang" })));
  assert(!covers(cell, setup({ c: 1 })), "a sparse report needs a C=1 cell");
  assert(!covers(cell, setup({ configClass: "randconfig" })));
  assert(coversLoosely(cell, setup({ configClass: "randconfig" })));
  assert(!coversLoosely(cell, setup({ configClass: "allnoconfig" })));
});

Deno.test("greedyCover() takes the cell that covers most per unit of cost, and chooseCells() stops at the knee", () => {
  const setups = [
    ...Array.from({ length: 50 }, () => setup({})),
    ...Array.from(
      { length: 30 },
      () => setup({ arch: "arm64", configClass: "randconfig" }),
    ),
    ...Array.from({ length: 1 }, () => setup({ arch: "sh" })),
  ];
  const steps = greedyCover(setups, candidates(setups), coversLoosely, 10);
  assertEquals(steps[0]!.cell.arch, "powerpc");
  assertEquals(steps[0]!.cell.c, 0, "a C=1 twin costs more for nothing");
  assertEquals(steps[1]!.cell.arch, "arm64");
  assertEquals(steps.at(-1)!.covered, setups.length);
  assertEquals(
    chooseCells(steps, setups.length).length,
    2,
    "the lone sh report is below the knee",
  );
});

Deno.test("setupOf() reads a real robot mail and skips what is not a report", async () => {
  const body = await Deno.readTextFile(`${FIXTURES}/000.txt`);
  const mail =
    `From: kernel test robot <lkp@intel.com>\nMessage-ID: <x@intel.com>\nDate: Tue, 1 Mar 2022 10:00:00 +0800\nSubject: [a:b] c\n\n${body}`;
  const got = setupOf(mail);
  assertEquals(got?.setup.arch, "powerpc");
  assertEquals(got?.setup.configClass, "allmodconfig");
  assertEquals(got?.setup.family, "gcc");
  assertEquals(got?.setup.major, 11);
  assertEquals(got?.setup.year, 2022);
  assertEquals(setupOf(`From: someone <a@b>\n\n${body}`), null);
});
