/**
 * `--dry-run` text for a `BuildPlan`.
 *
 * @module
 */
import { shellQuote } from "../util/shell_quote.ts";
import type { BuildPlan, ConfigPlan } from "./types.ts";

function configSteps(c: ConfigPlan | null): string[] {
  if (!c) return ["use the build dir's .config as it is (make.cross)"];
  const s = c.source;
  const steps = [
    s.kind === "target"
      ? `make ${s.target}${s.seed ? ` (KCONFIG_SEED=${s.seed})` : ""}`
      : s.kind === "file"
      ? `copy ${s.path}`
      : s.kind === "url"
      ? `download ${s.url}`
      : "start from the existing .config",
  ];
  for (const f of c.fragments) steps.push(`merge fragment ${f}`);
  for (const v of c.sets) steps.push(`set ${v}`);
  if (c.werror === "off") steps.push("set CONFIG_WERROR=n (--werror=off)");
  if (s.kind !== "target" || c.fragments.length || c.sets.length) {
    steps.push("make olddefconfig, then check every requested symbol survived");
  }
  return steps;
}

/** The plan as readable lines. */
export function formatPlan(plan: BuildPlan): string[] {
  const tc = plan.toolchain;
  const lines = [
    `mode:      ${plan.mode}`,
    `arch:      ${plan.arch}`,
    `triple:    ${plan.triple} (${plan.tripleReason})`,
    `toolchain: ${
      tc
        ? `${tc.id} ${tc.version} (${tc.provider}, ${
          tc.exact ? "exact" : "substitute"
        }) in ${tc.binDir}`
        : `${plan.compiler ?? "?"}: not installed yet`
    }`,
    `kernel:    ${plan.kernelVersion ?? "unknown"} in ${plan.srcTree}`,
    `output:    ${plan.outDir ?? "in-tree"}`,
    `cwd:       ${plan.cwd}`,
    `jobs:      ${plan.jobs || "unlimited"}${plan.ccache ? ", ccache" : ""}`,
    `targets:   ${plan.targets.length ? plan.targets.join(" ") : "(default)"}`,
    `empty:     ${
      plan.allowEmpty ? "allowed" : "a target that builds nothing fails"
    }`,
    "config:",
    ...configSteps(plan.config).map((s) => `  - ${s}`),
    "env:",
    ...Object.entries(plan.env).map(([k, v]) => `  ${k}=${shellQuote(v)}`),
    ...plan.envUnset.map((k) => `  unset ${k}`),
    "command:",
    `  ${plan.argv.map(shellQuote).join(" ")}`,
  ];
  if (plan.phases?.length) {
    lines.push(
      `phases:    (--artifacts ${plan.artifacts ?? "default"}${
        plan.keepGoing ? ", --keep-going" : ""
      }; each one make call with the command's words and its goals)`,
    );
    for (const p of plan.phases) {
      const arts = p.artifacts.map((a) =>
        a.kind === "glob" ? `${a.dir}/${a.pattern}` : a.name
      );
      lines.push(
        `  ${p.name}${p.implied ? " (implied)" : ""}: ${
          p.goals.length ? `make ${p.goals.join(" ")}` : "the config step"
        }${p.requires.length ? `, after ${p.requires.join(", ")}` : ""}${
          p.needs ? `, when ${p.needs}=y` : ""
        }${arts.length ? ` -> ${arts.join(", ")}` : ""}`,
      );
    }
  }
  if (plan.notes.length) {
    lines.push("notes:", ...plan.notes.map((n) => `  - ${n}`));
  }
  return lines;
}
