/**
 * Diagnostic extraction throughput on a >= 200 MB synthetic build log made
 * of the real golden logs (tests/fixtures/logs/*.log), repeated with the
 * directory names varied so deduplication sees many distinct diagnostics.
 *
 * Prints MB/s for kcross's extractor and for a naive baseline (split into
 * lines, one regex per line), by wall-clock time and by this process's CPU
 * time (the honest figure on a shared, loaded machine), and the ratio of
 * kcross to the 200 MB/s target. Best of N runs after a warm-up run.
 *
 * Run: `deno run -A bench/diagnostics_throughput.ts [--mb 200] [--runs 3]`
 *
 * @module
 */
import process from "node:process";
import { extractDiagnostics } from "../src/diagnostics/mod.ts";

const TARGET_MB_S = 200;

function arg(name: string, fallback: number): number {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Number(Deno.args[i + 1]) : fallback;
}

function write(line: string): void {
  Deno.stdout.writeSync(new TextEncoder().encode(`${line}\n`));
}

/** Builds the synthetic log: real logs, copies renamed `vfio` → `vfioN`. */
function synthesize(minBytes: number): string {
  const dir = new URL("../tests/fixtures/logs/", import.meta.url).pathname;
  const logs = [...Deno.readDirSync(dir)]
    .filter((e) => e.name.endsWith(".log"))
    .map((e) => Deno.readTextFileSync(`${dir}${e.name}`));
  const parts: string[] = [];
  let size = 0;
  for (let copy = 0; size < minBytes; copy++) {
    for (const log of logs) {
      const varied = log
        .replaceAll("drivers/vfio", `drivers/vfio${copy % 500}`)
        .replaceAll("drivers/mcb", `drivers/mcb${copy % 500}`);
      parts.push(varied);
      size += varied.length;
    }
  }
  return parts.join("\n");
}

/** The obvious implementation: every line through one regex. */
function naive(log: string): number {
  const re =
    /^([^\s:][^:]*):(\d+):(?:(\d+):)? (fatal error|error|warning): (.*)$/;
  const seen = new Map<string, number>();
  for (const line of log.split("\n")) {
    const m = re.exec(line);
    if (m === null) continue;
    const key = `${m[1]}:${m[2]}:${m[3]}:${m[4]}:${m[5]}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen.size;
}

interface Timing<T> {
  /** Best wall-clock time, ms. */
  wall: number;
  /** Best CPU time (user + system) of this process, ms. */
  cpu: number;
  result: T;
}

/** Best of `runs` after one warm-up run (JIT), by wall and by CPU time. */
function time<T>(fn: () => T, runs: number): Timing<T> {
  let result = fn();
  let wall = Infinity;
  let cpu = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    result = fn();
    wall = Math.min(wall, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return { wall, cpu, result };
}

if (import.meta.main) {
  const mb = arg("mb", 200);
  const runs = arg("runs", 3);
  const log = synthesize(mb * 1e6);
  const bytes = log.length; // the logs are ASCII (LANG=C)
  const megabytes = bytes / 1e6;
  write(`synthetic log: ${megabytes.toFixed(1)} MB, ${runs} runs, best time`);

  const k = time(() => extractDiagnostics(log), runs);
  const n = time(() => naive(log), runs);
  const rate = (ms: number) => megabytes / (ms / 1000);
  const row = (name: string, t: Timing<unknown>, distinct: number) =>
    write(
      `${name.padEnd(36)} ${rate(t.wall).toFixed(0).padStart(5)} MB/s wall (${
        t.wall.toFixed(0)
      } ms), ${
        rate(t.cpu).toFixed(0).padStart(5)
      } MB/s cpu, ${distinct} distinct`,
    );
  row("baseline (split + regex per line)", n, n.result);
  row("kcross extractDiagnostics", k, k.result.length);
  write(`kcross / baseline: ${(n.wall / k.wall).toFixed(2)}x (wall)`);
  const kRate = rate(k.wall);
  write(
    `kcross / target (${TARGET_MB_S} MB/s): ${
      (kRate / TARGET_MB_S).toFixed(2)
    }x wall, ${(rate(k.cpu) / TARGET_MB_S).toFixed(2)}x cpu ${
      kRate >= TARGET_MB_S ? "(met)" : "(NOT met on wall time)"
    }`,
  );
  const load = Deno.loadavg()[0] ?? 0;
  write(
    `load average while measuring: ${
      load.toFixed(1)
    } on ${navigator.hardwareConcurrency} CPUs`,
  );
}
