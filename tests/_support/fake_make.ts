/**
 * A small fake `ProcessRunner` for orchestrator unit tests: it answers
 * `make` (config goals write a `.config`, other goals print what the test
 * says) and the cross compiler's KCFLAGS probe, and lets every other
 * command (git, getconf, tool versions) run for real. With
 * `buildContext({ proc })` the real builder, planner and record writer run
 * on top of it, so a test sees real build records without a compiler.
 *
 * @module
 */
import {
  type ProcessRunner,
  realProcessRunner,
} from "../../src/proc/process_runner.ts";
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";
import { installGccShim } from "./shims.ts";

/** One make call the fake answered. */
export interface MakeCall {
  argv: string[];
  cwd: string;
  /** Its `O=` directory (the cwd when none). */
  outDir: string;
  /** The goals: words that are neither options nor assignments. */
  goals: string[];
  /** The environment it was given. */
  env: Record<string, string>;
}

/** How the fake make behaves. */
export interface FakeMakeOptions {
  /** The `.config` a config goal writes (default empty). */
  config?: (call: MakeCall) => string;
  /** A config goal's exit code (default 0). */
  configCode?: number;
  /** What a build call prints (one diagnostic a line) and its exit code. */
  build?: (call: MakeCall) => Promise<{ lines: string[]; code: number }>;
}

/** The fake runner and what it saw. */
export interface FakeMake {
  proc: ProcessRunner;
  /** Every make call, in order. */
  calls: MakeCall[];
  /** The argv of every short command started through `proc` (git, probes). */
  captured: string[][];
  /** Only the build calls (not config goals). */
  builds(): MakeCall[];
}

const isConfigGoal = (g: string) => /config$/.test(g);

/** A fake make (see the module doc). */
export function fakeMake(options: FakeMakeOptions = {}): FakeMake {
  const calls: MakeCall[] = [];
  const captured: string[][] = [];
  const proc: ProcessRunner = {
    async run(argv, o) {
      if (argv[0] !== "make") return await realProcessRunner.run(argv, o);
      const cwd = o.cwd ?? Deno.cwd();
      const words = argv.slice(1);
      const o_ = words.find((w) => w.startsWith("O="))?.slice(2);
      const outDir = o_ === undefined
        ? cwd
        : o_.startsWith("/")
        ? o_
        : `${cwd}/${o_}`;
      const call: MakeCall = {
        argv,
        cwd,
        outDir,
        goals: words.filter((w) => !w.startsWith("-") && !w.includes("=")),
        env: { ...o.env },
      };
      calls.push(call);
      let lines: string[] = [];
      let code = 0;
      if (call.goals.length && call.goals.every(isConfigGoal)) {
        await Deno.mkdir(outDir, { recursive: true });
        await Deno.writeTextFile(
          `${outDir}/.config`,
          options.config?.(call) ?? "",
        );
        code = options.configCode ?? 0;
        if (code) lines = [`make: *** [${call.goals.at(-1)}] Error ${code}`];
      } else if (options.build) {
        ({ lines, code } = await options.build(call));
      }
      for (const line of lines) {
        o.onChunk?.(new TextEncoder().encode(`${line}\n`));
        o.onLine?.(line);
      }
      return { code, signal: null, interrupted: false };
    },
    async capture(argv, o) {
      captured.push(argv);
      // the KCFLAGS probe of a compiler that is not there: every flag passes
      if (/(gcc|clang)(-[0-9.]+)?$/.test(argv[0] ?? "")) {
        return { code: 0, success: true, signal: null, stdout: "", stderr: "" };
      }
      return await realProcessRunner.capture(argv, o);
    },
  };
  return {
    proc,
    calls,
    captured,
    builds: () =>
      calls.filter((c) => !c.goals.every(isConfigGoal) || !c.goals.length),
  };
}

/** A top Makefile that is enough for the builder's kernel-version fact. */
export const KERNEL_MAKEFILE =
  "VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 0\nEXTRAVERSION =\n";

/**
 * A crosstool gcc 11.2.0 shim for powerpc-linux under `dir`, as the
 * toolchain resolver would return it.
 */
export async function shimToolchain(dir: string): Promise<ResolvedToolchain> {
  const gcc = await installGccShim(dir, "11.2.0", "powerpc-linux");
  const binDir = gcc.slice(0, gcc.lastIndexOf("/"));
  return {
    id: "gcc-11.2.0-nolibc/powerpc-linux",
    family: "gcc",
    requested: "gcc-11.2.0",
    version: "11.2.0",
    provider: "crosstool",
    exact: true,
    triple: "powerpc-linux",
    binDir,
    crossCompile: `${binDir}/powerpc-linux-`,
  };
}
