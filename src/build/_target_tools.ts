/**
 * The host tools named targets cannot build without (`hostTools` in
 * `toolchains/targets.json`, naming requirements of
 * `toolchains/doctor.json`): dt-schema for `dtbs_check`, dpkg-dev and
 * fakeroot for `bindeb-pkg`, libpci's headers for `cpupower`. A build
 * asking for one whose tool is missing is refused before anything runs.
 *
 * @module
 */
import {
  checkHost,
  type HostProbe,
  realHost,
  requirements,
} from "../doctor/mod.ts";
import { InfraError } from "../errors.ts";
import { targetSpec } from "./targets.ts";
import type { PlannedPhase } from "./types.ts";

/** A planned target whose host tool is missing. */
export interface MissingTargetTool {
  target: string;
  /** The requirement's name (`dt-schema`). */
  tool: string;
  debian: string;
  fedora: string;
  /** What it looked for (`dt-doc-validate`, `/usr/include/pci/pci.h`). */
  lookedFor: string;
}

/**
 * The missing host tools of `phases` (in phase order), as `probe` sees the
 * host.
 *
 * @example
 * ```ts
 * import { missingTargetTools } from "./_target_tools.ts";
 * const phase = (name: string) => ({ name, goals: [name], requires: [], implied: false, artifacts: [] });
 * const none = { path: "/nonexistent", exists: () => false };
 * const m = missingTargetTools([phase("config"), phase("dtbs_check")], none);
 * if (m.map((x) => `${x.target}:${x.tool}:${x.lookedFor}`).join() !== "dtbs_check:dt-schema:dt-doc-validate") throw new Error(JSON.stringify(m));
 * if (missingTargetTools([phase("dtbs_check")], { path: "/bin", exists: () => true }).length !== 0) throw new Error();
 * ```
 */
export function missingTargetTools(
  phases: readonly PlannedPhase[],
  probe: HostProbe,
): MissingTargetTool[] {
  const byName = new Map(requirements().map((r) => [r.name, r]));
  const out: MissingTargetTool[] = [];
  for (const phase of phases) {
    for (const tool of targetSpec(phase.name)?.hostTools ?? []) {
      const req = byName.get(tool);
      if (!req) throw new Error(`targets.json: unknown host tool "${tool}"`);
      if (checkHost(probe, [req])[0]!.ok) continue;
      out.push({
        target: phase.name,
        tool,
        debian: req.debian,
        fedora: req.fedora,
        lookedFor: [...(req.commands ?? []), ...(req.files ?? [])][0] ?? tool,
      });
    }
  }
  return out;
}

/**
 * Refuses a build whose named targets lack a host tool: one line naming the
 * target, the tool and what was looked for; the hint names the packages.
 *
 * @param path the PATH the build's make will run with
 * @throws {InfraError} (exit 3) for the first missing tool
 */
export function checkTargetTools(
  phases: readonly PlannedPhase[],
  path: string,
): void {
  if (!phases.some((p) => targetSpec(p.name)?.hostTools)) return;
  const m = missingTargetTools(phases, { ...realHost(), path })[0];
  if (!m) return;
  const where = m.lookedFor.startsWith("/") ? "" : " on PATH";
  throw new InfraError(
    `Target "${m.target}" needs ${m.tool}: "${m.lookedFor}" not found${where}`,
    {
      hint:
        `install ${m.debian} (Debian/Ubuntu) or ${m.fedora} (Fedora); kcross doctor --config .config ${m.target} lists what a build needs`,
    },
  );
}
