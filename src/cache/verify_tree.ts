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

/** What differs between a tree and its archive. */
export interface TreeDiff {
  /** `path: reason` lines from `tar --compare` (contents, mode, link, missing). */
  changed: string[];
  /** Files in the tree that the archive does not contain. */
  added: string[];
  /** The kept archive no longer has the recorded sha256. */
  archiveModified: boolean;
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
  const diff: TreeDiff = { changed: [], added: [], archiveModified: false };
  if (
    marker.archiveSha256 && await sha256File(archive) !== marker.archiveSha256
  ) {
    diff.archiveModified = true;
    return diff;
  }
  // The archive's <top>/… members live at <root>/<top>/… = dir.
  const root = dir.slice(0, dir.length - top.length - 1);
  const cmp = await tar(["--compare", "-f", archive, "-C", root, top]);
  for (const line of cmp.out.split("\n")) {
    const m = /^(?:tar: )?(.+?): (.+)$/.exec(line.trim());
    // Owner (extracted with --no-same-owner) and mtime alone are not damage.
    if (
      m && m[1] !== "tar" &&
      !/^(Exiting with failure|(Mod time|Uid|Gid) differs)/.test(m[2]!)
    ) {
      diff.changed.push(
        `${m[1]!.slice(top.length + 1)}: ${m[2]!.replace(/^Warning: /, "")}`,
      );
    }
  }
  const listed = await tar(["-tf", archive, top]);
  const inArchive = new Set(
    listed.out.split("\n").map((l) =>
      l.replace(/\/$/, "").replace(/^\.\//, "")
    ),
  );
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
