/**
 * Where the stages of a decompress pipeline run. The decompressor (xz -d) is
 * the one stage that needs a whole CPU; the others (the tee, tar -x, gpgv)
 * are woken by its writes, and Linux's wake-affine placement tends to put
 * them on the CPU that woke them, the decompressor's, while another CPU sits
 * idle. On an idle 2-CPU machine, xz alone on one CPU and the consumers on
 * the other made a signed install 0.1–1.2 s faster over 6.5 s rounds (six
 * `taskset` rounds by hand, 2026-12-04; see docs/toolchains.md).
 *
 * So, when at least two CPUs are allowed to this process and the machine is
 * otherwise idle right now (a busy one is left to the scheduler: a pinned xz
 * could not move off a CPU a compile wants), the decompressor is pinned to
 * one allowed CPU and the consumers to the others, with `taskset` (util-linux).
 * `KCROSS_NO_PIN=1` turns it off.
 *
 * @module
 */
import { findExecutable } from "./find_executable.ts";

/** The CPU lists of each side (`taskset -c` syntax), or null: no pinning. */
export interface StagePlacement {
  /** For the decompressor. */
  source: string;
  /** For every other stage. */
  consumers: string;
}

/**
 * Parses a kernel CPU list (`0-3,8,10-11`) into CPU numbers.
 *
 * @example
 * ```ts
 * import { parseCpuList } from "./stage_cpus.ts";
 * if (parseCpuList("0-2,5").join() !== "0,1,2,5") throw new Error();
 * if (parseCpuList("x").length !== 0) throw new Error();
 * ```
 */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.trim().split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return [];
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi - lo > 4096) return [];
    for (let c = lo; c <= hi; c++) out.push(c);
  }
  return out;
}

/**
 * The placement for `allowed` CPUs with `othersRunning` runnable tasks
 * besides this process: the last allowed CPU for the decompressor, the rest
 * for the consumers; null with fewer than two CPUs or when another task
 * wants one of them.
 *
 * @example
 * ```ts
 * import { placeStages } from "./stage_cpus.ts";
 * const p = placeStages([0, 1], 0);
 * if (p?.source !== "1" || p.consumers !== "0") throw new Error();
 * if (placeStages([0, 1], 1) !== null || placeStages([3], 0) !== null) throw new Error();
 * ```
 */
export function placeStages(
  allowed: readonly number[],
  othersRunning: number,
): StagePlacement | null {
  if (allowed.length < 2 || othersRunning > allowed.length - 2) return null;
  return {
    source: String(allowed.at(-1)),
    consumers: allowed.slice(0, -1).join(","),
  };
}

function readOrEmpty(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch {
    return "";
  }
}

/**
 * This machine's placement now (null: leave it to the scheduler): the CPUs
 * in this process's affinity mask (`/proc/self/status`), the runnable tasks
 * (`/proc/stat`'s `procs_running`, less this one), and `taskset` on `path`.
 */
export function currentPlacement(path: string): StagePlacement | null {
  if (Deno.build.os !== "linux" || Deno.env.get("KCROSS_NO_PIN") === "1") {
    return null;
  }
  const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(
    readOrEmpty("/proc/self/status"),
  )?.[1];
  const running = /^procs_running\s+(\d+)/m.exec(readOrEmpty("/proc/stat"))
    ?.[1];
  if (list === undefined || running === undefined) return null;
  const placement = placeStages(
    parseCpuList(list),
    Math.max(0, Number(running) - 1),
  );
  return placement && findExecutable("taskset", path) ? placement : null;
}

/** `argv` run on `cpus` (`taskset -c`), or as it is without a placement. */
export function onCpus(argv: string[], cpus: string | undefined): string[] {
  return cpus === undefined ? argv : ["taskset", "-c", cpus, ...argv];
}
