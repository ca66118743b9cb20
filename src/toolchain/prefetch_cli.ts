/**
 * `kcross toolchain prefetch`: download and verify what an offline machine
 * will need, with one overall progress line.
 *
 * @module
 */
import type { CommandContext } from "../util/command.ts";
import { flag, parseArgs, str, strs } from "../util/args.ts";
import { commonSpecs } from "../util/flags.ts";
import { KcrossError, UserError } from "../errors.ts";
import { resolveToolchain } from "./mod.ts";
import {
  parseArches,
  planPrefetch,
  prefetchFromReports,
  type PrefetchItem,
  readReportDir,
} from "./prefetch.ts";
import type { ResolvedToolchain } from "./types.ts";

function bar(done: number, total: number): string {
  const width = 20;
  const full = total ? Math.round((done / total) * width) : width;
  return `[${"#".repeat(full)}${".".repeat(width - full)}] ${done}/${total}`;
}

/** Runs `kcross toolchain prefetch …`. */
export async function runPrefetch(
  ctx: CommandContext,
  args: string[],
): Promise<number> {
  const p = parseArgs(args, {
    compilers: { type: "string" },
    arches: { type: "string" },
    "from-reports": { type: "string" },
    "install-path": { type: "string" },
    mirror: { type: "string", multiple: true },
    "allow-unverified": { type: "boolean" },
    ...commonSpecs("json", "quiet"),
  });
  if (p.positionals.length) {
    throw new UserError(`Unexpected argument "${p.positionals[0]}"`);
  }
  const compilers = (str(p, "compilers") ?? "").split(",").map((c) => c.trim())
    .filter((c) => c);
  const reports = str(p, "from-reports");
  if (!compilers.length && !reports) {
    throw new UserError("Nothing to prefetch", {
      hint:
        "give --compilers gcc-15.2.0,clang-21 [--arches all|powerpc,arm64] or --from-reports DIR",
    });
  }
  const items: PrefetchItem[] = [
    ...(compilers.length
      ? planPrefetch(compilers, parseArches(str(p, "arches")))
      : []),
    ...(reports
      ? prefetchFromReports(
        readReportDir(
          reports.startsWith("/") ? reports : `${ctx.cwd}/${reports}`,
        ),
      )
      : []),
  ];
  if (!items.length) {
    throw new UserError(`No downloadable compiler named in "${reports}"`, {
      hint: "reports with a distro compiler need its package instead (apt-get)",
    });
  }
  const installPath = str(p, "install-path") ??
    (Deno.env.get("COMPILER_INSTALL_PATH") || undefined);
  const mirrors = strs(p, "mirror");
  const quiet = flag(p, "quiet");
  const results: {
    item: PrefetchItem;
    toolchain?: ResolvedToolchain;
    error?: KcrossError;
  }[] = [];
  for (const [i, item] of items.entries()) {
    if (!quiet) {
      ctx.out.err(
        `prefetch ${bar(i, items.length)} ${item.compiler} ${item.triple}`,
      );
    }
    try {
      const toolchain = await resolveToolchain({
        compiler: item.compiler,
        triple: item.triple,
        ...(installPath ? { installPath } : {}),
        offline: false,
      }, {
        ...(mirrors.length ? { mirrors } : {}),
        signal: ctx.signal,
        ...(flag(p, "allow-unverified") ? { allowUnverified: true } : {}),
      });
      results.push({ item, toolchain });
    } catch (error) {
      ctx.signal.throwIfAborted();
      if (!(error instanceof KcrossError)) throw error;
      results.push({ item, error });
    }
  }
  if (!quiet) ctx.out.err(`prefetch ${bar(items.length, items.length)} done`);
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify(
      results.map((r) => ({
        compiler: r.item.compiler,
        triple: r.item.triple,
        ...(r.toolchain
          ? {
            id: r.toolchain.id,
            version: r.toolchain.version,
            exactness: r.toolchain.exactness ?? null,
            verification: r.toolchain.verification ?? null,
            binDir: r.toolchain.binDir,
          }
          : { error: r.error!.message }),
      })),
      null,
      2,
    ));
  } else {
    for (const r of results) {
      ctx.out.out(
        r.toolchain
          ? `${r.item.compiler} ${r.item.triple}: ${r.toolchain.id} (${
            r.toolchain.verification ?? "verification not recorded"
          })`
          : `${r.item.compiler} ${r.item.triple}: FAILED: ${r.error!.message}`,
      );
    }
  }
  const failed = results.filter((r) => r.error);
  if (failed.length) {
    const first = failed[0]!.error!;
    const Cls = Object.getPrototypeOf(first).constructor as typeof UserError;
    throw new Cls(
      `${failed.length} of ${results.length} toolchains could not be prefetched; first: ${first.message}`,
      { hint: first.hint ?? "rerun the command once the problem is fixed" },
    );
  }
  return 0;
}
