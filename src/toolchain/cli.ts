/**
 * CLI for the toolchain area: `kcross toolchain list|fetch|path|import`.
 *
 * @module
 */
import type { Command, CommandContext } from "../util/command.ts";
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
import { InfraError, UserError } from "../errors.ts";
import { cacheDir } from "../paths.ts";
import {
  archInfo,
  assertKnownTriple,
  chooseTriple,
  supportedArches,
} from "./arch.ts";
import { knownVersions, parseCompiler, publishedBy } from "./catalog.ts";
import { listInstalled, readMarker } from "./installed.ts";
import { exists, MARKER } from "./layout.ts";
import { resolveToolchain } from "./mod.ts";
import { indexable, recordPath } from "./path_index.ts";
import {
  distroInstallArgv,
  findSystemClangs,
  findSystemGccs,
} from "./system.ts";
import type { ResolvedToolchain, ToolchainProvider } from "./types.ts";
import { runCaptured } from "../proc/run_captured.ts";
import { shellLine } from "../util/shell_quote.ts";

const USAGE = `Usage: kcross toolchain <subcommand> …

  list [--arch A] [--installed] [--json]
      Known releases (and what is installed, system compilers for --arch).
  fetch <compiler> <arch> [--mirror URL]… [--install-path DIR] [--allow-substitute]
        [--allow-distro] [--offline] [--system [--install-package]]
        [--triple-from FILE | --triple T] [--allow-unverified] [--quiet] [--json]
      Install a toolchain (kernel.org crosstool/LLVM, 01.org cross-package,
      or a distro cross gcc) and print where it is. The mirror's listing
      decides the exact version and file; downloads are verified (.tar.sign
      with gpgv, signed sha256sums.asc, or a pin) or refused (exit 3) unless
      --allow-unverified. --allow-distro accepts a distro gcc of the same
      version (another build of it); --allow-substitute the nearest usable
      compiler. --system uses only a distro gcc; --install-package installs
      it with apt-get first (root). --triple-from FILE picks the triple from
      a kernel .config (CONFIG_PPC64=y: powerpc64-linux); --triple names it.
      (--config FILE is the old spelling of --triple-from, kept one release.)
  path <compiler> <arch> [--bin-dir] [same options as fetch]
      Print the CROSS_COMPILE prefix (gcc) or bin dir (clang); fetches on a miss
      unless --offline.
  import <tarball> [--install-path DIR] [--json]
      Install a local crosstool (gcc-<v>-nolibc/<triple>/…) or llvm-<v>-x86_64 tarball.
  prefetch (--compilers LIST [--arches all|A,B…] | --from-reports DIR)
           [--install-path DIR] [--mirror URL]… [--allow-unverified] [--json]
      Download and verify every toolchain needed (e.g. --compilers
      gcc-15.2.0,clang-21 --arches powerpc,arm64) so --offline works later.
  trust <keyfile> [--fingerprint FPR]
      Trust an OpenPGP key for .tar.sign/sha256sums.asc checks: a refreshed
      copy of a pinned key (toolchains/keys.json), or another key whose
      fingerprint you name.

<compiler> is gcc, gcc-<major>, gcc-<x.y.z>, clang, clang-<major>, llvm-<x.y.z>
(or -rc<N>), or a snapshot clang-<x.y.z>git; partial versions resolve to the
newest release the mirror lists (printed and recorded).
<arch> is a kernel ARCH (${supportedArches().join(" ")}).

Environment: COMPILER_INSTALL_PATH (default --install-path, as make.cross),
KCROSS_MIRROR (mirror base URLs, comma-separated), KCROSS_CACHE_DIR,
KCROSS_OFFLINE=1, KCROSS_ALLOW_DISTRO=1, KCROSS_GPG_KEYRING (gpgv keyring
replacing kcross's trusted keys), KCROSS_HOST_ARCH (uname -m of the host),
KCROSS_FETCH_TIMEOUT (seconds), HTTP_PROXY/HTTPS_PROXY/NO_PROXY.
Exit codes: 0 ok, 2 bad input or no exact toolchain, 3 download/verify/disk failure.`;

const RESOLVE_OPTIONS = {
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

function describe(t: ResolvedToolchain): string {
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

async function resolveFromArgs(
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

/** Installs the distro gcc package for `triple` with apt-get (root only). */
async function installPackage(
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

function answerOf(t: ResolvedToolchain, binDir: boolean): string {
  return binDir || t.family === "clang" ? t.binDir : t.crossCompile;
}

/** How `fetch` and `path` parse: `--config FILE` is `--triple-from FILE`'s old spelling. */
function parseResolve<const O extends OptionSpecs>(
  ctx: CommandContext,
  args: string[],
  options: O,
) {
  return parseArgs(args, options, {
    aliases: [DEPRECATED.tripleConfig],
    warn: (line) => ctx.out.err(line),
  });
}

async function runFetch(ctx: CommandContext, args: string[]): Promise<number> {
  const p = parseResolve(ctx, args, RESOLVE_OPTIONS);
  const json = flag(p, "json");
  const progress = flag(p, "quiet") ? undefined : ctx.out;
  const { toolchain } = await resolveFromArgs(ctx, p.positionals, p, progress);
  if (json) {
    ctx.out.out(JSON.stringify(toolchain, null, 2));
  } else {
    if (!flag(p, "quiet")) ctx.out.err(describe(toolchain));
    ctx.out.out(`CROSS_COMPILE=${toolchain.crossCompile}`);
    ctx.out.out(
      `BIN_DIRS=${
        [toolchain.binDir, ...(toolchain.extraBinDirs ?? [])].join(":")
      }`,
    );
  }
  return 0;
}

async function runPath(ctx: CommandContext, args: string[]): Promise<number> {
  const p = parseResolve(ctx, args, {
    ...RESOLVE_OPTIONS,
    "bin-dir": { type: "boolean" },
  });
  const progress = flag(p, "quiet") ? undefined : ctx.out;
  const { toolchain } = await resolveFromArgs(ctx, p.positionals, p, progress);
  if (flag(p, "json")) ctx.out.out(JSON.stringify(toolchain, null, 2));
  else ctx.out.out(answerOf(toolchain, flag(p, "bin-dir")));
  return 0;
}

async function runImport(ctx: CommandContext, args: string[]): Promise<number> {
  const p = parseArgs(args, {
    "install-path": { type: "string" },
    ...commonSpecs("json", "quiet"),
  });
  const [tarball, ...rest] = p.positionals;
  if (!tarball || rest.length) {
    throw new UserError("Expected one <tarball>", {
      hint:
        "e.g. kcross toolchain import x86_64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz",
    });
  }
  const root = str(p, "install-path") ?? `${cacheDir()}/toolchains`;
  const { importToolchain } = await import("./import_toolchain.ts");
  const res = await importToolchain(
    tarball.startsWith("/") ? tarball : `${ctx.cwd}/${tarball}`,
    {
      root,
      cacheDir: cacheDir(),
      ...(flag(p, "quiet") ? {} : { out: ctx.out }),
    },
  );
  if (flag(p, "json")) ctx.out.out(JSON.stringify(res, null, 2));
  else {
    ctx.out.out(
      `${res.family === "gcc" ? "gcc" : "llvm"}-${res.version}${
        res.triple ? ` for ${res.triple}` : ""
      }: ${res.dir}${res.downloaded ? "" : " (already installed)"}`,
    );
  }
  return 0;
}

interface ListRow {
  compiler: string;
  family: "gcc" | "clang";
  version: string;
  source: string;
  triple: string | null;
  installed: string | null;
  /** How an install was verified (installed rows). */
  verification?: string;
}

async function runList(ctx: CommandContext, args: string[]): Promise<number> {
  const p = parseArgs(args, {
    arch: { type: "string" },
    installed: { type: "boolean" },
    "install-path": { type: "string" },
    ...commonSpecs("json"),
  });
  if (p.positionals.length) {
    throw new UserError(`Unexpected argument "${p.positionals[0]}"`);
  }
  const arch = str(p, "arch");
  const triples = arch
    ? [
      ...new Set([
        archInfo(arch).triple,
        ...(archInfo(arch).rules ?? []).map((r) => r.triple),
      ]),
    ]
    : undefined;
  const installPath = str(p, "install-path") ??
    (Deno.env.get("COMPILER_INSTALL_PATH") || undefined);
  const roots = [
    ...(installPath ? [{ root: installPath, requireMarker: false }] : []),
    { root: `${cacheDir()}/toolchains`, requireMarker: true },
  ];
  const rows: ListRow[] = [];
  const installed = roots.flatMap((r) => listInstalled(r.root, r));
  for (const i of installed) {
    if (triples && i.family === "gcc" && !triples.includes(i.triple!)) continue;
    rows.push({
      compiler: `${i.family === "gcc" ? "gcc" : "llvm"}-${i.version}`,
      family: i.family,
      version: i.version,
      source: "installed",
      triple: i.triple ?? null,
      installed: i.dir,
      verification: installedVerification(i.dir),
    });
  }
  if (arch) {
    for (const t of triples!) {
      for (const g of await findSystemGccs(t)) {
        rows.push({
          compiler: `gcc-${g.version}`,
          family: "gcc",
          version: g.version,
          source: `system (${g.exe})`,
          triple: t,
          installed: g.exe,
        });
      }
    }
    for (const c of await findSystemClangs()) {
      rows.push({
        compiler: `clang-${c.version}`,
        family: "clang",
        version: c.version,
        source: "system",
        triple: null,
        installed: c.binDir,
      });
    }
  }
  if (!flag(p, "installed")) {
    for (const family of ["gcc", "clang"] as const) {
      for (const v of knownVersions(family)) {
        const name = `${family === "gcc" ? "gcc" : "llvm"}-${v}`;
        if (rows.some((r) => r.compiler === name && r.source === "installed")) {
          continue;
        }
        rows.push({
          compiler: name,
          family,
          version: v,
          source: publishedBy(family, v).join(", "),
          triple: family === "gcc" && triples ? triples.join(" ") : null,
          installed: null,
        });
      }
    }
  }
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify(rows, null, 2));
    return 0;
  }
  if (!rows.length) {
    ctx.out.err("No toolchains installed");
    return 0;
  }
  const w = Math.max(...rows.map((r) => r.compiler.length));
  const ws = Math.max(...rows.map((r) => r.source.length));
  for (const r of rows) {
    ctx.out.out(
      `${r.compiler.padEnd(w)}  ${r.source.padEnd(ws)}  ${r.triple ?? ""}${
        r.installed ? `  ${r.installed}` : ""
      }${r.verification ? `  [${r.verification}]` : ""}`.trimEnd(),
    );
  }
  return 0;
}

function installedVerification(dir: string): string {
  const m = readMarker(dir);
  if (!m) return "not recorded (installed outside kcross)";
  return m.verification ??
    (m.verifiedBy ? `sha256: ok (${m.verifiedBy})` : "not recorded");
}

async function runTrust(ctx: CommandContext, args: string[]): Promise<number> {
  const p = parseArgs(args, { fingerprint: { type: "string" } });
  const [file, ...rest] = p.positionals;
  if (!file || rest.length) {
    throw new UserError("Expected one <keyfile>", {
      hint:
        "e.g. kcross toolchain trust 88AFCD206B1611957187F16B60AB47FFC9095227.asc",
    });
  }
  const { trustKey } = await import("./keys.ts");
  const fpr = str(p, "fingerprint");
  const r = trustKey(file.startsWith("/") ? file : `${ctx.cwd}/${file}`, {
    ...(fpr ? { expected: fpr } : {}),
  });
  ctx.out.out(
    `Trusted ${r.fingerprint}${
      r.pinned ? " (pinned by kcross)" : ""
    }: ${r.path}`,
  );
  return 0;
}

/** `kcross toolchain`. */
const toolchainCommand: Command = {
  name: "toolchain",
  usage: USAGE,
  run(ctx) {
    const [sub, ...rest] = ctx.args;
    switch (sub) {
      case "list":
        return runList(ctx, rest);
      case "fetch":
        return runFetch(ctx, rest);
      case "path":
        return runPath(ctx, rest);
      case "import":
        return runImport(ctx, rest);
      case "prefetch":
        return import("./prefetch_cli.ts").then((m) =>
          m.runPrefetch(ctx, rest)
        );
      case "trust":
        return runTrust(ctx, rest);
      default:
        return Promise.reject(
          new UserError(
            sub
              ? `Unknown toolchain subcommand "${sub}"`
              : "Missing toolchain subcommand",
            {
              hint:
                "use list, fetch, path, import, prefetch or trust (kcross toolchain --help)",
            },
          ),
        );
    }
  },
};

/** Subcommands this area provides. */
export const toolchainCommands: Command[] = [toolchainCommand];
