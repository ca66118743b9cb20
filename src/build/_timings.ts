/**
 * Phase timings of one build for `KCROSS_TIMINGS=1`: how long the process
 * took to start (launcher, Deno, module loading), planning by part, the
 * record, the config step, make, the empty-target check and the finish.
 *
 * @module
 */

/**
 * Milliseconds since this process was started (exec of the launcher, which
 * `exec`s Deno under the same pid), from `/proc/self/stat` and
 * `/proc/uptime`: 10 ms resolution; null where /proc is not Linux's.
 */
export function msSinceProcessStart(): number | null {
  try {
    const stat = Deno.readTextFileSync("/proc/self/stat");
    // Field 22 (starttime, clock ticks after boot); fields after the
    // parenthesised command name, which may itself hold spaces.
    const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(after[19]);
    const uptime = Number(Deno.readTextFileSync("/proc/uptime").split(" ")[0]);
    if (!Number.isFinite(ticks) || !Number.isFinite(uptime)) return null;
    // USER_HZ is 100 on every Linux ABI kcross runs on.
    return Math.max(0, Math.round(uptime * 1000 - ticks * 10));
  } catch {
    return null;
  }
}

/**
 * CPU milliseconds (user + system) this process has used so far, launcher
 * included (it `exec`s Deno in the same process); make and the compilers are
 * children and not counted. From `/proc/self/stat` (10 ms resolution; not
 * `node:process`, whose compat layer alone costs ~25 ms of CPU to load);
 * null where /proc is not Linux's.
 */
export function ownCpuMs(): number | null {
  try {
    const stat = Deno.readTextFileSync("/proc/self/stat");
    const after = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(after[11]) + Number(after[12]); // utime + stime
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

const ORDER = [
  "start",
  "plan",
  "plan.kernelVersion",
  "plan.toolchain",
  "plan.kcflags",
  "plan.cpus",
  "fetch",
  "record",
  "config",
  "build",
  "artifacts",
  "check",
  "finish",
  "finish.diagnostics",
  "finish.host",
  "cpu",
  "cpu.start",
];

/**
 * The one-line summary `KCROSS_TIMINGS=1` prints.
 *
 * @example
 * ```ts
 * import { formatTimings } from "./_timings.ts";
 * const line = formatTimings({ start: 90.2, plan: 3.4, "plan.kcflags": 0.4, "plan.kcflagsCached": 1, build: 2700 });
 * if (line !== "kcross: timings (ms): start 90, plan 3 (kcflags 0 cached), make 2700") throw new Error(line);
 * ```
 */
export function formatTimings(t: Record<string, number>): string {
  const ms = (k: string) => Math.round(t[k]!).toString();
  const parts: string[] = [];
  for (const k of ORDER) {
    if (t[k] === undefined || k.includes(".")) continue;
    const subs = ORDER.filter((s) =>
      s.startsWith(`${k}.`) && t[s] !== undefined
    ).map((s) => {
      const name = s.slice(k.length + 1);
      const cached = s === "plan.kcflags" && t["plan.kcflagsCached"] === 1
        ? " cached"
        : "";
      return `${name} ${ms(s)}${cached}`;
    });
    const name = k === "build" ? "make" : k === "cpu" ? "kcross cpu" : k;
    parts.push(`${name} ${ms(k)}${subs.length ? ` (${subs.join(", ")})` : ""}`);
  }
  return `kcross: timings (ms): ${parts.join(", ")}`;
}
