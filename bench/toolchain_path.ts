// deno-lint-ignore-file no-console -- a benchmark prints its measurements
/**
 * Benchmark: `kcross toolchain path <compiler> <arch>` on a cache hit, whole
 * process, target <= 100 ms. Measures the launcher as it is, the same with
 * the bash fast path (src/toolchain/fast_path.bash) sourced first, the plain
 * `deno run main.ts` slow path, and Deno's own startup floor.
 *
 * Run: deno run -A bench/toolchain_path.ts [runs]
 *
 * @module
 */
import { buildCrosstoolArchive } from "../tests/_support/mirror.ts";
import { runOk } from "./_support.ts";

const RUNS = Number(Deno.args[0] ?? 20);
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const KCROSS = `${ROOT}/kcross`;
const FAST = `${ROOT}/src/toolchain/fast_path.bash`;

async function run(
  argv: string[],
  env: Record<string, string>,
): Promise<string> {
  return (await runOk(argv, env)).trim();
}

async function time(
  argv: string[],
  env: Record<string, string>,
): Promise<number> {
  const t = performance.now();
  await run(argv, env);
  return performance.now() - t;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const cache = await Deno.makeTempDir({ prefix: "kcross-bench-path-" });
try {
  const env = {
    KCROSS_CACHE_DIR: cache,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  };
  const archive = await buildCrosstoolArchive(`${cache}/in`, {
    version: "12.2.0",
    triple: "powerpc-linux",
  });
  await run([KCROSS, "toolchain", "import", archive, "--quiet"], env);
  const args = ["toolchain", "path", "gcc-12.2.0", "powerpc"];
  const expect = await run([KCROSS, ...args], env); // also records the index
  const variants: [string, string[]][] = [
    ["kcross launcher (as committed)", [KCROSS, ...args]],
    ["launcher + fast_path.bash", [
      "bash",
      "-c",
      'source "$0" "$3" "$4"; exec "$1" "$2" path "$3" "$4"',
      FAST,
      KCROSS,
      "toolchain",
      "gcc-12.2.0",
      "powerpc",
    ]],
    ["deno run main.ts (slow path)", [
      Deno.execPath(),
      "run",
      "-A",
      "--quiet",
      `${ROOT}/main.ts`,
      ...args,
    ]],
    ["deno startup floor (deno eval 0)", [Deno.execPath(), "eval", "0"]],
    // The committed launcher runs npm's Node shim (tools/node_modules/.bin/deno
    // is a node script): this is that part of its cost on its own.
    ["node shim .bin/deno run main.ts", [
      `${ROOT}/tools/node_modules/.bin/deno`,
      "run",
      "-A",
      "--quiet",
      `${ROOT}/main.ts`,
      ...args,
    ]],
  ];
  for (const [, argv] of variants.slice(0, 2)) {
    const got = await run(argv, env);
    if (got !== expect) {
      throw new Error(`variant printed ${got}, expected ${expect}`);
    }
  }
  const times = variants.map(() => [] as number[]);
  for (let i = 0; i < RUNS; i++) {
    for (const [j, [, argv]] of variants.entries()) {
      times[j]!.push(await time(argv, env));
    }
  }
  console.log(
    `kcross ${
      args.join(" ")
    } on a cache hit, ${RUNS} interleaved runs (median ms):`,
  );
  for (const [j, [label]] of variants.entries()) {
    console.log(`  ${label.padEnd(34)} ${median(times[j]!).toFixed(1)} ms`);
  }
  const fast = median(times[1]!);
  console.log(
    `fast path vs target 100 ms: ${(fast / 100).toFixed(3)}x; vs slow path: ${
      (fast / median(times[2]!)).toFixed(3)
    }x`,
  );
} finally {
  await Deno.remove(cache, { recursive: true });
}
