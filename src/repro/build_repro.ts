/**
 * Builds one commit with a prepared reproduction's setup, in a kcross
 * worktree (one slot per repository, moved between commits so the build
 * dir stays incremental), compares the build's diagnostics with the
 * report's and writes `verdict.json` into the build record.
 *
 * @module
 */
import { acquireWorktree } from "../git/mod.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import { InfraError, InterruptedError } from "../errors.ts";
import { writeFileAtomic as writeAtomic } from "../util/atomic_write.ts";
import { BINUTILS_NOTE, type BuildOutcome } from "../build/mod.ts";
import { compareReported } from "../diagnostics/mod.ts";
import { reproNativeInput } from "./repro_input.ts";
import { verdictRows } from "./format_verdict.ts";
import { objectsUnder } from "./fresh_objects.ts";
import { buildableTargets, kbuildTreeAt } from "./kbuild_dirs.ts";
import type { ReadyRepro, RunReproOptions } from "./prepare_repro.ts";
import type { ReproPlan, Verdict } from "./types.ts";
import { shellLine } from "../util/shell_quote.ts";
import { readTextOrNull } from "../util/fs.ts";

/** What `runRepro` returns. */
export interface ReproResult {
  verdict: Verdict;
  plan: ReproPlan;
  /** Where `verdict.json` was written. */
  verdictPath: string;
  /** Every diagnostic the build printed (also in its `diagnostics.json`). */
  diagnostics: Diagnostic[];
  /** How the build ended (`pass`, `fail`, `empty`). */
  result: BuildOutcome["result"];
}

/** Options for `buildReproAt`. */
export interface BuildReproOptions extends RunReproOptions {
  /**
   * Another commit than the report's is built on purpose (`verify`'s fix):
   * not a setup difference.
   */
  otherCommitExpected?: boolean;
  /**
   * Objects (`drivers/vfio/vfio_main.o`, relative to the build dir) to
   * compile again even if make finds them up to date: an incremental build
   * prints nothing for an object it does not rebuild, and `verify` must see
   * what the reported files print now. Anything that is not a plain
   * relative `.o` path is ignored.
   */
  recompile?: readonly string[];
  /**
   * Build-dir directories (`drivers/usb/dwc2`) whose every object is
   * compiled again, like `recompile` (repro's directory targets).
   */
  recompileDirs?: readonly string[];
}

/**
 * Removes objects from build dir `outDir` so make compiles them again
 * (missing ones are fine; anything but a plain relative `.o` path is
 * ignored).
 *
 * @returns how many were removed
 */
export async function forgetObjects(
  outDir: string,
  objects: readonly string[],
): Promise<number> {
  let n = 0;
  for (const o of new Set(objects)) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.+/-]*\.o$/.test(o)) continue;
    if (o.split("/").some((part) => part === ".." || part === ".")) continue;
    try {
      await Deno.remove(`${outDir}/${o}`);
      n++;
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  return n;
}

function configLine(config: string, symbol: string): string | null {
  const prefix = `${symbol}=`;
  for (const line of config.split("\n")) {
    if (line.startsWith(prefix)) return line.slice(prefix.length);
  }
  return null;
}

function unquote(v: string): string {
  return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/**
 * A compiler version line without gcc's program name, which only says how it
 * was invoked (`powerpc64-linux-gcc` vs `powerpc64-linux-gnu-gcc`).
 */
function versionText(line: string): string {
  return line.trim().replace(/^\S*gcc(-[0-9.]+)?\s+/, "").replace(/\s+/g, " ");
}

/**
 * The build dir of a slot for an arch and triple. One per pair, not per
 * config: the runner reconfigures when the config inputs change, and the
 * same config reached another way (name, URL, file) stays incremental.
 */
function buildDirName(arch: string, triple: string): string {
  return `${arch}-${triple}`.replace(/[^A-Za-z0-9._-]+/g, "_");
}

/** The kernel version the build record names (`make kernelversion`), or null. */
async function kernelVersion(recordDir: string): Promise<string | null> {
  const text = await readTextOrNull(`${recordDir}/metadata.json`);
  try {
    const v = text ? JSON.parse(text)?.tree?.kernelVersion : null;
    return typeof v === "string" && v ? v : null;
  } catch {
    return null;
  }
}

/** Dropped config symbols, if the build record lists them. */
async function droppedSymbols(recordDir: string): Promise<string[]> {
  const text = await readTextOrNull(`${recordDir}/metadata.json`);
  if (!text) return [];
  try {
    const meta = JSON.parse(text) as Record<string, unknown>;
    const cfg = (meta.config ?? {}) as Record<string, unknown>;
    const dropped = cfg.dropped ?? meta.droppedSymbols ?? meta.dropped;
    if (!Array.isArray(dropped)) return [];
    return dropped.map((d) => {
      if (typeof d === "string") return d;
      const x = d as {
        symbol?: unknown;
        requested?: unknown;
        actual?: unknown;
        reason?: unknown;
      };
      const got = x.actual === null || x.actual === undefined
        ? "not set"
        : String(x.actual);
      return `${String(x.symbol)}=${String(x.requested ?? "n")} became ${got}${
        x.reason ? ` (${String(x.reason)})` : ""
      }`;
    });
  } catch {
    return [];
  }
}

/**
 * Builds `sha` with the prepared setup and records the comparison with the
 * report as `verdict.json`.
 *
 * @param ready the prepared reproduction, compiler resolved
 * @param sha the full sha to build (already in the repository)
 * @param options jobs, ccache, pool root, output
 * @returns the verdict, the plan and every diagnostic of the build
 * @throws {InfraError} the build could not run (disk full, …)
 * @throws {InterruptedError} when interrupted
 */
export async function buildReproAt(
  ready: ReadyRepro,
  sha: string,
  options: BuildReproOptions,
): Promise<ReproResult> {
  const { out } = options;
  const { builder } = options.context;
  const { plan, report, toolchain, triple } = ready;
  const step = (line: string) => out.err(`==> ${line}`);
  const differences = [...ready.differences];
  const notes = [...plan.notes];
  const otherCommit = !options.otherCommitExpected && report.commit !== null &&
    !sha.startsWith(report.commit) && !report.commit.startsWith(sha);

  await using lease = await acquireWorktree(ready.repo, sha, {
    proc: options.context.proc,
    maxSlots: 1,
    progress: step,
    ...(options.poolRoot ? { root: options.poolRoot } : {}),
  });
  step(`worktree (${lease.how}): ${lease.dir}`);

  const outDir = `${lease.slotDir}/build/${buildDirName(plan.arch, triple)}`;
  await Deno.mkdir(outDir, { recursive: true });
  const recompile = [
    ...(options.recompile ?? []),
    ...await objectsUnder(outDir, options.recompileDirs ?? []),
  ];
  if (recompile.length) {
    const n = await forgetObjects(outDir, recompile);
    if (n) {
      step(
        `recompiling ${n} object(s) of the targets and reported diagnostics (kept build dir)`,
      );
    }
  }
  const kbuild = buildableTargets(plan.targets, kbuildTreeAt(lease.dir));
  for (const n of kbuild.notes) {
    step(n);
    notes.push(n);
  }
  const build = await builder.prepare({
    ...reproNativeInput({
      arch: plan.arch,
      srcTree: lease.dir,
      outDir,
      config: ready.config.source,
      werror: ready.config.werror.mode,
      toolchain,
      triple,
      tripleReason: ready.tripleReason,
      makeVars: plan.makeVars,
      targets: kbuild.targets,
      jobs: options.jobs ?? null,
      ccache: options.ccache ?? true,
      makeOrigin: ready.origin,
      trustMakeLine: options.trustMakeLine ?? false,
    }),
    out,
    signal: options.signal,
  });
  const buildPlan = build.plan;
  step(`build: ${shellLine(buildPlan.argv)}`);
  const binutils = buildPlan.notes.find((n) => n.startsWith(BINUTILS_NOTE));
  if (binutils) {
    step(binutils);
    notes.push(binutils);
  }
  const outcome = await builder.run(build, {
    out,
    signal: options.signal,
    echo: false,
  });
  step(
    `build ${outcome.result} (exit ${
      outcome.exitCode ?? "-"
    }), ${outcome.diagnostics.length} diagnostics, record ${outcome.recordDir}`,
  );

  if (outcome.result === "interrupted") {
    throw new InterruptedError("Interrupted");
  }
  if (outcome.result === "infra-error") {
    // the build could not be carried out: not a verdict on the report
    throw new InfraError(
      `The build could not run: ${outcome.reason ?? "infrastructure error"}`,
      {
        hint: `${
          binutils ? `${binutils}; ` : ""
        }its log is in ${outcome.recordDir}; fix the cause and retry`,
      },
    );
  }
  if (outcome.result === "fail" && outcome.record.config === null) {
    // make stopped in olddefconfig/defconfig: nothing was compiled, so the
    // report's diagnostics were never looked for (a missing linker, …)
    throw new InfraError(
      `The build stopped in its config step, before compiling anything: ${
        outcome.reason ?? "config step failed"
      }`,
      {
        hint: `${
          binutils ? `${binutils}; ` : ""
        }no verdict on the report; the config log is ${outcome.recordDir}/config.log`,
      },
    );
  }
  if (otherCommit) {
    const kv = await kernelVersion(outcome.recordDir);
    differences.push(
      `built commit ${sha.slice(0, 12)}${
        kv ? ` (kernel ${kv})` : ""
      }, the report's is ${report.commit!.slice(0, 12)}`,
    );
  }
  for (const sym of await droppedSymbols(outcome.recordDir)) {
    differences.push(`config symbol dropped by olddefconfig: ${sym}`);
  }
  const finalConfig = await readTextOrNull(`${outDir}/.config`);
  const ccText = finalConfig
    ? configLine(finalConfig, "CONFIG_CC_VERSION_TEXT")
    : null;
  if (
    ccText && plan.compiler &&
    versionText(unquote(ccText)) !== versionText(plan.compiler.raw)
  ) {
    differences.push(
      `compiler version text: the report says "${plan.compiler.raw}", this build "${
        unquote(ccText)
      }"`,
    );
  }

  const werrorEnabled = finalConfig === null
    ? null
    : configLine(finalConfig, "CONFIG_WERROR") === "y";
  const comparison = compareReported(plan.reported, outcome.diagnostics);
  const severityRows = comparison.matches.filter((r) => r.severityHere);
  if (severityRows.length) {
    notes.push(
      `${severityRows.length} reported diagnostic(s) came out with another severity only because of -Werror (CONFIG_WERROR=${
        werrorEnabled ? "y" : "n"
      } here; ${ready.config.werror.why}): counted as reproduced`,
    );
  }
  const verdict: Verdict = {
    verdict: comparison.verdict,
    rows: verdictRows(comparison),
    extra: comparison.extra.map((d) => ({
      file: d.file,
      line: d.line,
      severity: d.severity,
      message: d.message,
    })),
    differences,
    notes,
    commit: sha,
    reportCommit: report.commit ?? null,
    arch: plan.arch,
    config: ready.config.description,
    werror: { ...ready.config.werror, enabled: werrorEnabled },
    targets: kbuild.targets,
    makeVars: plan.makeVars,
    toolchain: {
      id: toolchain.id,
      version: toolchain.version,
      exact: toolchain.exact,
      provider: toolchain.provider,
      ...(toolchain.exactness ? { exactness: toolchain.exactness } : {}),
      ...(toolchain.verification
        ? { verification: toolchain.verification }
        : {}),
    },
    build: {
      id: outcome.id,
      recordDir: outcome.recordDir,
      result: outcome.result,
      exitCode: outcome.exitCode,
    },
    setupKey: ready.setupKey,
  };
  const verdictPath = `${outcome.recordDir}/verdict.json`;
  await writeAtomic(verdictPath, JSON.stringify(verdict, null, 2) + "\n");
  return {
    verdict,
    plan,
    verdictPath,
    diagnostics: outcome.diagnostics,
    result: outcome.result,
  };
}
