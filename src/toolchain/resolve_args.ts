/**
 * The `<compiler> <arch>` words and options that `toolchain fetch` and
 * `toolchain path` share, turned into a resolved toolchain (and an index
 * entry for the launcher's fast path when the answer is exact).
 *
 * @module
 */
import type { CommandContext } from "../util/command.ts";
import type { Output } from "../util/output.ts";
import {
  type AnyParsed,
  flag,
  type OptionSpecs,
  parseArgs,
  str,
  strs,
} from "../util/args.ts";
import { commonSpecs, DEPRECATED } from "../util/flags.ts";
import { UserError } from "../errors.ts";
import { cacheDir } from "../paths.ts";
import { archInfo, assertKnownTriple, chooseTriple } from "./arch.ts";
import { parseCompiler } from "./catalog.ts";
import { installPackage } from "./install_package.ts";
import { exists, MARKER } from "./layout.ts";
import { resolveToolchain } from "./mod.ts";
import { indexable, recordPath } from "./path_index.ts";
import type { ResolvedToolchain, ToolchainProvider } from "./types.ts";

/** The options of `toolchain fetch` and `toolchain path`. */
export const RESOLVE_OPTIONS = {
  mirror: { type: "string", multiple: true },
  "install-path": { type: "string" },
  "allow-unverified": { type: "boolean" },
  system: { type: "boolean" },
  "install-package": { type: "boolean" },
  "triple-from": { type: "string" },
  triple: { type: "string" },
  ...commonSpecs(
    "allow-substitute",
    "allow-distro",
    "offline",
    "quiet",
    "json",
  ),
} as const;

/** One line saying what was resolved and how exactly (stderr of `fetch`). */
export function describe(t: ResolvedToolchain): string {
  const how = t.exactness === "version"
    ? `same version, another build than ${t.requested}`
    : t.exact
    ? "exact"
    : `SUBSTITUTE for ${t.requested}`;
  return `${
    t.family === "gcc" ? "gcc" : "llvm"
  }-${t.version} for ${t.triple} (${t.provider}, ${how}; ${
    t.verification ?? "verification not recorded"
  })`;
}

/**
 * Resolves `<compiler> <arch>` with the parsed options; `plain` when no
 * option changed the answer (then an exact one is indexed for the fast path).
 *
 * @throws {UserError} bad words, an unreadable `--triple-from`, no toolchain
 * @throws {InfraError} a download or verification failure
 */
export async function resolveFromArgs(
  ctx: CommandContext,
  words: string[],
  values: AnyParsed,
  progressOut: Output | undefined,
): Promise<{ toolchain: ResolvedToolchain; arch: string; plain: boolean }> {
  const [compiler, arch] = words;
  if (!compiler || !arch || words.length > 2) {
    throw new UserError("Expected <compiler> <arch>", {
      hint: "e.g. kcross toolchain fetch gcc-12.2.0 powerpc",
    });
  }
  parseCompiler(compiler);
  const info = archInfo(arch);
  const configFile = str(values, "triple-from");
  let config: string | null = null;
  if (configFile) {
    try {
      config = Deno.readTextFileSync(
        configFile.startsWith("/") ? configFile : `${ctx.cwd}/${configFile}`,
      );
    } catch {
      throw new UserError(`Cannot read config "${configFile}"`, {
        hint:
          "--triple-from takes a kernel .config file, e.g. build_dir/.config",
      });
    }
  }
  const choice = chooseTriple(info.name, config);
  const triple = str(values, "triple") ?? choice.triple;
  assertKnownTriple(triple);
  const installPath = str(values, "install-path") ??
    (Deno.env.get("COMPILER_INSTALL_PATH") || undefined);
  const offline = flag(values, "offline") ||
    Deno.env.get("KCROSS_OFFLINE") === "1";
  const provider: ToolchainProvider | undefined = flag(values, "system")
    ? "system"
    : undefined;
  const mirrors = strs(values, "mirror");
  const resolve = () =>
    resolveToolchain({
      compiler,
      triple,
      ...(choice.alsoNeeds.length && !str(values, "triple")
        ? { alsoNeeds: choice.alsoNeeds }
        : {}),
      ...(flag(values, "allow-substitute") ? { allowSubstitute: true } : {}),
      ...(flag(values, "allow-distro") ? { allowDistro: true } : {}),
      ...(installPath ? { installPath } : {}),
      ...(offline ? { offline } : {}),
      ...(provider ? { provider } : {}),
    }, {
      ...(progressOut ? { out: progressOut } : {}),
      ...(mirrors.length ? { mirrors } : {}),
      signal: ctx.signal,
      ...(flag(values, "allow-unverified") ? { allowUnverified: true } : {}),
    });
  let toolchain: ResolvedToolchain;
  try {
    toolchain = await resolve();
  } catch (error) {
    if (
      !(error instanceof UserError) || provider !== "system" ||
      !flag(values, "install-package")
    ) throw error;
    await installPackage(ctx, triple, compiler);
    toolchain = await resolve();
  }
  const plain = !configFile && !str(values, "triple") && !provider &&
    !flag(values, "allow-substitute");
  if (plain && toolchain.exact && indexable(compiler)) {
    const marker = cacheMarkerOf(toolchain);
    recordPath(cacheDir(), {
      compiler,
      arch,
      installPath,
      answer: answerOf(toolchain, false),
      check: toolchain.family === "gcc"
        ? `${toolchain.crossCompile}gcc`
        : `${toolchain.binDir}/clang`,
      ...(marker ? { marker } : {}),
    });
  }
  return { toolchain, arch, plain };
}

/**
 * The marker of a toolchain installed in kcross's cache (the one a resolve
 * stamps and `cache gc` ranks by), or undefined for other installs.
 */
function cacheMarkerOf(t: ResolvedToolchain): string | undefined {
  const root = `${cacheDir()}/toolchains/`;
  if (!t.binDir.startsWith(root) || !t.binDir.endsWith("/bin")) return;
  const marker = `${t.binDir.slice(0, -"/bin".length)}/${MARKER}`;
  return exists(marker) ? marker : undefined;
}

/** What `toolchain path` prints: the CROSS_COMPILE prefix, or the bin dir. */
export function answerOf(t: ResolvedToolchain, binDir: boolean): string {
  return binDir || t.family === "clang" ? t.binDir : t.crossCompile;
}

/** How `fetch` and `path` parse: `--config FILE` is `--triple-from FILE`'s old spelling. */
export function parseResolve<const O extends OptionSpecs>(
  ctx: CommandContext,
  args: string[],
  options: O,
) {
  return parseArgs(args, options, {
    aliases: [DEPRECATED.tripleConfig],
    warn: (line) => ctx.out.err(line),
  });
}
