/**
 * Hand-made `.tar.xz` archives with exactly the members asked for (for
 * malicious-archive tests).
 *
 * @module
 */
import { runTool } from "./run_tool.ts";

/** A member of a hand-made tar archive (`makeTarXz`). */
export interface TarMember {
  name: string;
  type?: "file" | "dir" | "symlink" | "hardlink" | "chardev";
  content?: string;
  linkname?: string;
  mode?: number;
}

function tarHeader(m: TarMember, size: number): Uint8Array {
  const h = new Uint8Array(512);
  const enc = new TextEncoder();
  const put = (off: number, len: number, s: string) =>
    h.set(enc.encode(s).subarray(0, len), off);
  const oct = (off: number, len: number, n: number) =>
    put(off, len, n.toString(8).padStart(len - 1, "0") + "\0");
  put(0, 100, m.name);
  oct(100, 8, m.mode ?? (m.type === "dir" ? 0o755 : 0o644));
  oct(108, 8, 0);
  oct(116, 8, 0);
  oct(124, 12, size);
  oct(136, 12, 0);
  const flag = {
    file: "0",
    hardlink: "1",
    symlink: "2",
    chardev: "3",
    dir: "5",
  }[m.type ?? "file"];
  put(156, 1, flag);
  put(157, 100, m.linkname ?? "");
  put(257, 6, "ustar\0");
  put(263, 2, "00");
  if (m.type === "chardev") {
    oct(329, 8, 1);
    oct(337, 8, 3);
  }
  put(148, 8, "        ");
  let sum = 0;
  for (const b of h) sum += b;
  put(148, 8, sum.toString(8).padStart(6, "0") + "\0 ");
  return h;
}

/**
 * Writes a `.tar.xz` with exactly these members (names verbatim, so `../x`
 * and `/abs` survive), for malicious-archive tests.
 */
export async function makeTarXz(
  path: string,
  members: TarMember[],
): Promise<string> {
  const parts: Uint8Array[] = [];
  for (const m of members) {
    const body = new TextEncoder().encode(
      m.type === undefined || m.type === "file" ? m.content ?? "" : "",
    );
    parts.push(tarHeader(m, body.length));
    if (body.length) {
      const padded = new Uint8Array(Math.ceil(body.length / 512) * 512);
      padded.set(body);
      parts.push(padded);
    }
  }
  parts.push(new Uint8Array(1024));
  const tar = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    tar.set(p, off);
    off += p.length;
  }
  Deno.writeFileSync(path.replace(/\.xz$/, ""), tar);
  await runTool(["xz", "-0", "-f", path.replace(/\.xz$/, "")]);
  return path;
}

/** The members of a minimal valid crosstool toolchain (wrapping Debian's gcc). */
export function crosstoolMembers(version: string, triple: string): TarMember[] {
  const top = `gcc-${version}-nolibc/${triple}`;
  return [
    { name: `gcc-${version}-nolibc/`, type: "dir" },
    { name: `${top}/`, type: "dir" },
    { name: `${top}/bin/`, type: "dir" },
    {
      name: `${top}/bin/${triple}-gcc`,
      content: `#!/bin/sh\nexec /usr/bin/powerpc64-linux-gnu-gcc-12 "$@"\n`,
      mode: 0o755,
    },
  ];
}
