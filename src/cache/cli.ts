/**
 * CLI for the cache area: `kcross cache ls|verify|gc`.
 *
 * @module
 */
import type { Command, CommandContext } from "../util/command.ts";
import { flag, intOpt, parseArgs, str } from "../util/args.ts";
import { commonSpecs } from "../util/flags.ts";
import { UserError } from "../errors.ts";
import { formatBytes } from "../fetch/progress.ts";
import { cacheDir } from "../paths.ts";
import {
  type CacheEntry,
  listCache,
  parseDuration,
  planGc,
  removeEntries,
  verifyCache,
} from "./mod.ts";

const USAGE = `Usage: kcross cache <subcommand> …

  ls [--json]
      Installed toolchains (and system-compiler shims) in the cache, with
      provider, size, verification source and last use.
  verify [--json]
      Compare every installed tree with the verified archive it came from
      (kept in the cache): the archive is re-hashed against the sha256
      recorded at install, then tar --compare checks each file's contents,
      mode and link target. Exit 1 when a tree was modified.
  gc [--keep-newest N | --older-than D] [--dry-run] [--json]
      Remove least recently used toolchains: keep the N most recent, or remove
      those unused for D (45s, 90m, 12h, 30d, 2w). Also drops partial
      downloads older than a day. Never touches a COMPILER_INSTALL_PATH.
      (--keep N is the deprecated spelling of --keep-newest N: --keep is a
      yes/no flag everywhere else.)

The cache is $KCROSS_CACHE_DIR, else $XDG_CACHE_HOME/kcross, else ~/.cache/kcross
(now: ${"$"}{cache}).`;

function entryJson(e: CacheEntry) {
  return {
    id: e.id,
    dir: e.dir,
    kind: e.kind,
    provider: e.marker.provider,
    version: e.marker.version,
    triple: e.marker.triple ?? null,
    sizeBytes: e.sizeBytes,
    lastUsed: e.lastUsed.toISOString(),
    installedAt: e.marker.installedAt,
    verifiedBy: e.marker.verifiedBy ?? null,
    archiveSha256: e.marker.archiveSha256 ?? null,
    sourceUrl: e.marker.sourceUrl ?? null,
  };
}

function runLs(ctx: CommandContext, args: string[]): number {
  const p = parseArgs(args, commonSpecs("json"));
  const entries = listCache(cacheDir());
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify(entries.map(entryJson), null, 2));
    return 0;
  }
  if (!entries.length) {
    ctx.out.err(`No toolchains in ${cacheDir()}`);
    return 0;
  }
  const w = Math.max(...entries.map((e) => e.id.length));
  for (const e of entries) {
    ctx.out.out(
      [
        e.id.padEnd(w),
        e.marker.provider.padEnd(13),
        (e.kind === "shim" ? "-" : formatBytes(e.sizeBytes)).padStart(9),
        (e.marker.verifiedBy ?? "-").padEnd(19),
        `used ${e.lastUsed.toISOString().slice(0, 16).replace("T", " ")}`,
      ].join("  "),
    );
  }
  return 0;
}

async function runVerify(ctx: CommandContext, args: string[]): Promise<number> {
  const p = parseArgs(args, commonSpecs("json"));
  const results = await verifyCache(listCache(cacheDir()));
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify(
      results.map((r) => ({
        id: r.entry.id,
        dir: r.entry.dir,
        status: r.status,
        ...(r.diff ? r.diff : {}),
      })),
      null,
      2,
    ));
  } else {
    for (const r of results) {
      let line = `${
        r.status === "modified" ? "MODIFIED" : r.status
      }  ${r.entry.id}`;
      if (r.diff && r.status === "modified") {
        const parts = r.diff.archiveModified
          ? ["the kept archive no longer matches its recorded sha256"]
          : [
            ...r.diff.unsafe.slice(0, 3).map((f) => `${f} (unsafe)`),
            ...r.diff.changed.slice(0, 3),
            ...r.diff.added.slice(0, 3).map((f) => `${f}: not in the archive`),
          ];
        line += `: ${parts.join("; ")}`;
      }
      ctx.out.out(line);
    }
    if (results.some((r) => r.status === "modified")) {
      ctx.out.err(
        'hint: remove a modified toolchain with "kcross cache gc" or delete its dir, then fetch it again',
      );
    }
  }
  return results.some((r) => r.status === "modified") ? 1 : 0;
}

async function runGc(ctx: CommandContext, args: string[]): Promise<number> {
  const p = parseArgs(args, {
    "keep-newest": { type: "string" },
    "older-than": { type: "string" },
    "dry-run": { type: "boolean" },
    ...commonSpecs("json"),
  }, {
    aliases: [{
      name: "keep",
      spec: { type: "string" },
      to: "keep-newest",
      spelling: "--keep N",
    }],
    warn: ctx.out.err,
  });
  const keepText = str(p, "keep-newest");
  const older = str(p, "older-than");
  if (keepText === undefined && older === undefined) {
    throw new UserError(
      "Say what to remove: --keep-newest N or --older-than D",
      {
        hint:
          "e.g. kcross cache gc --keep-newest 3, or kcross cache gc --older-than 30d",
      },
    );
  }
  const keep = keepText === "0"
    ? 0
    : keepText === undefined
    ? undefined
    : intOpt(p, "keep-newest", 0);
  const doomed = planGc(listCache(cacheDir()), {
    ...(keep !== undefined ? { keep } : {}),
    ...(older !== undefined ? { olderThanMs: parseDuration(older) } : {}),
  });
  if (!flag(p, "dry-run")) {
    await removeEntries(cacheDir(), doomed, {
      signal: ctx.signal,
      onWait: (e) =>
        ctx.out.err(`Waiting for another kcross process using ${e.id}`),
    });
  }
  if (flag(p, "json")) {
    ctx.out.out(JSON.stringify(
      {
        removed: doomed.map(entryJson),
        dryRun: flag(p, "dry-run"),
      },
      null,
      2,
    ));
    return 0;
  }
  const verb = flag(p, "dry-run") ? "would remove" : "removed";
  for (const e of doomed) {
    ctx.out.out(`${verb} ${e.id} (${formatBytes(e.sizeBytes)})`);
  }
  const total = doomed.reduce((n, e) => n + e.sizeBytes, 0);
  ctx.out.err(`${verb} ${doomed.length} toolchain(s), ${formatBytes(total)}`);
  return 0;
}

/** `kcross cache`. */
const cacheCommand: Command = {
  name: "cache",
  usage: USAGE.replace("${cache}", cacheDir()),
  run(ctx) {
    const [sub, ...rest] = ctx.args;
    switch (sub) {
      case "ls":
      case "list":
        return Promise.resolve(runLs(ctx, rest));
      case "verify":
        return runVerify(ctx, rest);
      case "gc":
        return runGc(ctx, rest);
      default:
        return Promise.reject(
          new UserError(
            sub
              ? `Unknown cache subcommand "${sub}"`
              : "Missing cache subcommand",
            { hint: "use ls, verify or gc (kcross cache --help)" },
          ),
        );
    }
  },
};

/** Subcommands this area provides. */
export const cacheCommands: Command[] = [cacheCommand];
