/**
 * CLI for the toolchain area: `kcross toolchain list|fetch|path|import|prefetch|trust`
 * (`list` in `list_command.ts`, `prefetch` in `prefetch_cli.ts`, the words
 * `fetch` and `path` share in `resolve_args.ts`).
 *
 * @module
 */
import type { Command, CommandContext } from "../util/command.ts";
import { flag, parseArgs, str } from "../util/args.ts";
import { commonSpecs } from "../util/flags.ts";
import { UserError } from "../errors.ts";
import { cacheDir } from "../paths.ts";
import { supportedArches } from "./arch.ts";
import { runList } from "./list_command.ts";
import {
  answerOf,
  describe,
  parseResolve,
  RESOLVE_OPTIONS,
  resolveFromArgs,
} from "./resolve_args.ts";

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
