/**
 * The KCFLAGS make.cross adds (`toolchains/kcflags.json`), each kept only when
 * the compiler accepts it, probed exactly as kbuild.sh does.
 *
 * @module
 */
import table from "../../toolchains/kcflags.json" with { type: "json" };
import { CommandNotFoundError } from "../proc/run_captured.ts";
import {
  type ProcessRunner,
  realProcessRunner,
} from "../proc/process_runner.ts";

interface KcflagsTable {
  flags: { flag: string }[];
  rejectPatterns: string[];
}

const raw = table as unknown as KcflagsTable;
const REJECT = raw.rejectPatterns.map((p) => new RegExp(p));

/**
 * A digest of the flag table (candidates and reject patterns): a cached
 * probe answer is only valid for the table it was probed with.
 */
export function kcflagsTableDigest(): string {
  return JSON.stringify([raw.flags.map((f) => f.flag), raw.rejectPatterns]);
}

/** Every candidate flag, in file order. */
export function kcflagCandidates(): string[] {
  return raw.flags.map((f) => f.flag);
}

/**
 * The option kbuild.sh actually probes for `flag`: `-Wno-X` is tested as
 * `-WX` (gcc accepts any `-Wno-` silently), except `-Werror*`/`-Wno-error*`.
 *
 * @example
 * ```ts
 * import { probeOption } from "./kcflags.ts";
 * if (probeOption("-Wno-unused") !== "-Wunused") throw new Error();
 * if (probeOption("-Wno-error=return-type") !== "-Wno-error=return-type") throw new Error();
 * ```
 */
export function probeOption(flag: string): string {
  if (flag.includes("Werror") || flag.includes("Wno-error")) return flag;
  return flag.replaceAll("-Wno-", "-W");
}

/**
 * Whether a probe's combined stdout+stderr says the option is unknown.
 *
 * @example
 * ```ts
 * import { probeRejects } from "./kcflags.ts";
 * if (!probeRejects("gcc: error: unrecognized command-line option '-Wx'")) throw new Error();
 * if (probeRejects("undefined reference to `main'")) throw new Error();
 * ```
 */
export function probeRejects(output: string): boolean {
  return REJECT.some((re) => re.test(output));
}

/** Runs a probe command and returns its combined output. */
export type ProbeRunner = (
  argv: string[],
  env: Record<string, string>,
) => Promise<string>;

/** Probes through `proc`, in the temp dir, with `env` over the process env. */
export function probeRunnerOf(proc: ProcessRunner): ProbeRunner {
  return async (argv, env) => {
    try {
      const out = await proc.capture(argv, {
        env,
        cwd: Deno.env.get("TMPDIR") ?? "/tmp",
      });
      return out.stdout + out.stderr;
    } catch (e) {
      if (e instanceof CommandNotFoundError) return "";
      throw e;
    }
  };
}

/** Runs `argv` for real (`probeRunnerOf(realProcessRunner)`). */
export const realProbeRunner: ProbeRunner = probeRunnerOf(realProcessRunner);

/**
 * The accepted flags for `compiler`, in file order (probes run in parallel).
 *
 * @param compiler absolute path of gcc or clang
 * @param options env for the probes and a runner (tests)
 */
export async function probeKcflags(
  compiler: string,
  options: { env?: Record<string, string>; runner?: ProbeRunner } = {},
): Promise<string[]> {
  const runner = options.runner ?? realProbeRunner;
  const flags = kcflagCandidates();
  const verdicts = await Promise.all(
    flags.map(async (flag) =>
      !probeRejects(
        await runner(
          [compiler, probeOption(flag), "-xc", "/dev/null"],
          options.env ?? {},
        ),
      )
    ),
  );
  return flags.filter((_, i) => verdicts[i]);
}
