import {
  onCpus,
  parseCpuList,
  placeStages,
} from "../../src/proc/stage_cpus.ts";
import { runCaptured } from "../../src/proc/run_captured.ts";
import { assertEquals } from "../_support/assert.ts";

Deno.test("parseCpuList(): kernel CPU lists, and nothing for anything else", () => {
  assertEquals(parseCpuList("0"), [0]);
  assertEquals(parseCpuList("0-3,8,10-11\n"), [0, 1, 2, 3, 8, 10, 11]);
  for (const bad of ["", "a", "3-1", "0,,1", "0-99999", "-1"]) {
    assertEquals(parseCpuList(bad), [], bad);
  }
});

Deno.test("placeStages(): the decompressor alone on a CPU only when the others are free", () => {
  assertEquals(placeStages([0, 1], 0), { source: "1", consumers: "0" });
  assertEquals(placeStages([2, 5, 7], 1), { source: "7", consumers: "2,5" });
  // Another runnable task would share a CPU with a pinned xz: no pinning.
  assertEquals(placeStages([0, 1], 1), null);
  assertEquals(placeStages([2, 5, 7], 2), null);
  // One CPU (a container, `taskset -c 3 kcross …`): nothing to place.
  assertEquals(placeStages([3], 0), null);
});

Deno.test("onCpus(): the stage runs with that affinity (real taskset)", async () => {
  const argv = onCpus(["grep", "^Cpus_allowed_list", "/proc/self/status"], "0");
  const r = await runCaptured(argv);
  assertEquals(r.code, 0, r.stderr);
  assertEquals(r.stdout.trim().split(/\s+/).at(-1), "0");
  assertEquals(onCpus(["xz", "-dc"], undefined), ["xz", "-dc"]);
});
