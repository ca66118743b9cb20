/**
 * A loopback mirror laid out like kernel.org, serving real crosstool-layout
 * `.tar.xz` toolchains built at test time from the Debian cross gcc.
 *
 * Each archive unpacks to `gcc-<ver>-nolibc/<triple>/bin/<triple>-<tool>`:
 * small wrappers that `exec` the Debian binary by its real path (never
 * `exec -a`, so gcc still finds its own files). Debian's gcc-12 for powerpc64
 * is biarch, so it can stand in for both `powerpc64-linux` and
 * `powerpc-linux`.
 *
 * ```ts
 * const m = await startMirror({ toolchains: [{ version: "12.2.0", triple: "powerpc64-linux" }] });
 * // KCROSS_MIRROR=m.url, or resolveToolchain(req, { mirrors: [m.url] })
 * await m.close();
 * ```
 *
 * @module
 */
import { createHash } from "node:crypto";
import { runTool } from "./run_tool.ts";

/** One toolchain to serve. */
export interface MirrorToolchain {
  version: string;
  triple: string;
  /** Debian triple whose binaries the wrappers run (default powerpc64-linux-gnu). */
  debian?: string;
  /** Debian gcc major (default 12). */
  debianMajor?: number;
  /** Serve this prebuilt archive instead of building one. */
  archive?: string;
  /** Random (incompressible) bytes added as `share/pad.bin`. */
  padBytes?: number;
  /** Serve it in the 01.org cross-package layout (no sha256sums.asc). */
  crossPackage?: boolean;
}

/** A kernel.org LLVM build to serve (`llvm-<v>-x86_64.tar.xz`). */
export interface MirrorLlvm {
  version: string;
  /** The clang the wrapper runs (default /usr/lib/llvm-15/bin/clang). */
  clang?: string;
}

/** Fault injection, per request to an archive. */
export interface MirrorFaults {
  /** Respond with this status to the first `count` archive requests. */
  status?: { code: number; count: number };
  /** Drop the connection after this many body bytes (first `count` requests). */
  dropAfter?: { bytes: number; count: number };
  /** Flip one byte in the middle of every archive served. */
  tamper?: boolean;
  /** Publish a wrong digest in sha256sums.asc. */
  wrongSums?: boolean;
  /** Publish no sha256sums.asc (404). */
  noSums?: boolean;
  /** Ignore Range requests (always 200). */
  noRange?: boolean;
  /** Never send the body (stall after headers). */
  stall?: boolean;
}

/** Options of `startMirror`. */
export interface MirrorOptions {
  toolchains: MirrorToolchain[];
  llvm?: MirrorLlvm[];
  /** Throttle archive bodies to about this many bytes per second. */
  bytesPerSecond?: number;
  faults?: MirrorFaults;
  /** Clear-sign sha256sums.asc with the key in this GNUPGHOME. */
  gpgHome?: string;
}

/** A request the mirror saw. */
export interface MirrorRequest {
  method: string;
  path: string;
  range: string | null;
}

/** A running mirror. */
export interface Mirror {
  /** Base URL (the kernel.org root): pass as `--mirror` / `KCROSS_MIRROR`. */
  url: string;
  /** Base URL of the 01.org cross-package layout on this server. */
  crossPackageUrl: string;
  requests: MirrorRequest[];
  /** Archive body bytes sent so far (all requests). */
  bytesSent(): number;
  /** URL path of a toolchain's archive. */
  archivePath(version: string, triple: string): string;
  /** sha256 of the archive served for a toolchain. */
  sha256(version: string, triple: string): string;
  /** Archive requests (GET) seen for a toolchain. */
  archiveGets(version: string, triple: string): MirrorRequest[];
  /** Changes the faults from now on. */
  setFaults(faults: MirrorFaults): void;
  setThrottle(bytesPerSecond: number | undefined): void;
  close(): Promise<void>;
}

const WRAPPED = [
  ["gcc", true],
  ["cpp", true],
  ["gcc-ar", true],
  ["gcc-nm", true],
  ["gcc-ranlib", true],
  ["addr2line", false],
  ["ar", false],
  ["as", false],
  ["c++filt", false],
  ["elfedit", false],
  ["ld", false],
  ["ld.bfd", false],
  ["nm", false],
  ["objcopy", false],
  ["objdump", false],
  ["ranlib", false],
  ["readelf", false],
  ["size", false],
  ["strings", false],
  ["strip", false],
] as const;

/**
 * Builds a crosstool-layout archive `x86_64-gcc-<ver>-nolibc-<triple>.tar.xz`
 * in `outDir` whose tools wrap the Debian cross binutils/gcc.
 *
 * @returns the archive path
 */
export async function buildCrosstoolArchive(
  outDir: string,
  tc: MirrorToolchain,
): Promise<string> {
  const debian = tc.debian ?? "powerpc64-linux-gnu";
  const major = tc.debianMajor ?? 12;
  const src = await Deno.makeTempDir({ prefix: "kcross-mirror-src-" });
  try {
    const top = `${src}/gcc-${tc.version}-nolibc/${tc.triple}`;
    Deno.mkdirSync(`${top}/bin`, { recursive: true });
    Deno.mkdirSync(`${top}/libexec/gcc/${tc.triple}/${tc.version}`, {
      recursive: true,
    });
    for (const [tool, versioned] of WRAPPED) {
      const target = versioned
        ? `/usr/bin/${debian}-${tool}-${major}`
        : `/usr/bin/${debian}-${tool}`;
      Deno.writeTextFileSync(
        `${top}/bin/${tc.triple}-${tool}`,
        `#!/bin/sh\nexec ${target} "$@"\n`,
        { mode: 0o755 },
      );
    }
    // A relative symlink inside the tree, as real toolchains have.
    Deno.symlinkSync(`${tc.triple}-gcc`, `${top}/bin/${tc.triple}-cc`);
    if (tc.padBytes) {
      Deno.mkdirSync(`${top}/share`);
      const pad = new Uint8Array(tc.padBytes);
      for (let i = 0; i < pad.length; i += 65536) {
        crypto.getRandomValues(
          pad.subarray(i, Math.min(i + 65536, pad.length)),
        );
      }
      Deno.writeFileSync(`${top}/share/pad.bin`, pad);
    }
    const tarFile = `${src}/a.tar`;
    await runTool([
      "tar",
      "-cf",
      tarFile,
      "-C",
      src,
      "--owner=0",
      "--group=0",
      "--sort=name",
      "--mtime=@0",
      `gcc-${tc.version}-nolibc`,
    ]);
    await runTool(["xz", "-0", "-T1", "-f", tarFile]);
    Deno.mkdirSync(outDir, { recursive: true });
    const out = `${outDir}/x86_64-gcc-${tc.version}-nolibc-${tc.triple}.tar.xz`;
    Deno.renameSync(`${tarFile}.xz`, out);
    return out;
  } finally {
    Deno.removeSync(src, { recursive: true });
  }
}

/**
 * Builds `llvm-<v>-x86_64.tar.xz` whose `bin/clang`, `bin/ld.lld` and
 * `bin/llvm-*` wrap the distro LLVM.
 *
 * @returns the archive path
 */
export async function buildLlvmArchive(
  outDir: string,
  llvm: MirrorLlvm,
): Promise<string> {
  const clang = llvm.clang ?? "/usr/lib/llvm-15/bin/clang";
  const bin = clang.slice(0, clang.lastIndexOf("/"));
  const src = await Deno.makeTempDir({ prefix: "kcross-mirror-llvm-" });
  try {
    const top = `llvm-${llvm.version}-x86_64`;
    Deno.mkdirSync(`${src}/${top}/bin`, { recursive: true });
    for (
      const tool of ["clang", "ld.lld", "llvm-objcopy", "llvm-ar", "llvm-nm"]
    ) {
      Deno.writeTextFileSync(
        `${src}/${top}/bin/${tool}`,
        `#!/bin/sh\nexec ${bin}/${tool} "$@"\n`,
        { mode: 0o755 },
      );
    }
    Deno.mkdirSync(outDir, { recursive: true });
    const out = `${outDir}/${top}.tar.xz`;
    await runTool([
      "tar",
      "-cJf",
      out,
      "-C",
      src,
      "--owner=0",
      "--group=0",
      top,
    ]);
    return out;
  } finally {
    Deno.removeSync(src, { recursive: true });
  }
}

/**
 * Creates a throwaway signing key in a new GNUPGHOME for clear-signing
 * `sha256sums.asc`.
 *
 * @returns the GNUPGHOME and the public keyring file for `gpgv --keyring`
 */
export async function makeSigningKey(): Promise<
  { home: string; keyring: string }
> {
  const home = await Deno.makeTempDir({ prefix: "kcross-gpg-" });
  Deno.chmodSync(home, 0o700);
  const env = { GNUPGHOME: home };
  await runTool([
    "gpg",
    "--batch",
    "--pinentry-mode",
    "loopback",
    "--passphrase",
    "",
    "--quick-gen-key",
    "kcross test <test@kcross.invalid>",
    "ed25519",
    "sign",
    "never",
  ], env);
  const keyring = `${home}/pub.gpg`;
  await runTool(["gpg", "--batch", "--output", keyring, "--export"], env);
  return { home, keyring };
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Starts the mirror on a loopback port (`Deno.serve({ port: 0 })`).
 */
export async function startMirror(options: MirrorOptions): Promise<Mirror> {
  const dir = await Deno.makeTempDir({ prefix: "kcross-mirror-" });
  const base = "/pub/tools/crosstool/files/bin/x86_64";
  const cpBase = "/0day-ci/cross-package";
  const llvmBase = "/pub/tools/llvm/files";
  const files = new Map<string, Uint8Array>();
  const digests = new Map<string, string>();
  /** Directories that publish a sha256sums.asc of their files. */
  const signedDirs = new Set<string>();
  const versions = new Set<string>();
  const add = (urlPath: string, bytes: Uint8Array, signed: boolean) => {
    files.set(urlPath, bytes);
    digests.set(urlPath, sha256Hex(bytes));
    if (signed) signedDirs.add(urlPath.slice(0, urlPath.lastIndexOf("/")));
  };
  for (const tc of options.toolchains) {
    const path = tc.archive ?? await buildCrosstoolArchive(dir, tc);
    const bytes = Deno.readFileSync(path);
    versions.add(tc.version);
    if (tc.crossPackage) {
      add(
        `${cpBase}/gcc-${tc.version}-nolibc/x86_64-gcc-${tc.version}-nolibc_${tc.triple}.tar.xz`,
        bytes,
        false,
      );
    } else {
      add(
        `${base}/${tc.version}/x86_64-gcc-${tc.version}-nolibc-${tc.triple}.tar.xz`,
        bytes,
        true,
      );
    }
  }
  for (const l of options.llvm ?? []) {
    const path = await buildLlvmArchive(dir, l);
    add(
      `${llvmBase}/llvm-${l.version}-x86_64.tar.xz`,
      Deno.readFileSync(path),
      true,
    );
  }
  let faults: MirrorFaults = { ...options.faults };
  let throttle = options.bytesPerSecond;
  const requests: MirrorRequest[] = [];
  let sent = 0;
  let statusLeft = faults.status?.count ?? 0;
  let dropLeft = faults.dropAfter?.count ?? 0;
  const closing = Promise.withResolvers<void>();

  const sums = async (dirPath: string): Promise<string | undefined> => {
    if (!signedDirs.has(dirPath) || faults.noSums) return undefined;
    const lines = [...files.keys()].filter((p) =>
      p.slice(0, p.lastIndexOf("/")) === dirPath
    ).map((p) => {
      const d = digests.get(p)!;
      const shown = faults.wrongSums
        ? sha256Hex(new TextEncoder().encode(d))
        : d;
      return `${shown}  ${p.slice(p.lastIndexOf("/") + 1)}`;
    });
    const text = `${lines.join("\n")}\n`;
    if (!options.gpgHome) return text;
    const tmp = `${dir}/sums-${crypto.randomUUID()}.txt`;
    Deno.writeTextFileSync(tmp, text);
    await runTool([
      "gpg",
      "--batch",
      "--yes",
      "--clearsign",
      "--output",
      `${tmp}.asc`,
      tmp,
    ], { GNUPGHOME: options.gpgHome });
    return Deno.readTextFileSync(`${tmp}.asc`);
  };

  const serveArchive = (req: Request, bytes: Uint8Array): Response => {
    if (statusLeft > 0) {
      statusLeft--;
      return new Response("injected failure", { status: faults.status!.code });
    }
    let body = bytes;
    if (faults.tamper) {
      body = bytes.slice();
      const i = Math.floor(body.length / 2);
      body[i] = body[i]! ^ 0xff;
    }
    let start = 0;
    const range = req.headers.get("range");
    const m = range && !faults.noRange ? /^bytes=(\d+)-$/.exec(range) : null;
    const headers: Record<string, string> = {
      "content-type": "application/x-xz",
      "accept-ranges": "bytes",
      etag: `"${digests.get(new URL(req.url).pathname)!.slice(0, 16)}"`,
    };
    let status = 200;
    if (m) {
      start = Number(m[1]);
      if (start >= body.length) {
        return new Response(null, {
          status: 416,
          headers: { "content-range": `bytes */${body.length}` },
        });
      }
      status = 206;
      headers["content-range"] = `bytes ${start}-${
        body.length - 1
      }/${body.length}`;
    }
    headers["content-length"] = String(body.length - start);
    if (req.method === "HEAD") return new Response(null, { status, headers });
    let dropAt: number | undefined;
    if (dropLeft > 0 && faults.dropAfter) {
      dropLeft--;
      dropAt = faults.dropAfter.bytes;
    }
    const stall = faults.stall;
    let pos = start;
    let sentHere = 0;
    const chunk = 64 * 1024;
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (stall) {
          await closing.promise;
          controller.error(new Error("mirror closed"));
          return;
        }
        if (pos >= body.length) {
          controller.close();
          return;
        }
        if (dropAt !== undefined && sentHere >= dropAt) {
          controller.error(new Error("injected connection drop"));
          return;
        }
        let n = Math.min(chunk, body.length - pos);
        if (dropAt !== undefined) n = Math.min(n, dropAt - sentHere);
        const piece = body.subarray(pos, pos + n);
        if (throttle) await sleep((n / throttle) * 1000);
        pos += n;
        sentHere += n;
        sent += n;
        controller.enqueue(piece);
      },
    });
    return new Response(stream, { status, headers });
  };

  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    onListen() {},
  }, async (req) => {
    const path = new URL(req.url).pathname;
    requests.push({
      method: req.method,
      path,
      range: req.headers.get("range"),
    });
    const archive = files.get(path);
    if (archive) return serveArchive(req, archive);
    if (path.endsWith("/sha256sums.asc")) {
      const text = await sums(path.slice(0, path.lastIndexOf("/")));
      return text === undefined
        ? new Response("not found", { status: 404 })
        : new Response(text);
    }
    if (path === `${base}/`) {
      const links = [...versions].map((v) => `<a href="${v}/">${v}/</a>`);
      return new Response(`<html><body>${links.join("\n")}</body></html>`, {
        headers: { "content-type": "text/html" },
      });
    }
    return new Response("not found", { status: 404 });
  });
  const addr = server.addr as Deno.NetAddr;
  const archivePath = (v: string, t: string) => {
    const kernelOrg = `${base}/${v}/x86_64-gcc-${v}-nolibc-${t}.tar.xz`;
    return files.has(kernelOrg)
      ? kernelOrg
      : `${cpBase}/gcc-${v}-nolibc/x86_64-gcc-${v}-nolibc_${t}.tar.xz`;
  };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    crossPackageUrl: `http://127.0.0.1:${addr.port}${cpBase}`,
    requests,
    bytesSent: () => sent,
    archivePath,
    sha256: (v, t) => digests.get(archivePath(v, t))!,
    archiveGets: (v, t) =>
      requests.filter((r) =>
        r.method === "GET" && r.path === archivePath(v, t)
      ),
    setFaults(f) {
      faults = { ...f };
      statusLeft = f.status?.count ?? 0;
      dropLeft = f.dropAfter?.count ?? 0;
    },
    setThrottle(bps) {
      throttle = bps;
    },
    async close() {
      closing.resolve();
      await server.shutdown();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
