/**
 * Derives kcross's built-in robot profile from real robot reports: parses
 * every mail under the given directories with kcross's own report parser,
 * counts which arch × config class × compiler family × W × C combinations
 * produced reports, and picks, greedily, the smallest set of runnable cells
 * that covers the most of them.
 *
 *   deno run -A tools/robot_profile.ts [--markdown FILE] [--toml FILE] DIR…
 *
 * DIR holds one mail per file (`git show <sha>:m` of a public-inbox archive,
 * or an mbox split into files). Mails that are not robot build reports
 * (summaries, replies, BUILD SUCCESS) are skipped; duplicates (the same
 * Message-ID in several lists) count once.
 *
 * @module
 */
import { parseReport } from "../src/report/mod.ts";

/** One report, reduced to the setup that produced it. */
export interface ReportSetup {
  arch: string;
  /** allmodconfig, allyesconfig, allnoconfig, defconfig, board-defconfig, randconfig, distro, kismet, other */
  configClass: string;
  /** The config as named, for board defconfigs (`arm-multi_v7_defconfig`). */
  configName: string;
  family: "gcc" | "clang";
  /** The compiler's major version (`11` of gcc 11.2.0), or null. */
  major: number | null;
  w: number;
  c: number;
  year: number | null;
}

/** Arch as the profile runs it: make.cross's ARCH of the config's prefix. */
export function profileArch(arch: string): string {
  const a = arch.toLowerCase();
  if (a === "powerpc64") return "powerpc";
  if (a === "x86") return "x86_64";
  if (a === "sparc64") return "sparc";
  return a;
}

/**
 * The class of a robot config name.
 *
 * @example
 * ```ts
 * import { configClass } from "./robot_profile.ts";
 * if (configClass("powerpc-allmodconfig") !== "allmodconfig") throw new Error();
 * if (configClass("x86_64-randconfig-r002-20231231") !== "randconfig") throw new Error();
 * if (configClass("arm-multi_v7_defconfig") !== "board-defconfig") throw new Error();
 * if (configClass("x86_64-rhel-8.3-bpf") !== "distro") throw new Error();
 * ```
 */
export function configClass(name: string): string {
  const rest = name.slice(name.indexOf("-") + 1);
  if (/randconfig/.test(rest)) return "randconfig";
  if (/^kismet/.test(rest)) return "kismet";
  for (
    const c of ["allmodconfig", "allyesconfig", "allnoconfig", "defconfig"]
  ) {
    if (rest === c) return c;
  }
  if (/_defconfig$/.test(rest) || /^[a-z0-9_]+_defconfig/.test(rest)) {
    return "board-defconfig";
  }
  if (/^(rhel|debian|kexec|fedora|ubuntu|openeuler|buildonly)/.test(rest)) {
    return "distro";
  }
  if (/^(allmodconfig|allyesconfig|defconfig|allnoconfig)-/.test(rest)) {
    return rest.slice(0, rest.indexOf("-"));
  }
  return "other";
}

/** Classes a profile cell can build deterministically. */
export const RUNNABLE = new Set([
  "allmodconfig",
  "allyesconfig",
  "allnoconfig",
  "defconfig",
]);

function num(v: number | string | null | undefined): number {
  const n = typeof v === "number" ? v : Number(v);
  return Number.isFinite(n) ? n : 0;
}

/** Reads one mail into its setup, or null when it is not a robot build report. */
export function setupOf(
  text: string,
): { id: string; setup: ReportSetup } | null {
  if (!/^From:.*(kernel|kbuild) test robot/im.test(text.slice(0, 20000))) {
    return null;
  }
  const id = /^Message-ID:\s*<([^>]+)>/im.exec(text)?.[1];
  const date = /^Date:.*\b((?:19|20)\d\d)\b/im.exec(text)?.[1];
  let r;
  try {
    r = parseReport(text, { lenient: true });
  } catch {
    return null;
  }
  if (!r.config_name || !r.compiler || !r.arch) return null;
  if (/^Re:/im.test(/^Subject:(.*)$/im.exec(text)?.[1] ?? "")) return null;
  return {
    id: id ?? `${r.commit}:${r.config_name}`,
    setup: {
      arch: profileArch(r.arch),
      configClass: configClass(r.config_name),
      configName: r.config_name,
      family: r.compiler.name,
      major: r.compiler.version
        ? Number(/^(\d+)/.exec(r.compiler.version)?.[1] ?? NaN) || null
        : null,
      w: num(r.w),
      c: num(r.c),
      year: date ? Number(date) : null,
    },
  };
}

/** A profile cell: what `kcross matrix` builds. */
export interface Cell {
  arch: string;
  config: string;
  family: "gcc" | "clang";
  w: number;
  c: number;
}

/** The key of a cell. */
export function cellKey(c: Cell): string {
  return `${c.arch}/${c.config}/${c.family}/W=${c.w}/C=${c.c}`;
}

/**
 * Whether `cell` would build what produced report `s`: strictly, the same
 * arch, config class and compiler family, with at least its W and C.
 */
export function covers(cell: Cell, s: ReportSetup): boolean {
  return cell.arch === s.arch && cell.family === s.family &&
    cell.config === s.configClass && cell.w >= s.w && cell.c >= s.c;
}

/**
 * Loosely: allmodconfig/allyesconfig of the same arch and family also
 * stand for randconfig, distro and board defconfig reports (an upper bound:
 * a randconfig error from a disabled dependency is not seen by allmodconfig).
 */
export function coversLoosely(cell: Cell, s: ReportSetup): boolean {
  if (covers(cell, s)) return true;
  return cell.arch === s.arch && cell.family === s.family &&
    (cell.config === "allmodconfig" || cell.config === "allyesconfig") &&
    ["randconfig", "distro", "board-defconfig", "other"].includes(
      s.configClass,
    ) && cell.w >= s.w && cell.c >= s.c;
}

/** The candidate cells: every runnable setup seen, at W=1 and with/without C=1. */
export function candidates(setups: readonly ReportSetup[]): Cell[] {
  const seen = new Map<string, Cell>();
  for (const s of setups) {
    const cls = RUNNABLE.has(s.configClass) ? s.configClass : "allmodconfig";
    for (const c of [0, 1]) {
      const cell: Cell = {
        arch: s.arch,
        config: cls,
        family: s.family,
        w: 1,
        c,
      };
      seen.set(cellKey(cell), cell);
    }
  }
  return [...seen.values()].sort((a, b) =>
    cellKey(a).localeCompare(cellKey(b))
  );
}

/** One step of the greedy cover. */
export interface CoverStep {
  cell: Cell;
  /** Reports newly covered by this cell. */
  gained: number;
  /** Reports covered by the cells so far. */
  covered: number;
}

/**
 * What a cell costs relative to a W=1 allmodconfig build: sparse (C=1) runs
 * a second front end over every file; allnoconfig and defconfig build far
 * less.
 */
export function cellCost(cell: Cell): number {
  const config = cell.config === "allnoconfig"
    ? 0.1
    : cell.config === "defconfig"
    ? 0.4
    : 1;
  return config * (cell.c ? 1.8 : 1);
}

/**
 * Greedy weighted set cover: each step takes the cell that covers the most
 * uncovered reports per unit of cost (`cellCost`).
 */
export function greedyCover(
  setups: readonly ReportSetup[],
  cells: readonly Cell[],
  rule: (c: Cell, s: ReportSetup) => boolean,
  maxCells: number,
): CoverStep[] {
  const left = new Set(setups.map((_, i) => i));
  const steps: CoverStep[] = [];
  let covered = 0;
  while (steps.length < maxCells && left.size) {
    let best: Cell | undefined;
    let bestHits: number[] = [];
    let bestScore = 0;
    for (const cell of cells) {
      const hits = [...left].filter((i) => rule(cell, setups[i]!));
      const score = hits.length / cellCost(cell);
      if (score > bestScore) {
        best = cell;
        bestHits = hits;
        bestScore = score;
      }
    }
    if (!best || !bestHits.length) break;
    for (const i of bestHits) left.delete(i);
    covered += bestHits.length;
    steps.push({ cell: best, gained: bestHits.length, covered });
  }
  return steps;
}

function countBy<T>(
  xs: readonly T[],
  key: (x: T) => string,
): [string, number][] {
  const m = new Map<string, number>();
  for (const x of xs) m.set(key(x), (m.get(key(x)) ?? 0) + 1);
  return [...m.entries()].sort((a, b) =>
    b[1] - a[1] || a[0].localeCompare(b[0])
  );
}

async function readSetups(dirs: string[]): Promise<{
  setups: ReportSetup[];
  mails: number;
  skipped: number;
}> {
  const byId = new Map<string, ReportSetup>();
  let mails = 0;
  let skipped = 0;
  for (const dir of dirs) {
    for await (const e of Deno.readDir(dir)) {
      if (!e.isFile) continue;
      mails++;
      const text = await Deno.readTextFile(`${dir}/${e.name}`);
      const got = setupOf(text);
      if (!got) {
        skipped++;
        continue;
      }
      byId.set(got.id, got.setup);
    }
  }
  return { setups: [...byId.values()], mails, skipped };
}

function pct(n: number, of: number): string {
  return of ? `${((100 * n) / of).toFixed(1)}%` : "-";
}

/**
 * The profile's cells: the greedy steps until a cell adds less than
 * `minGain` of the reports per unit of cost, at most `maxCells`.
 */
export function chooseCells(
  steps: readonly CoverStep[],
  total: number,
  minGain = 0.02,
  maxCells = 12,
): CoverStep[] {
  const out: CoverStep[] = [];
  for (const s of steps) {
    if (
      out.length >= maxCells || s.gained / cellCost(s.cell) / total < minGain
    ) {
      break;
    }
    out.push(s);
  }
  return out;
}

function markdown(
  dirs: string[],
  read: { setups: ReportSetup[]; mails: number; skipped: number },
  strict: CoverStep[],
  loose: CoverStep[],
  chosen: CoverStep[],
): string {
  const { setups } = read;
  const n = setups.length;
  const out: string[] = [];
  out.push("# The robot profile: which builds produce robot reports");
  out.push("");
  out.push(
    "`configs/robot-profile.toml` (what `kcross presubmit` runs by default) is derived from data, not taste: `tools/robot_profile.ts` parses real kernel test robot mails with kcross's own report parser, counts the setups that produced reports and picks, greedily, the smallest set of runnable cells that covers the most reports per unit of build cost (a C=1 cell costs 1.8× its plain twin, a defconfig 0.4× and an allnoconfig 0.1× an allmodconfig). Rerun it on a fresher archive to refresh the profile:",
  );
  out.push("");
  out.push("```sh");
  out.push(
    "tools/node_modules/.bin/deno run -A tools/robot_profile.ts --markdown docs/robot-profile.md --toml configs/robot-profile.toml DIR…",
  );
  out.push("```");
  out.push("");
  out.push(
    `Input: ${read.mails} mails from ${dirs.length} public-inbox archives (${
      dirs.map((d) => `\`${d.split("/").at(-1)}\``).join(", ")
    }); ${n} distinct robot build reports (by Message-ID) with a config, a compiler and an arch; ${read.skipped} mails skipped (replies, summaries, BUILD SUCCESS/REGRESSION, no compiler line).`,
  );
  out.push("");
  out.push(
    "These are general lists that receive the robot's reports on patches and branches sent to them, gcc and clang alike. The `clang-built-linux` archive is left out on purpose: it receives every clang report and none of the gcc ones, so it would skew the families (run over it alone, it gives 6,981 clang and 642 gcc reports).",
  );
  out.push("");
  const table = (title: string, rows: [string, number][], limit = 20) => {
    out.push(`## ${title}`);
    out.push("");
    out.push("| value | reports | share |");
    out.push("|---|---:|---:|");
    for (const [k, v] of rows.slice(0, limit)) {
      out.push(`| ${k} | ${v} | ${pct(v, n)} |`);
    }
    if (rows.length > limit) out.push(`| … ${rows.length - limit} more | | |`);
    out.push("");
  };
  table(
    "Year of the report",
    countBy(setups, (s) => String(s.year ?? "?")).sort((a, b) =>
      a[0].localeCompare(b[0])
    ),
    30,
  );
  table("Compiler family", countBy(setups, (s) => s.family));
  table(
    "Compiler (family and major)",
    countBy(setups, (s) => `${s.family}-${s.major ?? "?"}`),
    20,
  );
  table("Config class", countBy(setups, (s) => s.configClass));
  table("Arch", countBy(setups, (s) => s.arch), 25);
  table("W and C", countBy(setups, (s) => `W=${s.w} C=${s.c}`));
  table(
    "Arch × config class × family (top 30)",
    countBy(setups, (s) => `${s.arch} ${s.configClass} ${s.family}`),
    30,
  );
  const curve = (title: string, steps: CoverStep[], note: string) => {
    out.push(`## Coverage curve: ${title}`);
    out.push("");
    out.push(note);
    out.push("");
    out.push("| cells | added cell | reports it adds | covered | share |");
    out.push("|---:|---|---:|---:|---:|");
    steps.forEach((s, i) =>
      out.push(
        `| ${i + 1} | ${cellKey(s.cell)} | ${s.gained} | ${s.covered} | ${
          pct(s.covered, n)
        } |`,
      )
    );
    out.push("");
  };
  curve(
    "strict",
    strict,
    "A cell covers a report when it has the report's arch, compiler family and config class (allmodconfig, allyesconfig, allnoconfig, defconfig), with at least its W and C. randconfig, distro and board configs cannot be covered this way: a random config is not a cell anyone can rerun.",
  );
  curve(
    "loose (an upper bound)",
    loose,
    "As strict, and an allmodconfig/allyesconfig cell of the same arch and family also stands for that arch's randconfig, distro and board-config reports (most W=1 warnings and many errors do not depend on the config; an error from a disabled dependency does).",
  );
  const last = chosen.at(-1);
  const strictOfChosen =
    setups.filter((s) => chosen.some((c) => covers(c.cell, s))).length;
  out.push("## The profile");
  out.push("");
  out.push(
    `\`configs/robot-profile.toml\` takes the first ${chosen.length} cells of the loose curve (it stops where the next cell would add less than 2% of the reports per allmodconfig-build of cost, at 12 cells at most): ${
      last ? pct(last.covered, n) : "-"
    } of the reports loosely, ${pct(strictOfChosen, n)} strictly.`,
  );
  out.push("");
  return out.join("\n");
}

/**
 * The compiler a profile cell asks for: the major the robot used most in
 * the newest year of reports of that family (`gcc-15`, `clang-22`),
 * resolved like make.cross to the newest release of that major.
 */
export function currentCompilers(
  setups: readonly ReportSetup[],
): Record<"gcc" | "clang", string> {
  const pick = (family: "gcc" | "clang"): string => {
    const mine = setups.filter((s) => s.family === family && s.major !== null);
    const newest = Math.max(0, ...mine.map((s) => s.year ?? 0));
    const recent = mine.filter((s) => (s.year ?? 0) === newest);
    const top = countBy(recent, (s) => String(s.major))[0]?.[0];
    return top ? `${family}-${top}` : family;
  };
  return { gcc: pick("gcc"), clang: pick("clang") };
}

/** The matrix file for the chosen cells (the first is the matrix, the rest includes). */
export function profileToml(
  chosen: readonly CoverStep[],
  total: number,
  compilers: Record<"gcc" | "clang", string>,
): string {
  const lines = [
    "# The robot profile: the smallest set of cells that covers the most real",
    "# robot reports, derived by tools/robot_profile.ts (docs/robot-profile.md",
    "# has the counts and the coverage curve). Cells build with the robot's",
    "# config policy (CONFIG_WERROR off) and W=1, like the robot.",
    "#   kcross presubmit base..head            # runs this profile",
    "#   kcross matrix run configs/robot-profile.toml",
    'name = "robot-profile"',
    'werror = "off"',
    "",
    "[make]",
    'W = "1"',
    "",
  ];
  chosen.forEach((s, i) => {
    lines.push(
      `# ${s.gained} of ${total} reports (${pct(s.gained, total)}) more`,
    );
    lines.push(i === 0 ? "[matrix]" : "[[include]]");
    const q = (v: string) => (i === 0 ? `["${v}"]` : `"${v}"`);
    lines.push(`arch = ${q(s.cell.arch)}`);
    lines.push(`config = ${q(s.cell.config)}`);
    lines.push(`compiler = ${q(compilers[s.cell.family])}`);
    lines.push("");
  });
  return lines.join("\n");
}

async function main(args: string[]): Promise<void> {
  let md: string | undefined;
  let toml: string | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--markdown") md = args[++i];
    else if (args[i] === "--toml") toml = args[++i];
    else dirs.push(args[i]!);
  }
  const read = await readSetups(dirs);
  const cells = candidates(read.setups);
  const strict = greedyCover(read.setups, cells, covers, 30);
  const loose = greedyCover(read.setups, cells, coversLoosely, 30);
  const chosen = chooseCells(loose, read.setups.length);
  const text = markdown(dirs, read, strict, loose, chosen);
  if (md) await Deno.writeTextFile(md, text);
  else await Deno.stdout.write(new TextEncoder().encode(`${text}\n`));
  if (toml) {
    await Deno.writeTextFile(
      toml,
      profileToml(chosen, read.setups.length, currentCompilers(read.setups)),
    );
  }
}

if (import.meta.main) await main(Deno.args);
