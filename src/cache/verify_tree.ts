/**
 * `kcross cache verify`: compare an installed tree with the verified archive
 * it came from. The archive is re-hashed against the sha256 recorded at
 * install, then GNU `tar --compare` checks every member's contents, mode and
 * link target, and a walk finds files the archive does not have.
 *
 * @module
 */
import { sha256File } from "../util/mod.ts";
import type { InstallMarker } from "../toolchain/installed.ts";
import { MARKER } from "../toolchain/layout.ts";
import { runCaptured } from "../proc/run_captured.ts";
import { STRIPPED_MODE_BITS, unsafeEntries } from "../fetch/extract.ts";

/** What differs between a tree and its archive. */
export interface TreeDiff {
  /** `path: reason` lines from `tar --compare` (contents, mode, link, missing). */
  changed: string[];
  /** Files in the tree that the archive does not contain. */
  added: string[];
  /** The kept archive no longer has the recorded sha256. */
  archiveModified: boolean;
  /**
   * What an install never holds: links resolving outside the tree (alone or
   * as a chain), special files, setuid/setgid/world-writable modes.
   */
  unsafe: string[];
}

async function tar(args: string[]): Promise<{ code: number; out: string }> {
  const r = await runCaptured(["tar", ...args], {
    env: { LANG: "C", LC_ALL: "C" },
  });
  return { code: r.code, out: r.stdout + r.stderr };
}

/**
 * Compares `dir` (an install) with its kept archive.
 *
 * @returns the differences, or undefined when there is no archive to compare with
 */
export async function verifyTree(
  dir: string,
  marker: InstallMarker,
): Promise<TreeDiff | undefined> {
  const archive = marker.archiveFile;
  const top = marker.archiveTopDir;
  if (!archive || !top) return undefined;
  try {
    Deno.statSync(archive);
  } catch {
    return undefined;
  }
  const diff: TreeDiff = {
    changed: [],
    added: [],
    archiveModified: false,
    unsafe: unsafeEntries(dir, { modes: "report" }),
  };
  if (
    marker.archiveSha256 && await sha256File(archive) !== marker.archiveSha256
  ) {
    diff.archiveModified = true;
    return diff;
  }
  // The archive's <top>/… members live at <root>/<top>/… = dir.
  const root = dir.slice(0, dir.length - top.length - 1);
  const cmp = await tar(["--compare", "-f", archive, "-C", root, top]);
  const listed = await tar(["-tvf", archive, "--numeric-owner", top]);
  const modes = archiveModes(listed.out);
  for (const line of cmp.out.split("\n")) {
    const m = /^(?:tar: )?(.+?): (.+)$/.exec(line.trim());
    // Owner (extracted with --no-same-owner) and mtime alone are not damage.
    if (
      !m || m[1] === "tar" ||
      /^(Exiting with failure|(Mod time|Uid|Gid) differs)/.test(m[2]!)
    ) continue;
    // The install clears setuid/setgid/world-writable bits on purpose.
    if (/^Mode differs/.test(m[2]!) && strippedOnly(root, m[1]!, modes)) {
      continue;
    }
    diff.changed.push(
      `${m[1]!.slice(top.length + 1)}: ${m[2]!.replace(/^Warning: /, "")}`,
    );
  }
  const inArchive = new Set(modes.keys());
  const walk = (abs: string, rel: string) => {
    for (const e of Deno.readDirSync(abs)) {
      const r = `${rel}/${e.name}`;
      if (rel === top && e.name === MARKER) continue;
      if (!inArchive.has(r)) diff.added.push(r.slice(top.length + 1));
      if (e.isDirectory && !e.isSymlink) walk(`${abs}/${e.name}`, r);
    }
  };
  walk(dir, top);
  return diff;
}

/**
 * Member modes from a `tar -tv` listing (`-rwsr-xr-x 0/0 5 2026-01-01 00:00
 * name`, a link's ` -> target` dropped).
 */
function archiveModes(listing: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of listing.split("\n")) {
    const m =
      /^(.)([rwxsStT-]{9}) \S+\s+[0-9,\s]+ \d{4}-\d\d-\d\d \d\d:\d\d (.*)$/
        .exec(line);
    if (!m) continue;
    let name = m[3]!;
    if (m[1] === "l") name = name.replace(/ -> .*$/, "");
    if (m[1] === "h") name = name.replace(/ link to .*$/, "");
    out.set(name.replace(/\/$/, "").replace(/^\.\//, ""), permBits(m[2]!));
  }
  return out;
}

/** `rwsr-xr-x` → 0o4755. */
function permBits(perms: string): number {
  let mode = 0;
  for (let i = 0; i < 9; i++) {
    const c = perms[i]!;
    const bit = 1 << (8 - i);
    if (c !== "-" && c !== "S" && c !== "T") mode |= bit;
  }
  if (/[sS]/.test(perms[2]!)) mode |= 0o4000;
  if (/[sS]/.test(perms[5]!)) mode |= 0o2000;
  if (/[tT]/.test(perms[8]!)) mode |= 0o1000;
  return mode;
}

/** Whether `name`'s mode is the archive's minus exactly the stripped bits. */
function strippedOnly(
  root: string,
  name: string,
  modes: Map<string, number>,
): boolean {
  const want = modes.get(name);
  if (want === undefined) return false;
  try {
    const got = (Deno.lstatSync(`${root}/${name}`).mode ?? 0) & 0o7777;
    return got === (want & ~STRIPPED_MODE_BITS);
  } catch {
    return false;
  }
}
