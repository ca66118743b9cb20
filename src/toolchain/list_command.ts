/**
 * `kcross toolchain list`: known releases, what is installed (and how it was
 * verified), and with `--arch` the system compilers for its triples.
 *
 * @module
 */
import type { CommandContext } from "../util/command.ts";
import { flag, parseArgs, str } from "../util/args.ts";
import { commonSpecs } from "../util/flags.ts";
import { UserError } from "../errors.ts";
import { cacheDir } from "../paths.ts";
import { archInfo } from "./arch.ts";
import { knownVersions, publishedBy } from "./catalog.ts";
import { listInstalled, readMarker } from "./installed.ts";
import { findSystemClangs, findSystemGccs } from "./system.ts";

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

/** Runs `toolchain list [--arch A] [--installed] [--json]`. */
export async function runList(
  ctx: CommandContext,
  args: string[],
): Promise<number> {
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
