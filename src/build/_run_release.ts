/**
 * The kernel release of a build (`6.1.0-rc1-00042-gabcdef`): what
 * `make -s kernelrelease` prints for native builds; the drop-in, which must
 * stay one make call, reads `include/config/kernel.release` (what kbuild
 * wrote during that make call).
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { runCaptured } from "../proc/run_captured.ts";
import type { BuildPlan } from "./types.ts";

/**
 * The release string, or null when there is none yet (no `.config`, make
 * failed before `prepare`).
 *
 * @param plan the plan that ran
 * @param make the build's make argv without goals, its environment and signal
 */
export async function kernelRelease(
  plan: BuildPlan,
  make: { argv: string[]; env: Record<string, string>; signal: AbortSignal },
): Promise<string | null> {
  const objDir = plan.outDir ?? plan.srcTree;
  if (plan.mode === "make.cross") {
    return await readRelease(`${objDir}/include/config/kernel.release`);
  }
  try {
    await Deno.stat(`${objDir}/.config`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  try {
    const r = await runCaptured(
      [
        ...make.argv.filter((w) => !/^(--keep-going|-k)$/.test(w)),
        "-s",
        "kernelrelease",
      ],
      {
        cwd: plan.cwd,
        env: make.env,
        inheritEnv: false,
        signal: make.signal,
        maxBytes: 1 << 16,
      },
    );
    const line = r.stdout.trim().split("\n").pop()?.trim() ?? "";
    return r.success && /^[\w.+~-]+$/.test(line) ? line : null;
  } catch (error) {
    if (error instanceof InfraError) return null;
    throw error;
  }
}

async function readRelease(path: string): Promise<string | null> {
  try {
    return (await Deno.readTextFile(path)).trim() || null;
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) return null;
    throw error;
  }
}
