/**
 * `toolchain fetch/path --system --install-package`: the distro gcc package
 * for a triple installed with apt-get (root only), its output on stderr.
 *
 * @module
 */
import type { CommandContext } from "../util/command.ts";
import { InfraError, UserError } from "../errors.ts";
import { runCaptured } from "../proc/run_captured.ts";
import { shellLine } from "../util/shell_quote.ts";
import { parseCompiler } from "./catalog.ts";
import { distroInstallArgv } from "./system.ts";

/**
 * Installs the distro gcc package for `triple` with apt-get (root only).
 *
 * @throws {UserError} no package is known, or not root (the hint has the command)
 * @throws {InfraError} apt-get cannot be run or fails
 */
export async function installPackage(
  ctx: CommandContext,
  triple: string,
  compiler: string,
): Promise<void> {
  const major = Number(parseCompiler(compiler).partial.split(".")[0]) ||
    undefined;
  const argv = distroInstallArgv(triple, major);
  if (!argv) {
    throw new UserError(`No distro package is known for "${triple}"`);
  }
  if (Deno.uid() !== 0) {
    throw new UserError("Installing a distro compiler needs root", {
      hint: `run: ${shellLine(["sudo", ...argv])}`,
    });
  }
  ctx.out.err(`+ ${shellLine(argv)}`);
  let r;
  try {
    r = await runCaptured(argv, {
      env: { DEBIAN_FRONTEND: "noninteractive" },
      processGroup: false,
    });
  } catch (error) {
    throw new InfraError(`Cannot run "${argv[0]}"`, {
      cause: error,
      hint: "install the package with your distribution's package manager",
    });
  }
  // stdout stays clean for `toolchain path`: the package manager talks on stderr.
  for (const stream of [r.stdout, r.stderr]) {
    for (const line of stream.split("\n")) {
      if (line.trim()) ctx.out.err(line);
    }
  }
  if (!r.success) {
    throw new InfraError(
      `"${shellLine(argv)}" failed with exit code ${r.code}`,
      {
        hint: "check the package name and apt sources, then rerun",
      },
    );
  }
}
