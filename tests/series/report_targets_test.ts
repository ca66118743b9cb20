import { assertEquals } from "../_support/assert.ts";
import { parseReport } from "../../src/report/mod.ts";
import { reportTargets } from "../../src/series/report_targets.ts";

const SEED = new URL("../fixtures/robot-reports/000.txt", import.meta.url);

Deno.test("reportTargets() hunts the seed report's >> lines with its build options as defaults", async () => {
  const r = reportTargets(parseReport(await Deno.readTextFile(SEED)));
  assertEquals(
    r.targets.map((d) => `${d.file}:${d.line}: ${d.severity}: ${d.message}`),
    [
      "include/uapi/linux/vfio.h:608: error: expected identifier before '(' token",
      "drivers/vfio/vfio.c:1600: error: 'VFIO_DEVICE_STATE_STOP_COPY' undeclared (first use in this function); did you mean 'VFIO_DEVICE_STATE_STOP'?",
      "drivers/vfio/vfio.c:1600: error: array index in initializer not of integer type",
    ],
  );
  assertEquals(r.buildOptions, [
    "--arch",
    "powerpc",
    "--config",
    "allmodconfig",
    "--werror=off", // the robot's policy for allmodconfig, as repro plans it
    "--compiler",
    "gcc-11.2.0",
    "-W",
    "1",
  ]);
  assertEquals(r.buildTargets, ["drivers/vfio/"]);
});
