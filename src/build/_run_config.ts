/**
 * The config step of a run: `runConfig()` with make's variables from the
 * plan, minus its goals, logging into `config.log`.
 *
 * @module
 */
import { shellLine } from "../util/shell_quote.ts";
import { type ConfigOutcome, runConfig } from "../config/run_config.ts";
import { fragmentCacheDir } from "../config/fragment_source.ts";
import { InterruptedError } from "../errors.ts";
import { realProcessRunner } from "../proc/process_runner.ts";
import type { LogSink } from "./_run_log.ts";
import type { PreparedMake } from "./_run_prepare.ts";
import type { RunBuildOptions } from "./outcome.ts";
import type { BuildPlan } from "./types.ts";

/**
 * Make variables that do not change what Kconfig produces (kselftest's
 * `TARGETS=`/`SKIP_TARGETS=` pick selftest dirs, not config).
 */
const NOT_CONFIG_VARS = new Set([
  "W",
  "C",
  "CF",
  "V",
  "KCFLAGS",
  "SHELL",
  "O",
  "TARGETS",
  "SKIP_TARGETS",
]);

/**
 * The `VAR=value` words of make's argv that change what Kconfig produces
 * (they go into the digest a reused `.config` must match).
 *
 * @example
 * ```ts
 * import { configDigestWords } from "./_run_config.ts";
 * const w = configDigestWords(["make", "ARCH=x86_64", "W=1", "TARGETS=size", "SKIP_TARGETS=bpf", "LLVM=1", "kselftest-all"]);
 * if (w.join(" ") !== "ARCH=x86_64 LLVM=1") throw new Error(w.join(" "));
 * ```
 */
export function configDigestWords(argv: readonly string[]): string[] {
  return argv.slice(1).filter((w) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(w);
    return m !== null && !NOT_CONFIG_VARS.has(m[1]!);
  });
}

/** make's argv for the build without its goals (config steps, phases). */
export function goalless(plan: BuildPlan, made: PreparedMake): string[] {
  return made.argv.filter((w, i) => i === 0 || !plan.targets.includes(w));
}

/** The config phase: make runs with the build's variables, minus its goals. */
export function configPhase(
  plan: BuildPlan,
  made: PreparedMake,
  log: LogSink,
  options: RunBuildOptions,
): Promise<ConfigOutcome> {
  const out = options.out;
  const configArgv = goalless(plan, made);
  return runConfig(plan.config, {
    srcTree: plan.srcTree,
    objDir: plan.outDir ?? plan.srcTree,
    arch: plan.arch,
    cwd: plan.cwd,
    digestExtra: [
      plan.toolchain ? `${plan.toolchain.id}@${plan.toolchain.version}` : "",
      ...configDigestWords(made.argv),
    ],
    note: (line) => {
      out.err(line);
      log.chunk(new TextEncoder().encode(`${line}\n`));
    },
    signal: options.signal,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    fragmentCache: fragmentCacheDir(),
    make: async (goals, extraEnv) => {
      const words = [...configArgv, ...goals];
      out.err(`kcross: ${shellLine(words)}`);
      const r = await (options.proc ?? realProcessRunner).run(words, {
        cwd: plan.cwd,
        env: extraEnv ? { ...made.env, ...extraEnv } : made.env,
        signal: options.signal,
        onChunk: (c) => log.chunk(c),
        onLine: (l) => log.line(l),
      });
      if (r.interrupted) throw new InterruptedError("Interrupted");
      return r.code;
    },
  });
}
