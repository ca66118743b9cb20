/**
 * The steps of a reproduction before any commit is built: parse the report,
 * plan it (the one planner), refuse bad make words, get the config at hand,
 * find the repository, and resolve the compiler. `repro` then builds the
 * report's commit; `verify` builds the report's commit and the fix with the
 * same prepared setup.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { checkMakeWords } from "../build/make_words.ts";
import { refuseShellValues } from "../config/mod.ts";
import { repoDir } from "../git/mod.ts";
import { stateDir } from "../paths.ts";
import { chooseTriple } from "../toolchain/arch.ts";
import type { ResolvedToolchain } from "../toolchain/types.ts";
import type { BuildContext } from "../build/mod.ts";
import { fetchConfig } from "../config/mod.ts";
import { parseReportInput } from "./parse_input.ts";
import { describeConfig } from "./plan_config.ts";
import { planReproduction, type ReproFacts } from "./plan_repro.ts";
import {
  type ResolvedReproConfig,
  resolveReproConfig,
} from "./resolve_config.ts";
import type { WerrorMode } from "../config/robot_policy.ts";
import type { ReportFields, ReproPlan } from "./types.ts";
import { sha256Hex } from "../util/digest.ts";
import { readTextOrNull } from "../util/fs.ts";
import { writeFileAtomic as writeAtomic } from "../util/atomic_write.ts";

/** Options for `runRepro` (and the steps it is made of). */
export interface RunReproOptions {
  out: Output;
  signal: AbortSignal;
  /** Where processes, downloads, toolchains and the builder come from. */
  context: BuildContext;
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

/** A planned reproduction with its config at hand and its repository found. */
export interface PreparedRepro {
  report: ReportFields;
  plan: ReproPlan;
  /** Where the make words came from (for the make-word policy). */
  origin: string;
  config: ResolvedReproConfig;
  /** The repository (git dir or work tree) the commits are in. */
  repo: string;
  /** Setup differences known before building. */
  differences: string[];
}

/** A prepared reproduction with its compiler resolved: ready to build. */
export interface ReadyRepro extends PreparedRepro {
  toolchain: ResolvedToolchain;
  triple: string;
  tripleReason: string;
  /**
   * A digest of everything that makes a build of a commit what it is
   * (arch, triple, compiler, config and its CONFIG_WERROR policy, make
   * variables, targets): two records with the same key and commit are the
   * same build. `verify` finds the report's build by it.
   */
  setupKey: string;
}

/**
 * Parses and plans the report, gets its config at hand and finds the
 * repository. Nothing is built and no commit is fetched.
 *
 * @throws {UserError} bad report, missing config, refused make words
 * @throws {InfraError} a config URL that cannot be fetched (no fallback)
 */
export async function prepareRepro(
  reportText: string,
  options: RunReproOptions,
): Promise<PreparedRepro> {
  const { context } = options;
  const step = (line: string) => options.out.err(`==> ${line}`);
  const parsed = parseReportInput(reportText, options.reproduceText);
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
    const path = `${dir}/${
      sha256Hex(parsed.attachedConfig).slice(0, 10)
    }.config`;
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
  const config = await resolveReproConfig(plan.config, {
    fetchConfig: (url, o) => fetchConfig(url, { ...o, fetch: context.fetch }),
    cacheDir: `${stateRoot}/repro/configs`,
    offline: options.offline === true,
    signal: options.signal,
    step,
  });
  // A config from outside (attached, downloaded, --config FILE) is refused
  // before the commit is fetched if make would evaluate one of its values;
  // the build's config step checks again.
  if (config.source.kind === "file") {
    const text = await Deno.readTextFile(config.source.path).catch((e) => {
      if (e instanceof Deno.errors.NotFound) return ""; // the build says so
      throw e;
    });
    refuseShellValues(text, `the config "${config.source.path}"`, {
      trust: options.trustMakeLine ?? false,
    });
  }
  const repo = await repoDir(options.tree, { proc: options.context.proc });
  step(`checkout: ${repo}`);
  return {
    report,
    plan,
    origin,
    config,
    repo,
    differences: [
      ...plan.differences,
      ...config.differences,
      ...(options.setupDifferences ?? []),
    ],
  };
}

async function fileDigest(path: string): Promise<string | null> {
  const text = await readTextOrNull(path);
  return text === null ? null : sha256Hex(text);
}

/**
 * Resolves the plan's compiler (exact, or an accepted substitute) and adds
 * the differences that follow from it.
 *
 * @throws {UserError} no exact compiler and no `--allow-substitute`
 * @throws {InfraError} the toolchain download or install failed
 */
export async function resolveReproToolchain(
  prepared: PreparedRepro,
  options: RunReproOptions,
): Promise<ReadyRepro> {
  const { plan } = prepared;
  const step = (line: string) => options.out.err(`==> ${line}`);
  const triple = plan.compiler?.triple ?? chooseTriple(plan.arch, null).triple;
  const tripleReason = plan.compiler?.triple ? "report" : "default";
  const request = plan.compiler?.request ?? "gcc";
  step(
    `toolchain: ${request} for ${triple}${
      plan.compiler?.distro ? ` (${plan.compiler.distro})` : ""
    }`,
  );
  const toolchain = await options.context.resolveToolchain({
    compiler: request,
    triple,
    ...(options.allowSubstitute ? { allowSubstitute: true } : {}),
    ...(options.allowDistro ? { allowDistro: true } : {}),
    ...(options.offline ? { offline: true } : {}),
    // A distro build (`Debian 12.2.0-14`) is served by the system provider.
    ...(plan.compiler?.distro
      ? { provider: "system" as const, distroBuild: plan.compiler.distro }
      : {}),
  }, { out: options.out, signal: options.signal });
  const differences = [...prepared.differences];
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
  const source = prepared.config.source;
  const setupKey = sha256Hex(JSON.stringify({
    arch: plan.arch,
    triple,
    toolchain: [toolchain.id, toolchain.version, toolchain.provider],
    config: source,
    configDigest: source.kind === "file" ? await fileDigest(source.path) : null,
    werror: prepared.config.werror.mode,
    makeVars: plan.makeVars,
    targets: plan.targets,
  })).slice(0, 16);
  return {
    ...prepared,
    differences,
    toolchain,
    triple,
    tripleReason,
    setupKey,
  };
}
