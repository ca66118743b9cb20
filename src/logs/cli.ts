/**
 * `kcross logs`: list, show, diff and rerun build records.
 *
 * @module
 */
import { flag, parseArgs, str } from "../util/args.ts";
import { commonSpecs } from "../util/flags.ts";
import type { Command, CommandContext } from "../util/command.ts";
import { UserError } from "../errors.ts";
import { logsDiff } from "./logs_diff.ts";
import { rerun } from "./logs_rerun.ts";
import {
  formatArtifacts,
  formatRecordSummary,
  formatRecordTable,
} from "./logs_show.ts";
import {
  buildsDir,
  listRecords,
  readRecord,
  recordPath,
  resolveRecordId,
} from "../record/store.ts";
import type { RecordMetadata } from "../record/types.ts";
import type { Diagnostic } from "../diagnostics/types.ts";
import { formatDiagnostic } from "../diagnostics/mod.ts";

const USAGE = `Usage: kcross logs <subcommand> …

List, show, diff and rerun build records (kept under
$XDG_STATE_HOME/kcross/builds/<id>/, or KCROSS_STATE_DIR/builds).

Subcommands:
  ls [--json]                         every record, oldest first
  show <id> [--diagnostics] [--json]  one record (summary, its diagnostics, or metadata.json)
  show <id> --artifacts [--json]      the files in its artifacts/: name, size, sha256, path
  diff <base-id> <id>                 diagnostics of <id>, new ones prefixed ">> ",
                                      fixed ones listed after; exit 1 on new errors
  rerun <id> [--tree DIR] [--out DIR] [--trust-make-line]
                                      replay the record's reproducer with kcross

<id> is a record id, a unique prefix of one, "latest", or a record directory path.
Exit codes: 0 ok, 1 new errors (diff) or a failed rerun, 2 user error, 3 infrastructure error.`;

async function readDiagnostics(id: string): Promise<Diagnostic[]> {
  const dir = recordPath(await resolveRecordId(id));
  try {
    return JSON.parse(
      await Deno.readTextFile(`${dir}/diagnostics.json`),
    ) as Diagnostic[];
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new UserError(`Record "${id}" has no diagnostics.json`, {
        hint: "the build did not get as far as make",
      });
    }
    throw error;
  }
}

async function runLogs(ctx: CommandContext): Promise<number> {
  const [sub, ...rest] = ctx.args;
  switch (sub) {
    case "ls":
    case "list": {
      const p = parseArgs(rest, commonSpecs("json"));
      const records = await listRecords();
      if (p.values.json) {
        ctx.out.out(JSON.stringify(records.map(listEntry), null, 2));
      } else if (records.length === 0) {
        ctx.out.err("No build records yet");
      } else {
        for (const line of formatRecordTable(records)) ctx.out.out(line);
      }
      return 0;
    }
    case "show": {
      const p = parseArgs(rest, {
        ...commonSpecs("json"),
        diagnostics: { type: "boolean" },
        artifacts: { type: "boolean" },
      });
      const id = one(p.positionals, "show <id>");
      const meta = await readRecord(id);
      const dir = recordPath(await resolveRecordId(id));
      if (p.values.artifacts) {
        const list = meta.artifacts ?? [];
        if (p.values.json) {
          ctx.out.out(
            JSON.stringify(
              list.map((a) => ({ ...a, file: `${dir}/${a.path}` })),
              null,
              2,
            ),
          );
        } else if (list.length === 0) {
          ctx.out.err(
            `Record "${meta.id}" has no artifacts (they come from named targets: kcross build … kernel modules)`,
          );
        } else {
          for (const line of formatArtifacts(list, dir)) ctx.out.out(line);
        }
        return 0;
      }
      if (p.values.diagnostics) {
        const diags = await readDiagnostics(id);
        if (p.values.json) ctx.out.out(JSON.stringify(diags, null, 2));
        else for (const d of diags) ctx.out.out(formatDiagnostic(d));
        return 0;
      }
      if (p.values.json) ctx.out.out(JSON.stringify(meta, null, 2));
      else for (const line of formatRecordSummary(meta, dir)) ctx.out.out(line);
      return 0;
    }
    case "diff": {
      const p = parseArgs(rest, {});
      if (p.positionals.length !== 2) {
        throw new UserError("logs diff needs two record ids", {
          hint: "kcross logs diff <base-id> <id>",
        });
      }
      const [base, head] = p.positionals as [string, string];
      const result = logsDiff(
        await readDiagnostics(base),
        await readDiagnostics(head),
      );
      for (const line of result.lines) ctx.out.out(line);
      return result.newErrors > 0 ? 1 : 0;
    }
    case "rerun": {
      const p = parseArgs(rest, {
        tree: { type: "string" },
        out: { type: "string" },
        "trust-make-line": { type: "boolean" },
      });
      const id = one(p.positionals, "rerun <id>");
      const meta = await readRecord(id);
      const tree = str(p, "tree");
      const out = str(p, "out");
      // A record named by a path may be anyone's; one in this machine's
      // store (found by id) was written here.
      const recordDir = absolute(
        ctx.cwd,
        recordPath(await resolveRecordId(id)),
      );
      return await rerun(meta, {
        recordDir,
        ownRecord: inStore(recordDir),
        cwd: ctx.cwd,
        ...(tree ? { tree: absolute(ctx.cwd, tree) } : {}),
        ...(out ? { outDir: absolute(ctx.cwd, out) } : {}),
        ...(flag(p, "trust-make-line") ? { trustMakeLine: true } : {}),
      }, ctx);
    }
    case undefined:
      throw new UserError("logs needs a subcommand", {
        hint: "kcross logs ls | show <id> | diff <base> <id> | rerun <id>",
      });
    default:
      throw new UserError(`Unknown logs subcommand "${sub}"`, {
        hint: "kcross logs ls | show <id> | diff <base> <id> | rerun <id>",
      });
  }
}

/** Whether `dir` is a record directory of this machine's store. */
function inStore(dir: string): boolean {
  try {
    const real = Deno.realPathSync(dir);
    return real.slice(0, real.lastIndexOf("/")) ===
      Deno.realPathSync(buildsDir());
  } catch {
    return false;
  }
}

function absolute(cwd: string, path: string): string {
  return path.startsWith("/") ? path : `${cwd}/${path}`;
}

function one(positionals: string[], usage: string): string {
  if (positionals.length !== 1) {
    throw new UserError(`logs ${usage.split(" ")[0]} needs one record id`, {
      hint: `kcross logs ${usage}`,
    });
  }
  return positionals[0]!;
}

function listEntry(m: RecordMetadata) {
  return {
    id: m.id,
    result: m.result,
    reason: m.reason,
    startedAt: m.startedAt,
    finishedAt: m.finishedAt,
    arch: m.plan.arch,
    compiler: m.toolchain
      ? `${m.toolchain.family}-${m.toolchain.version}`
      : null,
    targets: m.plan.targets,
    commit: m.tree.commit,
    diagnostics: m.diagnostics,
  };
}

/** Subcommands this area provides. */
export const logsCommands: Command[] = [{
  name: "logs",
  usage: USAGE,
  run: runLogs,
}];
