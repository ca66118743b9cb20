/**
 * Expands a validated matrix file into cells: the product of the axes, minus
 * `[[exclude]]`, plus `[[include]]`, with `[[override]]` settings applied.
 * Pure except for reading fragment files to digest them.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { sha256Hex } from "../util/digest.ts";
import { parseFragmentWord } from "../config/mod.ts";
import { archInfo } from "../toolchain/arch.ts";
import { checkCellTargets } from "./_cell_targets.ts";
import { locateKey } from "./_locate.ts";
import type { LoadedMatrix } from "./load_matrix.ts";
import type { CellSettings } from "./schema.ts";
import { axesMatch } from "./select_cells.ts";
import type { Cell, CellInputs, TreeSpec } from "./types.ts";

/** An axis: a name and its values (targets values are space-joined goals). */
interface Axis {
  name: string;
  values: string[];
}

/** Reads a fragment's bytes (injectable for tests). */
export type ReadFile = (path: string) => Promise<Uint8Array>;

function targetString(v: string | string[]): string {
  return (Array.isArray(v) ? v : v.split(/\s+/)).filter((s) => s !== "").join(
    " ",
  );
}

function axesOf(
  loaded: LoadedMatrix,
): { axes: Axis[]; constMake: Record<string, string> } {
  const { matrix, make } = loaded.spec;
  const axes: Axis[] = [
    { name: "arch", values: matrix.arch.map((a) => archInfo(a).name) },
    { name: "config", values: matrix.config },
    { name: "compiler", values: matrix.compiler },
    { name: "targets", values: (matrix.targets ?? [""]).map(targetString) },
  ];
  const constMake: Record<string, string> = {};
  for (const [k, v] of Object.entries(matrix)) {
    if (["arch", "config", "compiler", "targets"].includes(k)) continue;
    axes.push({ name: k, values: v as string[] });
  }
  for (const [k, v] of Object.entries(make ?? {})) {
    if (Array.isArray(v)) axes.push({ name: k, values: v });
    else constMake[k] = v;
  }
  return { axes, constMake };
}

/**
 * Most cells a matrix may expand to. Each cell is a kernel build; past this
 * the expansion itself (10^6 cells: minutes; 10^7: out of memory) is the
 * problem, so the size is computed from the axes before expanding.
 */
export const MAX_CELLS = 10_000;

/**
 * Refuses a matrix whose product of axes plus includes exceeds `MAX_CELLS`,
 * before anything is expanded.
 */
function checkCellCount(loaded: LoadedMatrix, axes: Axis[]): void {
  let n = 1;
  for (const a of axes) n *= a.values.length;
  n += loaded.spec.include?.length ?? 0;
  if (n <= MAX_CELLS) return;
  const sizes = axes.filter((a) => a.values.length > 1).map((a) =>
    `${a.name} ${a.values.length}`
  ).join(" x ");
  throw new UserError(
    `Invalid matrix file\n${loaded.file}:${
      locateKey(loaded.text, ["matrix"])
    }: matrix: ${
      Number.isFinite(n) && n < 1e15 ? n : "more than 10^15"
    } cells (${sizes}) is more than the limit of ${MAX_CELLS}`,
    {
      hint:
        "split the matrix into several files, or drop axis values (--only and --shard select from the expanded cells)",
    },
  );
}

function product(axes: Axis[]): Record<string, string>[] {
  let rows: Record<string, string>[] = [{}];
  for (const axis of axes) {
    const next: Record<string, string>[] = [];
    for (const row of rows) {
      for (const v of axis.values) next.push({ ...row, [axis.name]: v });
    }
    rows = next;
  }
  return rows;
}

function badKey(
  loaded: LoadedMatrix,
  path: (string | number)[],
  msg: string,
): UserError {
  const label = path.map((p) => typeof p === "number" ? `[${p}]` : `.${p}`)
    .join("").replace(/^\./, "");
  return new UserError(
    `Invalid matrix file\n${loaded.file}:${
      locateKey(loaded.text, path)
    }: ${label}: ${msg}`,
  );
}

/** Options for `expandCells`. */
export interface ExpandOptions {
  /** The tree every cell builds (its commit goes into each digest). */
  tree: TreeSpec;
  readFile?: ReadFile;
}

/**
 * Expands `loaded` into cells, in a stable order.
 *
 * @param loaded a validated matrix
 * @param options the tree and a file reader
 * @returns the cells, `index` 0..n-1
 * @throws {UserError} rules naming unknown axes, incomplete includes, missing
 *   fragments, more than `MAX_CELLS` cells
 */
export async function expandCells(
  loaded: LoadedMatrix,
  options: ExpandOptions,
): Promise<Cell[]> {
  const read = options.readFile ?? ((p: string) => Deno.readFile(p));
  // Each fragment is read once, not once per cell.
  const digests = new Map<string, Promise<Uint8Array>>();
  const readFile: ReadFile = (p) => {
    let d = digests.get(p);
    if (d === undefined) {
      d = read(p);
      digests.set(p, d);
    }
    return d;
  };
  const spec = loaded.spec;
  const { axes, constMake } = axesOf(loaded);
  checkCellCount(loaded, axes);
  const names = new Set(axes.map((a) => a.name));
  const checkRule = (
    rule: Record<string, unknown>,
    path: (string | number)[],
  ) => {
    for (const k of Object.keys(rule)) {
      if (!names.has(k)) {
        throw badKey(
          loaded,
          [...path, k],
          `"${k}" is not an axis of this matrix (axes: ${
            [...names].join(", ")
          })`,
        );
      }
    }
  };
  (spec.exclude ?? []).forEach((r, i) => checkRule(r, ["exclude", i]));
  (spec.override ?? []).forEach((r, i) =>
    checkRule(r.match, ["override", i, "match"])
  );

  const rows: { axes: Record<string, string>; settings: CellSettings[] }[] =
    product(axes)
      .filter((row) => !(spec.exclude ?? []).some((r) => axesMatch(r, row)))
      .map((row) => ({ axes: row, settings: [] }));

  let byKey: Map<string, (typeof rows)[number]> | undefined;
  (spec.include ?? []).forEach((inc, i) => {
    const row: Record<string, string> = {};
    for (const axis of axes) {
      let v: string | undefined;
      if (axis.name === "arch" && inc.arch) v = archInfo(inc.arch).name;
      else if (axis.name === "config") v = inc.config;
      else if (axis.name === "compiler") v = inc.compiler;
      else if (axis.name === "targets" && inc.targets !== undefined) {
        v = targetString(inc.targets);
      } else if (inc.make?.[axis.name] !== undefined) v = inc.make[axis.name];
      if (v === undefined) {
        if (axis.values.length !== 1) {
          throw badKey(
            loaded,
            ["include", i],
            `"${axis.name}" must be given: the axis has ${axis.values.length} values`,
          );
        }
        v = axis.values[0]!;
      }
      row[axis.name] = v;
    }
    const key = JSON.stringify(row);
    byKey ??= new Map(rows.map((r) => [JSON.stringify(r.axes), r]));
    const existing = byKey.get(key);
    if (existing) existing.settings.push(inc);
    else {
      const added = { axes: row, settings: [inc] };
      rows.push(added);
      byKey.set(key, added);
    }
  });

  for (const ov of spec.override ?? []) {
    for (const row of rows) {
      if (axesMatch(ov.match, row.axes)) row.settings.push(ov);
    }
  }

  const multi = axes.filter((a) =>
    a.values.length > 1 && !["arch", "config", "compiler"].includes(a.name)
  );
  const cells: Cell[] = [];
  const seenKeys = new Map<string, number>();
  for (const row of rows) {
    const inputs = await cellInputs(
      loaded,
      row.axes,
      row.settings,
      constMake,
      readFile,
    );
    let key = `${row.axes.arch}/${row.axes.config}/${row.axes.compiler}`;
    for (const a of multi) {
      const v = row.axes[a.name] ?? "";
      key += a.name === "targets" ? ` [${v || "all"}]` : ` ${a.name}=${v}`;
    }
    const n = seenKeys.get(key) ?? 0;
    seenKeys.set(key, n + 1);
    if (n > 0) key += ` #${n + 1}`;
    cells.push({
      key,
      index: cells.length,
      axes: row.axes,
      inputs,
      digest: cellDigest(inputs, options.tree),
    });
  }
  checkCellTargets(loaded, cells);
  return cells;
}

async function cellInputs(
  loaded: LoadedMatrix,
  axes: Record<string, string>,
  settings: CellSettings[],
  constMake: Record<string, string>,
  readFile: ReadFile,
): Promise<CellInputs> {
  const spec = loaded.spec;
  const make: Record<string, string> = { ...constMake };
  for (const [k, v] of Object.entries(axes)) {
    if (!["arch", "config", "compiler", "targets"].includes(k)) make[k] = v;
  }
  let targets = axes.targets ? axes.targets.split(" ").filter((s) => s) : [];
  let werror = spec.werror ?? "keep";
  let fragments = [...(spec.fragments ?? [])];
  let sets = [...(spec.set ?? [])];
  let allowFailure = false;
  for (const s of settings) {
    if (s.werror) werror = s.werror;
    if (s.fragments) fragments = [...fragments, ...s.fragments];
    if (s.set) sets = [...sets, ...s.set];
    if (s.make) Object.assign(make, s.make);
    if (s.targets !== undefined) {
      targets = targetString(s.targets).split(" ").filter((x) => x);
    }
    if (s.allow_failure !== undefined) allowFailure = s.allow_failure;
  }
  // A file's digest is its content's; the other forms (URL, in-tree name,
  // make:, inline line) are digested by their word: the tree's commit is in
  // the cell digest, and the record keeps the content digest of each.
  const absFragments: string[] = [];
  const fragmentDigests: string[] = [];
  for (const f of fragments) {
    const parsed = parseFragmentWord(f);
    if (parsed.kind !== "path") {
      absFragments.push(parsed.kind === "url" ? parsed.url : f);
      fragmentDigests.push(sha256Hex(`${parsed.kind}:${f}`));
      continue;
    }
    const abs = f.startsWith("/") ? f : `${loaded.dir}/${f}`;
    try {
      fragmentDigests.push(sha256Hex(await readFile(abs)));
      absFragments.push(abs);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
      if (!f.startsWith("/") && !/^\.\.?\//.test(f)) {
        absFragments.push(f); // the tree's (kvm_guest.config, arch/…)
        fragmentDigests.push(sha256Hex(`tree:${f}`));
        continue;
      }
      throw new UserError(
        `Cannot read config fragment "${f}" named in "${loaded.file}"`,
        {
          hint:
            `fragment paths are relative to the matrix file's directory (${loaded.dir})`,
        },
      );
    }
  }
  const sortedMake: Record<string, string> = {};
  for (const k of Object.keys(make).sort()) sortedMake[k] = make[k]!;
  return {
    arch: axes.arch!,
    config: axes.config!,
    compiler: axes.compiler!,
    targets,
    make: sortedMake,
    fragments: absFragments,
    fragmentDigests,
    sets,
    werror,
    allowFailure,
    ...(loaded.trustMakeLine ? { trustMakeLine: true } : {}),
  };
}

/**
 * The digest of a cell: its build inputs (fragment contents, not paths) and
 * the tree's exact commit. Same digest means same build; it is the BullMQ job
 * id and what `--resume` matches on.
 *
 * @example
 * ```ts
 * import { cellDigest } from "./expand.ts";
 * const inputs = { arch: "powerpc", config: "defconfig", compiler: "gcc-12.2.0", targets: [], make: {}, fragments: [], fragmentDigests: [], sets: [], werror: "keep" as const, allowFailure: false };
 * const tree = { url: ".", commit: "abc", useWorkingTree: false, workingTree: null, dirtyDigest: null };
 * const a = cellDigest(inputs, tree);
 * if (a !== cellDigest(inputs, { ...tree, url: "/elsewhere" })) throw new Error("url is not an input");
 * if (a === cellDigest(inputs, { ...tree, commit: "def" })) throw new Error("commit is");
 * ```
 */
export function cellDigest(inputs: CellInputs, tree: TreeSpec): string {
  const canonical = JSON.stringify({
    v: 1,
    commit: tree.commit,
    dirty: tree.dirtyDigest,
    arch: inputs.arch,
    config: inputs.config,
    compiler: inputs.compiler,
    targets: inputs.targets,
    make: inputs.make,
    fragments: inputs.fragmentDigests,
    sets: inputs.sets,
    werror: inputs.werror,
    // only when set, so the digests of cells without them do not change
    ...(inputs.allowSubstitute ? { allowSubstitute: true } : {}),
    ...(inputs.allowDistro ? { allowDistro: true } : {}),
  });
  return `cell-${sha256Hex(canonical).slice(0, 32)}`;
}
