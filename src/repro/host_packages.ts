/**
 * Host packages the demo needs, checked with dpkg and installed with apt-get
 * (argv only) when running as root.
 *
 * @module
 */
import { requirements } from "../doctor/mod.ts";
import { InfraError, UserError } from "../errors.ts";
import { shellLine } from "../util/shell_quote.ts";
import { CommandNotFoundError } from "../proc/run_captured.ts";
import {
  type ProcessRunner,
  realProcessRunner,
} from "../proc/process_runner.ts";

/**
 * Debian packages `kcross demo` needs: the kernel build requirements of
 * `kcross doctor` (its non-optional ones), ccache, the kernel source and the
 * powerpc64 cross gcc.
 */
export function demoPackages(): string[] {
  const fromDoctor = requirements().filter((r) => !r.optional).flatMap((r) =>
    r.debian.split(/\s+/).filter((p) => p)
  );
  return [
    ...new Set([
      ...fromDoctor,
      "ccache",
      "linux-source-6.1",
      "gcc-powerpc64-linux-gnu",
    ]),
  ];
}

/** Runs a short command through `proc` (stdin closed); a missing program is `null`. */
async function captured(
  proc: ProcessRunner,
  argv: string[],
  env?: Record<string, string>,
): Promise<{ success: boolean; stdout: string; stderr: string } | null> {
  try {
    const o = await proc.capture(argv, env ? { env } : {});
    return { success: o.success, stdout: o.stdout, stderr: o.stderr };
  } catch (e) {
    if (e instanceof CommandNotFoundError) return null;
    throw e;
  }
}

/**
 * The packages of `wanted` that dpkg does not list as installed, or null when
 * this is not a dpkg system.
 */
export async function missingPackages(
  wanted: readonly string[],
  proc: ProcessRunner = realProcessRunner,
): Promise<string[] | null> {
  const r = await captured(proc, [
    "dpkg-query",
    "-W",
    "-f=${Package} ${db:Status-Status}\n",
    ...wanted,
  ]);
  if (r === null) return null;
  const installed = new Set(
    r.stdout.split("\n").filter((l) => l.endsWith(" installed")).map((l) =>
      l.split(" ")[0]!.split(":")[0]!
    ),
  );
  return wanted.filter((p) => !installed.has(p));
}

/** Options for `ensurePackages`. */
export interface EnsurePackagesOptions {
  /** How dpkg-query and apt-get start (the demo's context `proc`). */
  proc?: ProcessRunner;
  /** Whether we may install (root). Default: uid 0. */
  canInstall?: boolean;
  progress?: (line: string) => void;
}

/**
 * Installs what is missing of `wanted` (apt-get, as root), or explains what
 * to install.
 *
 * @returns the packages that were installed
 * @throws {UserError} packages missing and not root
 * @throws {InfraError} apt-get failed
 */
export async function ensurePackages(
  wanted: readonly string[],
  options: EnsurePackagesOptions = {},
): Promise<string[]> {
  const proc = options.proc ?? realProcessRunner;
  const progress = options.progress ?? (() => {});
  const missing = await missingPackages(wanted, proc);
  if (missing === null) {
    progress("not a Debian system (no dpkg-query): skipping the package check");
    return [];
  }
  if (missing.length === 0) return [];
  const canInstall = options.canInstall ?? Deno.uid() === 0;
  const argv = [
    "apt-get",
    "install",
    "-y",
    "--no-install-recommends",
    ...missing,
  ];
  if (!canInstall) {
    throw new UserError(`Missing host packages: ${missing.join(" ")}`, {
      hint: `run as root, or install them: ${shellLine(["sudo", ...argv])}`,
    });
  }
  const env = { DEBIAN_FRONTEND: "noninteractive" };
  progress(shellLine(argv));
  let r = await captured(proc, argv, env);
  if (r && !r.success) {
    progress("apt-get update");
    await captured(proc, ["apt-get", "update"], env);
    r = await captured(proc, argv, env);
  }
  if (!r || !r.success) {
    throw new InfraError(
      `Cannot install ${missing.join(" ")}: ${
        r
          ? r.stderr.trim().split("\n").slice(-2).join(" / ")
          : "apt-get not found"
      }`,
      { hint: `retry: ${shellLine(argv)}` },
    );
  }
  return missing;
}
