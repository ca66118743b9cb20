import { formatVerify } from "../../src/verify/format_verify.ts";
import type { VerifyResult } from "../../src/verify/run_verify.ts";
import { assert, assertEquals } from "../_support/assert.ts";

function result(over: Partial<VerifyResult> = {}): VerifyResult {
  return {
    verdict: "fixed",
    basis: "new",
    rows: [{
      status: "gone",
      new: true,
      file: "include/uapi/linux/vfio.h",
      line: 984,
      column: 32,
      severity: "error",
      message: "expected identifier before '(' token",
      seenAtReport: true,
    }, {
      status: "still there",
      new: false,
      file: "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
      line: 122,
      column: 20,
      severity: "warning",
      message: "variable 'hwirq' set but not used [-Wunused-but-set-variable]",
      seenAtReport: true,
    }],
    introduced: [],
    notes: [],
    trailers: [
      "Reported-by: kernel test robot <lkp@intel.com>",
      "Closes: https://lore.kernel.org/oe-kbuild-all/202201221146.IDixXFOw-lkp@intel.com/",
    ],
    trailersMissing: [
      "Closes: https://lore.kernel.org/oe-kbuild-all/202201221146.IDixXFOw-lkp@intel.com/",
    ],
    fix: {
      commit: "bb7a8a472ee3aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      recordDir: "/s/builds/2",
      from: "built",
      subject: "vfio: Remove the VFIO_DEVICE_STATE_STOP macro",
    },
    report: {
      commit: "8b281ff960a9aaaaaaaaaaaaaaaaaaaaaaaaaaaa",
      recordDir: "/s/builds/1",
      from: "record",
    },
    arch: "powerpc",
    config: "powerpc-allmodconfig (make allmodconfig, CONFIG_WERROR off)",
    toolchain: "system/powerpc64-linux-gnu-gcc-12 12.2.0",
    targets: ["drivers/vfio/"],
    makeVars: ["W=1"],
    differences: [],
    plan: {} as VerifyResult["plan"],
    ...over,
  };
}

Deno.test("formatVerify() prints each reported line's fate, the builds compared, the verdict, then the trailers and what the commit lacks", () => {
  const lines = formatVerify(result());
  const text = lines.join("\n");
  assert(
    /^gone +>> include\/uapi\/linux\/vfio\.h:984:32: error: expected/m.test(
      text,
    ),
    text,
  );
  assert(/^still there + {3}drivers\/vfio\/fsl-mc/m.test(text), text);
  assert(text.includes("report's commit: 8b281ff960a9 (its build record:"));
  const v = lines.indexOf("verdict: fixed");
  assert(v > 0, text);
  assertEquals(lines.slice(v + 2, v + 5), [
    "add to the fix's commit message, as the report asks:",
    "Reported-by: kernel test robot <lkp@intel.com>",
    "Closes: https://lore.kernel.org/oe-kbuild-all/202201221146.IDixXFOw-lkp@intel.com/",
  ]);
  assert(lines.at(-1)!.includes("lacks: Closes:"), lines.at(-1));
});

Deno.test("formatVerify() prints no trailers unless fixed, and lists what the fix introduced", () => {
  const lines = formatVerify(result({
    verdict: "fixed-with-new-diagnostics",
    introduced: [{
      tool: "compiler",
      file: "drivers/vfio/vfio_main.c",
      line: 12,
      column: 5,
      severity: "warning",
      message: "unused variable 'x' [-Wunused-variable]",
      flag: "-Wunused-variable",
      count: 1,
      objects: [],
    }],
  }));
  assertEquals(lines.at(-1), "verdict: fixed-with-new-diagnostics");
  assert(!lines.some((l) => l.startsWith("Reported-by:")));
  assert(
    lines.includes(
      ">> drivers/vfio/vfio_main.c:12:5: warning: unused variable 'x' [-Wunused-variable]",
    ),
    lines.join("\n"),
  );
});
