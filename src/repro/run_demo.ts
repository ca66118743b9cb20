/**
 * `kcross demo`: host packages → sample repository → robot-style report →
 * `repro` → the `>>` error and the verdict → the sample's fix → `verify` →
 * `fixed` and the trailers. Everything it makes lives under
 * `stateDir()/demo` and is reused by the next run.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { removePool } from "../git/mod.ts";
import { InfraError } from "../errors.ts";
import { stateDir } from "../paths.ts";
import { withFileLock } from "../util/mod.ts";
import { demoReport } from "./demo_report.ts";
import {
  ensureDemoSample,
  showFile,
  VFIO_COLLISION,
  VFIO_FIX,
} from "./demo_sample.ts";
import type { BuildContext } from "../build/mod.ts";
import { demoPackages, ensurePackages } from "./host_packages.ts";
import { formatVerdict } from "./format_verdict.ts";
import { type ReproResult, runRepro } from "./run_repro.ts";
import { writeFileAtomic } from "../util/atomic_write.ts";
import { CommandNotFoundError, runCaptured } from "../proc/run_captured.ts";

/** Options for `runDemo`. */
export interface RunDemoOptions {
  out: Output;
  signal: AbortSignal;
  /** Where processes, downloads and the builder come from. */
  context: BuildContext;
  /** Remove the sample, its worktrees and build dirs, and stop. */
  clean?: boolean;
  jobs?: number;
  /** The cross compiler whose `--version` goes into the report. */
  compiler?: string;
  /**
   * Runs `kcross verify` with these arguments, printing through `out`, and
   * returns its exit code. The command layer passes its dispatcher: verify
   * sits above repro, so repro reaches it only that way.
   */
  verify: (args: string[], out: Output) => Promise<number>;
  /** Ask verify for JSON (`demo --json`) and return it parsed. */
  json?: boolean;
}

/** What the demo found: the reproduction, then the fix's verification. */
export interface DemoResult extends ReproResult {
  /** verify's exit code: 0 when the fix is `fixed`. */
  verifyCode: number;
  /** verify's `--json` answer, with `json`. */
  verify?: unknown;
}

/** Steps the demo prints as `[n/STEPS]`. */
const STEPS = 7;

/** The demo's directory. */
export function demoDir(): string {
  return `${stateDir()}/demo`;
}

function withLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  return withFileLock(`${dir}/demo.lock`, fn);
}

async function compilerVersionLine(compiler: string): Promise<string> {
  try {
    const o = await runCaptured([compiler, "--version"], {
      stderr: "discard",
      env: { LANG: "C", LC_ALL: "C" },
    });
    const first = o.stdout.split("\n")[0]?.trim();
    if (o.success && first) return first;
  } catch (e) {
    if (!(e instanceof CommandNotFoundError)) throw e;
  }
  throw new InfraError(`Cannot run "${compiler} --version"`, {
    hint: "apt-get install gcc-powerpc64-linux-gnu",
  });
}

/**
 * Runs the demo.
 *
 * @returns the repro result and verify's answer, or null after `--clean`
 * @throws {UserError} packages missing and not root
 * @throws {InfraError} install, extraction, build infrastructure
 */
export async function runDemo(
  options: RunDemoOptions,
): Promise<DemoResult | null> {
  const { out } = options;
  const dir = demoDir();
  const step = (n: number, line: string) => out.err(`[${n}/${STEPS}] ${line}`);
  return await withLock(dir, async () => {
    if (options.clean) {
      const ready = `${dir}/linux.git`;
      try {
        await Deno.stat(ready);
        const n = await removePool(ready);
        out.err(`removed ${n} worktree(s) of the sample`);
      } catch (e) {
        if (!(e instanceof Deno.errors.NotFound)) throw e;
      }
      for (const name of ["linux.git", "src.tmp", "ready.json", "report.txt"]) {
        await Deno.remove(`${dir}/${name}`, { recursive: true }).catch(
          () => {},
        );
      }
      out.err(`removed the demo sample in ${dir}`);
      return null;
    }
    const t0 = Date.now();
    step(1, "checking host packages");
    const installed = await ensurePackages(demoPackages(), {
      progress: (l) => out.err(`      ${l}`),
      proc: options.context.proc,
    });
    out.err(
      `      ${
        installed.length ? `installed ${installed.join(" ")}` : "all present"
      }`,
    );

    step(2, "preparing the sample kernel repository");
    const sample = await ensureDemoSample(dir, (l) => out.err(`      ${l}`));
    out.err(
      `      ${sample.created ? "created" : "reused"} ${sample.repo}: base ${
        sample.base.slice(0, 12)
      }, ${VFIO_COLLISION.subject} ${sample.bad.slice(0, 12)}, fix ${
        sample.fix.slice(0, 12)
      }`,
    );

    step(3, "writing a robot-style report");
    const compiler = await compilerVersionLine(
      options.compiler ?? "powerpc64-linux-gnu-gcc",
    );
    const text = demoReport({
      treeUrl: sample.repo,
      branch: sample.branch,
      head: sample.bad,
      commit: sample.bad,
      subject: VFIO_COLLISION.subject,
      compiler,
      vfioH: await showFile(sample.repo, sample.bad, VFIO_COLLISION.file),
      vfioMainC: await showFile(
        sample.repo,
        sample.bad,
        "drivers/vfio/vfio_main.c",
      ),
      fslMcIntrC: await showFile(
        sample.repo,
        sample.bad,
        "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
      ),
    });
    const reportPath = `${dir}/report.txt`;
    await writeFileAtomic(reportPath, text);
    out.err(`      ${reportPath}`);

    step(4, `kcross repro ${reportPath} --tree ${sample.repo}`);
    const result = await runRepro(text, {
      out,
      signal: options.signal,
      context: options.context,
      tree: sample.repo,
      ...(options.jobs ? { jobs: options.jobs } : {}),
    });

    step(5, "reproduced: the result");
    for (const line of formatVerdict(result.verdict)) out.out(line);
    const seen = result.verdict.rows.filter((r) =>
      r.new && r.status !== "missing"
    );
    if (seen.length) {
      out.out("");
      out.out("the robot's >> error, reproduced on this machine:");
      const r = seen[0]!;
      out.out(
        `>> ${r.file}:${r.line}${
          r.column ? `:${r.column}` : ""
        }: ${r.severity}: ${r.message}`,
      );
    }

    step(
      6,
      `the fix: ${sample.fix.slice(0, 12)} ${VFIO_FIX.subject} (on top of ${
        sample.bad.slice(0, 12)
      }, the head of ${sample.branch})`,
    );
    out.out("");
    out.out(`the fix: ${sample.fix.slice(0, 12)} ${VFIO_FIX.subject}`);
    const args = [
      reportPath,
      "--tree",
      sample.repo,
      "--commit",
      sample.fix,
      ...(options.jobs ? ["--jobs", String(options.jobs)] : []),
      ...(options.json ? ["--json"] : []),
    ];
    step(
      7,
      `kcross verify ${reportPath} --tree ${sample.repo} --commit ${
        sample.fix.slice(0, 12)
      }`,
    );
    let json = "";
    const verifyOut: Output = options.json
      ? { ...out, out: (line: string) => void (json += `${line}\n`) }
      : out;
    if (!options.json) out.out("");
    const verifyCode = await options.verify(args, verifyOut);
    out.err(`demo finished in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return {
      ...result,
      verifyCode,
      ...(options.json && json ? { verify: JSON.parse(json) } : {}),
    };
  });
}
