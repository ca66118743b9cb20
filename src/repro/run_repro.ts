/**
 * Carries out a reproduction: commit → worktree → toolchain → build →
 * comparison → `verdict.json` in the build record.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { checkMakeWords } from "../build/make_words.ts";
import { acquireWorktree, commitTime, repoDir } from "../git/mod.ts";
import { stateDir } from "../paths.ts";
import { chooseTriple } from "../toolchain/arch.ts";
import { ensureCommit } from "./ensure_commit.ts";
import type { ReproEngine } from "./engine.ts";
import { formatVerdict, verdictRows } from "./format_verdict.ts";
import { describeConfig } from "./plan_config.ts";
import { planReproduction, type ReproFacts } from "./plan_repro.ts";
import { resolveReproConfig } from "./resolve_config.ts";
import type { WerrorMode } from "../config/robot_policy.ts";
import { InfraError, InterruptedError } from "../errors.ts";
import type { ReportFields, ReproPlan, Verdict } from "./types.ts";
import { createHash } from "node:crypto";
import { writeFileAtomic as writeAtomic } from "../util/atomic_write.ts";

/** Options for `runRepro`. */
export interface RunReproOptions {
  out: Output;
  signal: AbortSignal;
  engine: ReproEngine;
  /** The user's checkout (any dir in it). */
  tree: string;
  commit?: string;
  remoteUrl?: string;
  /** `--config FILE`, or the robot's config fetched for the report. */
  configFile?: string;
  /** Where `configFile` came from (default `--config`). */
  configFrom?: string;
  /** Setup differences known before building (e.g. no rustc on this host). */
  setupDifferences?: string[];
  /** Text of a reproduce file given with `--reproduce`. */
  reproduceText?: string;
  jobs?: number;
  allowSubstitute?: boolean;
  /** `--allow-distro`: a distro compiler of the same version. */
  allowDistro?: boolean;
  /** `--trust-make-line`: pass make words the policy refuses (recorded). */
  trustMakeLine?: boolean;
  /** Never fetch. */
  offline?: boolean;
  /** Use ccache when it is installed (default true). */
  ccache?: boolean;
  /** `--werror=keep|off` over the robot's CONFIG_WERROR policy. */
  werror?: WerrorMode;
  /** Worktree pool root (default `stateDir()/worktrees`). */
  poolRoot?: string;
}

/** What `runRepro` returns. */
export interface ReproResult {
  verdict: Verdict;
  plan: ReproPlan;
  /** Where `verdict.json` was written. */
  verdictPath: string;
}

async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
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

function shortKey(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
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
 * Reproduces `reportText` and records the verdict.
 *
 * @param reportText the report as given (mail, archive copy, reproduce file)
 * @param options engine, checkout, overrides
 * @returns the verdict (also written as `verdict.json` in the build record)
 * @throws {UserError} bad report, missing commit/config, no exact compiler
 * @throws {InfraError} fetch, toolchain or build infrastructure failures
 */
export async function runRepro(
  reportText: string,
  options: RunReproOptions,
): Promise<ReproResult> {
  const { out, engine } = options;
  const step = (line: string) => out.err(`==> ${line}`);
  const parsed = engine.parse(reportText, options.reproduceText);
  const report: ReportFields = parsed.report;

  const stateRoot = stateDir();
  const facts: ReproFacts = {
    ...(options.commit ? { commit: options.commit } : {}),
    ...(options.remoteUrl ? { remoteUrl: options.remoteUrl } : {}),
    ...(options.werror ? { werror: options.werror } : {}),
    configAttached: parsed.configAttached,
  };
  if (options.configFile) {
    facts.configFile = {
      path: options.configFile,
      from: options.configFrom ?? "--config",
    };
  } else if (parsed.attachedConfig) {
    const dir = `${stateRoot}/repro/configs`;
    await Deno.mkdir(dir, { recursive: true });
    const path = `${dir}/${shortKey(parsed.attachedConfig)}.config`;
    await writeAtomic(path, parsed.attachedConfig);
    facts.configFile = { path, from: "attached to the report" };
  }
  const plan = planReproduction(report, facts);
  // Refuse before anything is fetched; the build planner checks again.
  const origin = options.reproduceText === undefined
    ? "the report"
    : "the report or its reproduce file";
  checkMakeWords([...plan.makeVars, ...plan.targets], {
    origin,
    trust: options.trustMakeLine ?? false,
  });
  step(
    `report: ${report.report_type ?? "branch"} report, commit ${
      plan.source.commit ?? "?"
    }, ARCH=${plan.arch}, config ${describeConfig(plan.config)}, compiler ${
      plan.compiler?.raw ?? "default"
    }`,
  );
  const resolvedConfig = await resolveReproConfig(plan.config, {
    fetchConfig: (url, o) => engine.fetchConfig(url, o),
    cacheDir: `${stateRoot}/repro/configs`,
    offline: options.offline === true,
    signal: options.signal,
    step,
  });
  const configDesc = resolvedConfig.description;

  const repo = await repoDir(options.tree);
  step(`checkout: ${repo}`);
  const sha = await ensureCommit(repo, plan.source, {
    progress: step,
    signal: options.signal,
    ...(options.offline ? { offline: true } : {}),
  });
  step(`commit ${sha}`);
  const differences = [
    ...plan.differences,
    ...resolvedConfig.differences,
    ...(options.setupDifferences ?? []),
  ];
  const notes = [...plan.notes];
  const otherCommit = report.commit !== null &&
    !sha.startsWith(report.commit) && !report.commit.startsWith(sha);

  const triple = plan.compiler?.triple ?? chooseTriple(plan.arch, null).triple;
  const tripleReason = plan.compiler?.triple ? "report" : "default";
  const request = plan.compiler?.request ?? "gcc";
  step(
    `toolchain: ${request} for ${triple}${
      plan.compiler?.distro ? ` (${plan.compiler.distro})` : ""
    }`,
  );
  const toolchain = await engine.resolveToolchain({
    compiler: request,
    triple,
    ...(options.allowSubstitute ? { allowSubstitute: true } : {}),
    ...(options.allowDistro ? { allowDistro: true } : {}),
    ...(options.offline ? { offline: true } : {}),
    // A distro build (`Debian 12.2.0-14`) is served by the system provider.
    ...(plan.compiler?.distro ? { provider: "system" as const } : {}),
  }, { out, signal: options.signal });
  if (toolchain.exactness === "version") {
    differences.push(
      `compiler build differs: the report used ${
        plan.compiler?.raw ?? request
      }, kcross used ${toolchain.id} (same version ${toolchain.version}, another build: ${toolchain.provider})`,
    );
  }
  if (!toolchain.exact) {
    differences.push(
      `compiler substituted: the report used ${
        plan.compiler?.raw ?? request
      }, kcross used ${toolchain.id} (${toolchain.version}, ${toolchain.provider})`,
    );
  }
  step(
    `toolchain ${toolchain.id} ${toolchain.version} (${toolchain.provider}${
      toolchain.exact ? ", exact" : ", substitute"
    })`,
  );

  await using lease = await acquireWorktree(repo, sha, {
    maxSlots: 1,
    progress: step,
    ...(options.poolRoot ? { root: options.poolRoot } : {}),
  });
  step(`worktree (${lease.how}): ${lease.dir}`);

  const outDir = `${lease.slotDir}/build/${buildDirName(plan.arch, triple)}`;
  await Deno.mkdir(outDir, { recursive: true });
  const buildPlan = await engine.planBuild({
    arch: plan.arch,
    srcTree: lease.dir,
    outDir,
    config: resolvedConfig.source,
    werror: resolvedConfig.werror.mode,
    toolchain,
    triple,
    tripleReason,
    makeVars: plan.makeVars,
    targets: plan.targets,
    jobs: options.jobs ?? null,
    ccache: options.ccache ?? true,
    commitTime: await commitTime(lease.dir, sha),
    makeOrigin: origin,
    trustMakeLine: options.trustMakeLine ?? false,
  });
  step(`build: ${buildPlan.argv.join(" ")}`);
  const outcome = await engine.runBuild(buildPlan, {
    out,
    signal: options.signal,
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
      { hint: `its log is in ${outcome.recordDir}; fix the cause and retry` },
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
  const comparison = engine.compare(plan.reported, outcome.diagnostics);
  const severityRows = comparison.rows.filter((r) => r.severityHere);
  if (severityRows.length) {
    notes.push(
      `${severityRows.length} reported diagnostic(s) came out with another severity only because of -Werror (CONFIG_WERROR=${
        werrorEnabled ? "y" : "n"
      } here; ${resolvedConfig.werror.why}): counted as reproduced`,
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
    config: configDesc,
    werror: { ...resolvedConfig.werror, enabled: werrorEnabled },
    targets: plan.targets,
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
  };
  const verdictPath = `${outcome.recordDir}/verdict.json`;
  await writeAtomic(verdictPath, JSON.stringify(verdict, null, 2) + "\n");
  return { verdict, plan, verdictPath };
}

export { formatVerdict };
