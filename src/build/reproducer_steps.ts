/**
 * The kcross invocations that rebuild a build on any machine (no absolute
 * paths from this one), plus the equivalent make.cross lines: what a build
 * record's reproducer says.
 *
 * @module
 */
import type { ConfigInputs } from "../config/mod.ts";
import { formatAssignment, parseConfig } from "../config/merge_config.ts";
import { RECORD_DIR_TOKEN } from "../record/reproducer.ts";
import type { KcrossInvocation } from "../record/types.ts";
import type { ResolvedToolchain } from "../toolchain/types.ts";
import { shellLine, shellQuote } from "../util/shell_quote.ts";
import type { BuildPlan } from "./types.ts";

/** Words make.cross adds by itself (left out of the make.cross line). */
const MAKE_CROSS_ADDED = [
  /^--keep-going$/,
  /^-k$/,
  /^--jobs(=.*)?$/,
  /^-j\d*$/,
  /^CROSS_COMPILE=/,
  /^KCFLAGS=/,
  /^CONFIG_OF_ALL_DTBS=/,
  /^CONFIG_DTC=/,
];

/** The portable out dir name: relative when inside the tree, else `build_dir`. */
export function portableOutDir(plan: BuildPlan): string | null {
  if (plan.outDir === null) return null;
  const tree = plan.srcTree.replace(/\/+$/, "");
  if (plan.outDir.startsWith(`${tree}/`)) {
    return plan.outDir.slice(tree.length + 1);
  }
  return "build_dir";
}

/** The compiler name that pins the exact toolchain used (`gcc-12.2.0`). */
export function exactCompiler(tc: ResolvedToolchain | null): string | null {
  return tc ? `${tc.family}-${tc.version}` : null;
}

function makeVar(argv: string[], name: string): string | undefined {
  for (let i = argv.length - 1; i >= 1; i--) {
    const w = argv[i]!;
    if (w.startsWith(`${name}=`)) return w.slice(name.length + 1);
  }
  return undefined;
}

/** Variables `kcross build` sets itself from its options or its planner. */
const PLANNER_VARS = new Set([
  "ARCH",
  "O",
  "W",
  "C",
  "CROSS_COMPILE",
  "KCFLAGS",
  "CONFIG_OF_ALL_DTBS",
  "CONFIG_DTC",
  "CC",
]);

/**
 * Other `VAR=value` words of the make call (`LLVM=-15`, `SHELL=/bin/bash`),
 * passed on to `kcross build` as is; values that are absolute paths of this
 * machine's tools are left out (not portable), except `SHELL`.
 *
 * @example
 * ```ts
 * import { extraMakeVars } from "./reproducer_steps.ts";
 * const v = extraMakeVars(["make", "ARCH=x", "LLVM=-15", "LD=/opt/ld", "SHELL=/bin/bash", "drivers/"]);
 * if (v.join(" ") !== "LLVM=-15 SHELL=/bin/bash") throw new Error(v.join(" "));
 * ```
 */
export function extraMakeVars(argv: string[]): string[] {
  return argv.slice(1).filter((w) => {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(w);
    if (!m || PLANNER_VARS.has(m[1]!)) return false;
    return m[1] === "SHELL" || !m[2]!.startsWith("/");
  });
}

/**
 * The kcross invocations that rebuild `plan`: a `kcross build` line naming
 * the arch, the exact compiler, the config source, overrides, W=/C=, the out
 * dir and the targets.
 *
 * @param plan the build plan
 * @param config the resolved config inputs (null: the build dir's `.config`)
 * @returns the steps; `RECORD_DIR_TOKEN` stands for the record dir
 *
 * @example
 * ```ts
 * import { reproducerSteps } from "./reproducer_steps.ts";
 * const plan = {
 *   mode: "native", arch: "powerpc", srcTree: "/k", cwd: "/k", outDir: "/tmp/o",
 *   argv: ["make", "ARCH=powerpc", "W=1", "drivers/vfio/"], env: {}, envUnset: [],
 *   toolchain: null, triple: "powerpc64-linux", tripleReason: "", config: null,
 *   targets: ["drivers/vfio/"], jobs: 2, ccache: false, allowEmpty: false, notes: [],
 * } as const;
 * const steps = reproducerSteps({ ...plan, argv: [...plan.argv], targets: [...plan.targets], notes: [], envUnset: [] }, {
 *   source: { kind: "target", target: "allmodconfig", seed: null }, fragments: [], sets: [], werror: "keep",
 * });
 * const args = steps[0]!.args.join(" ");
 * if (args !== "--arch powerpc --config allmodconfig -W 1 --out build_dir drivers/vfio/") throw new Error(args);
 * ```
 */
export function reproducerSteps(
  plan: BuildPlan,
  config: ConfigInputs | null,
): KcrossInvocation[] {
  const args: string[] = ["--arch", plan.arch];
  const compiler = exactCompiler(plan.toolchain);
  if (compiler) args.push("--compiler", compiler);
  const src = config?.source;
  let inlineSets = true;
  if (src?.kind === "target" && src.seed === null) {
    args.push("--config", src.target);
  } else if (src?.kind === "url") {
    args.push("--config-url", src.url);
  } else {
    // A local file, a random config or the build dir's own: the record's
    // final .config already holds every override.
    args.push("--config", `${RECORD_DIR_TOKEN}/config`);
    inlineSets = false;
  }
  if (config && inlineSets) {
    // In order: a URL, an in-tree name and make: are portable words; a
    // local file's lines go inline (the file is not on the other machine).
    for (const f of config.fragments) {
      if (f.kind === "url" || f.kind === "tree" || f.kind === "make") {
        args.push("--kconfig-add", f.path);
        continue;
      }
      for (const [symbol, value] of parseConfig(f.text)) {
        args.push(
          "--kconfig-add",
          formatAssignment({ symbol, value }),
        );
      }
    }
    for (const s of config.sets) {
      if (config.werror === "off" && s === "# CONFIG_WERROR is not set") {
        continue;
      }
      const [symbol, value] = [...parseConfig(s)][0] ?? [];
      if (symbol) args.push("--set", `${symbol}=${value ?? "n"}`);
    }
  }
  if (config?.werror === "off") args.push("--werror=off");
  const w = makeVar(plan.argv, "W");
  if (w !== undefined) args.push("-W", w);
  const c = makeVar(plan.argv, "C");
  if (c !== undefined) args.push("-C", c);
  const out = portableOutDir(plan);
  if (out !== null) args.push("--out", out);
  if (plan.ccache) args.push("--ccache");
  if (plan.allowEmpty) args.push("--allow-empty");
  if (plan.phases?.length) {
    if (plan.keepGoing) args.push("--keep-going");
    if (plan.artifacts && plan.artifacts !== "default") {
      args.push("--artifacts", plan.artifacts);
    }
  }
  args.push(...extraMakeVars(plan.argv), ...plan.targets);
  return [{ command: "build", args }];
}

/**
 * The equivalent make.cross lines (shell text, for people): config, then
 * the build, with `COMPILER=` naming the exact compiler.
 */
export function makeCrossLines(
  plan: BuildPlan,
  config: ConfigInputs | null,
): string[] {
  const out = portableOutDir(plan);
  const compiler = exactCompiler(plan.toolchain);
  const prefix = compiler ? `COMPILER=${compiler} make.cross` : "make.cross";
  const words: string[] = [];
  for (const w of plan.argv.slice(1)) {
    if (MAKE_CROSS_ADDED.some((re) => re.test(w))) continue;
    if (w.startsWith("O=")) continue;
    if (plan.targets.includes(w)) continue;
    words.push(w);
  }
  if (out !== null) words.unshift(`O=${out}`);
  if (!words.some((w) => w.startsWith("ARCH="))) {
    words.push(`ARCH=${plan.arch}`);
  }
  const configWords = words.filter((w) => !/^(W|C|SHELL)=/.test(w));
  const dir = out ?? ".";
  const lines: string[] = [];
  const src = config?.source;
  if (src?.kind === "target" && src.seed === null) {
    lines.push(`${prefix} ${shellLine([...configWords, src.target])}`);
  } else {
    lines.push(`mkdir -p ${shellQuote(dir)}`);
    lines.push(
      src?.kind === "url"
        ? `wget ${shellQuote(src.url)} -O ${shellQuote(`${dir}/.config`)}`
        : `cp "$here/config" ${shellQuote(`${dir}/.config`)}`,
    );
  }
  const needOld = !(src?.kind === "target" && src.seed === null) ||
    (config !== null &&
      (config.fragments.length > 0 || config.sets.length > 0));
  if (needOld) {
    lines.push(`${prefix} ${shellLine([...configWords, "olddefconfig"])}`);
  }
  // Named targets are kcross's: make.cross gets their make goals.
  const goals = plan.phases?.length
    ? plan.phases.filter((p) => p.name !== "config").flatMap((p) => p.goals)
    : plan.targets;
  lines.push(`${prefix} ${shellLine([...words, ...goals])}`);
  return lines;
}
