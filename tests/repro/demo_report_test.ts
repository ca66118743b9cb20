import { demoReport } from "../../src/repro/demo_report.ts";
import { parseReport } from "../../src/report/mod.ts";
import { planReproduction } from "../../src/repro/plan_repro.ts";
import { assertEquals } from "../_support/assert.ts";

const input = {
  treeUrl: "/var/lib/kcross/demo/linux.git",
  branch: "master",
  head: "1".repeat(40),
  commit: "1".repeat(40),
  subject: "vfio: Define device migration protocol v2",
  compiler: "powerpc64-linux-gnu-gcc (Debian 12.2.0-13) 12.2.0",
  vfioH:
    "/* x */\n#define VFIO_DEVICE_STATE_STOP (0)\nenum vfio_device_mig_state {\n",
  vfioMainC:
    "a\nb\n\t\t\t[VFIO_DEVICE_STATE_STOP_COPY] = VFIO_DEVICE_STATE_STOP_COPY,\n",
  fslMcIntrC: "static int f(void)\n{\n\tint ret, hwirq;\n",
};

Deno.test("demoReport() writes a report the parser reads back as the robot's", () => {
  const r = parseReport(demoReport(input));
  assertEquals(r.report_type, "branch");
  assertEquals(r.tree_url, input.treeUrl);
  assertEquals(r.branch, "master");
  assertEquals(r.commit, input.commit);
  assertEquals(r.config_name, "powerpc-allmodconfig");
  assertEquals(r.compiler?.raw, input.compiler);
  assertEquals(r.w, 1);
  assertEquals(r.targets, ["drivers/vfio/"]);
  assertEquals(
    r.diagnostics.map((d) => [d.file, d.line, d.column, d.new]),
    [
      ["include/uapi/linux/vfio.h", 2, 32, true],
      ["drivers/vfio/vfio_main.c", 3, 26, true],
      ["drivers/vfio/vfio_main.c", 3, 26, true],
      ["drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c", 3, 18, false],
    ],
  );
  const plan = planReproduction(r);
  assertEquals(plan.compiler?.triple, "powerpc64-linux");
  assertEquals(plan.compiler?.distro, "Debian 12.2.0-13");
  assertEquals(plan.makeVars, ["W=1", "SHELL=/bin/bash"]);
  assertEquals(plan.config.kind, "target");
  // built as the robot builds allmodconfig: CONFIG_WERROR off, so the old
  // W=1 line is the warning the report prints
  assertEquals(plan.config.werror.mode, "off");
  const old = r.diagnostics.find((d) => !d.new)!;
  assertEquals(old.severity, "warning");
  assertEquals(
    old.message,
    "variable 'hwirq' set but not used [-Wunused-but-set-variable]",
  );
});
