/**
 * CLI for the doctor area: `kcross doctor [--install] [--optional] [--json]`.
 *
 * @module
 */
import type { Command, CommandContext } from "../util/command.ts";
import { flag, parseArgs, str } from "../util/args.ts";
import { commonSpecs } from "../util/flags.ts";
import { InfraError, UserError } from "../errors.ts";
import { checkHost, detectPackageManager, installArgv } from "./mod.ts";
import { checkForConfig, type ConfigFinding } from "./for_config.ts";
import { shellLine } from "../util/shell_quote.ts";
import { runCaptured } from "../proc/run_captured.ts";

const USAGE = `Usage: kcross doctor [--install] [--optional] [--json]
       kcross doctor --config FILE [WORD…] [--json]

Checks that the host has what kernel builds need (make, a host gcc, flex,
bison, bc, perl, git, xz, tar, openssl and libelf headers, cpio; optional:
rsync, kmod, gpgv, ccache, pahole) and prints the exact command that installs
what is missing. --install runs it (as root, with apt-get or dnf);
--optional includes the optional packages.

--config FILE says which host tools one build needs and which are missing:
those its .config asks for (CONFIG_DEBUG_INFO_BTF → pahole, CONFIG_RUST →
rustc, bindgen, rust-src, CONFIG_MODULE_SIG → openssl…), its make words
(C=1 → sparse) and its targets (dtbs_check → dt-schema, headers_install →
rsync), each with the reason. The table is toolchains/doctor.json.
Exit codes: 0 nothing required is missing, 1 something is, 2 --install
without root or a bad --config file, 3 the install command failed.`;

function reportForConfig(
  ctx: CommandContext,
  file: string,
  findings: ConfigFinding[],
  json: boolean,
): number {
  const missing = findings.filter((f) => !f.ok);
  if (json) {
    ctx.out.out(JSON.stringify(
      {
        ok: missing.length === 0,
        config: file,
        needed: findings.map((f) => ({
          name: f.requirement.name,
          because: f.because,
          ok: f.ok,
          foundAt: f.foundAt ?? null,
          debian: f.requirement.debian,
          fedora: f.requirement.fedora,
          why: f.requirement.why,
        })),
      },
      null,
      2,
    ));
    return missing.length ? 1 : 0;
  }
  ctx.out.out(`What a build of ${file} needs from the host:`);
  const w = Math.max(0, ...findings.map((f) => f.requirement.name.length));
  for (const f of findings) {
    const status = f.ok ? "ok     " : "MISSING";
    const detail = f.ok
      ? f.foundAt
      : `${f.requirement.why} (package ${f.requirement.debian})`;
    ctx.out.out(
      `${status}  ${f.requirement.name.padEnd(w)}  ${detail}  [${f.because}]`,
    );
  }
  if (missing.length) {
    const pkgs = [...new Set(missing.map((f) => f.requirement.debian))];
    ctx.out.out("");
    ctx.out.out(`Install with: apt-get install -y ${pkgs.join(" ")}`);
  }
  return missing.length ? 1 : 0;
}

async function run(ctx: CommandContext): Promise<number> {
  const p = parseArgs(ctx.args, {
    install: { type: "boolean" },
    optional: { type: "boolean" },
    ...commonSpecs("json"),
    config: { type: "string" },
  });
  const configFile = str(p, "config");
  if (configFile !== undefined) {
    const found = await checkForConfig(configFile, p.positionals);
    return reportForConfig(ctx, configFile, found, flag(p, "json"));
  }
  let findings = checkHost();
  const pm = detectPackageManager();
  const argv = pm ? installArgv(findings, pm, flag(p, "optional")) : undefined;
  if (flag(p, "install") && argv) {
    if (Deno.uid() !== 0) {
      throw new UserError("Installing packages needs root", {
        hint: `run: ${shellLine(["sudo", ...argv])}`,
      });
    }
    ctx.out.err(`+ ${shellLine(argv)}`);
    if (pm === "apt-get") {
      const upd = await runCaptured(["apt-get", "update", "-q"], {
        stdout: "inherit",
        stderr: "inherit",
        processGroup: false,
      });
      if (!upd.success) ctx.out.err("warning: apt-get update failed");
    }
    const r = await runCaptured(argv, {
      env: { DEBIAN_FRONTEND: "noninteractive" },
      stdout: "inherit",
      stderr: "inherit",
      processGroup: false,
    });
    if (!r.success) {
      throw new InfraError(
        `"${shellLine(argv)}" failed with exit code ${r.code}`,
        {
          hint: "check the package manager's output above, then rerun",
        },
      );
    }
    findings = checkHost();
  }
  const missing = findings.filter((f) => !f.ok && !f.requirement.optional);
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify(
      {
        ok: missing.length === 0,
        packageManager: pm ?? null,
        install: argv ?? null,
        findings: findings.map((f) => ({
          name: f.requirement.name,
          ok: f.ok,
          optional: f.requirement.optional ?? false,
          foundAt: f.foundAt ?? null,
          debian: f.requirement.debian,
          fedora: f.requirement.fedora,
          why: f.requirement.why,
        })),
      },
      null,
      2,
    ));
    return missing.length ? 1 : 0;
  }
  const w = Math.max(...findings.map((f) => f.requirement.name.length));
  for (const f of findings) {
    const status = f.ok
      ? "ok     "
      : f.requirement.optional
      ? "absent "
      : "MISSING";
    const detail = f.ok
      ? f.foundAt
      : `${f.requirement.why} (package ${
        pm === "dnf" ? f.requirement.fedora : f.requirement.debian
      })`;
    ctx.out.out(`${status}  ${f.requirement.name.padEnd(w)}  ${detail}`);
  }
  const stillArgv = pm
    ? installArgv(findings, pm, flag(p, "optional"))
    : undefined;
  if (stillArgv) {
    ctx.out.out("");
    ctx.out.out(
      `Install with: ${Deno.uid() === 0 ? "" : "sudo "}${shellLine(stillArgv)}`,
    );
    if (!flag(p, "install")) ctx.out.out("(or run: kcross doctor --install)");
  } else if (missing.length) {
    ctx.out.out("");
    ctx.out.out(
      `Install: ${
        missing.map((f) => f.requirement.debian).join(" ")
      } (Debian names)`,
    );
  }
  return missing.length ? 1 : 0;
}

/** `kcross doctor`. */
const doctorCommand: Command = {
  name: "doctor",
  usage: USAGE,
  run,
};

/** Subcommands this area provides. */
export const doctorCommands: Command[] = [doctorCommand];
