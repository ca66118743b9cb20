/**
 * `kcross doctor`: what the host lacks for building kernels, and the exact
 * command that installs it. Requirements are data (`toolchains/doctor.json`).
 *
 * @module
 */
import { type Requirement, requirements } from "../host/needed_tools.ts";

export { type Requirement, requirements };

/** A requirement and whether the host meets it. */
export interface Finding {
  requirement: Requirement;
  ok: boolean;
  /** The command or file that satisfied it. */
  foundAt?: string;
}

/** How the host probes for things (tests pass their own). */
export interface HostProbe {
  path: string;
  exists(path: string): boolean;
}

function realExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The real host. */
export function realHost(): HostProbe {
  return { path: Deno.env.get("PATH") ?? "/usr/bin:/bin", exists: realExists };
}

/** Checks every requirement against the host. */
export function checkHost(
  host: HostProbe = realHost(),
  reqs: Requirement[] = requirements(),
): Finding[] {
  const dirs = host.path.split(":").filter((d) => d);
  return reqs.map((requirement) => {
    for (const c of requirement.commands ?? []) {
      const hits = c.startsWith("/") ? [c] : dirs.map((d) => `${d}/${c}`);
      const hit = hits.find((h) => host.exists(h));
      if (hit) return { requirement, ok: true, foundAt: hit };
    }
    for (const f of requirement.files ?? []) {
      if (host.exists(f)) return { requirement, ok: true, foundAt: f };
    }
    return { requirement, ok: false };
  });
}

/** A package manager kcross knows how to drive. */
export type PackageManager = "apt-get" | "dnf";

/** The host's package manager, if one is known. */
export function detectPackageManager(
  host: HostProbe = realHost(),
): PackageManager | undefined {
  const dirs = host.path.split(":");
  for (const pm of ["apt-get", "dnf"] as const) {
    if (dirs.some((d) => host.exists(`${d}/${pm}`))) return pm;
  }
  return undefined;
}

/**
 * The argv that installs what is missing (optional ones included only when
 * `withOptional`), or undefined when nothing is missing.
 *
 * @example
 * ```ts
 * import { installArgv } from "./mod.ts";
 * const r = { name: "flex", commands: ["flex"], debian: "flex", fedora: "flex", why: "" };
 * const argv = installArgv([{ requirement: r, ok: false }], "apt-get");
 * if (argv?.join(" ") !== "apt-get install -y --no-install-recommends flex") throw new Error();
 * ```
 */
export function installArgv(
  findings: Finding[],
  pm: PackageManager,
  withOptional = false,
): string[] | undefined {
  const pkgs = [
    ...new Set(
      findings.filter((f) => !f.ok && (withOptional || !f.requirement.optional))
        .map((f) =>
          pm === "apt-get" ? f.requirement.debian : f.requirement.fedora
        ),
    ),
  ];
  if (!pkgs.length) return undefined;
  return pm === "apt-get"
    ? ["apt-get", "install", "-y", "--no-install-recommends", ...pkgs]
    : ["dnf", "install", "-y", ...pkgs];
}
