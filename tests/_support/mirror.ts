/**
 * A loopback mirror laid out like the real ones, serving real crosstool-layout
 * toolchains built at test time from the Debian cross gcc:
 *
 * - kernel.org crosstool: `pub/tools/crosstool/files/bin/<host>/<ver>/` with
 *   `<host>-gcc-<ver>-nolibc-<triple>.tar.xz` (or the `_` spelling, or
 *   `.tar.gz`), a `<name>.tar.sign` detached signature over the uncompressed
 *   tar, and (optionally) a clear-signed `sha256sums.asc`;
 * - kernel.org LLVM: `pub/tools/llvm/files/llvm-<v>-<host>.tar.xz` (+ `.tar.sign`,
 *   `sha256sums.asc`), point releases and `-rcN`;
 * - 01.org `0day-ci/cross-package/`: `gcc-<v>-nolibc/x86_64-gcc-<v>-nolibc_<triple>.tar.xz`
 *   and `clang-<N>/clang-<N>.tar.xz`, no checksums;
 * - every directory answers with an nginx-autoindex HTML listing (names past
 *   50 characters truncated in the link text, as nginx does).
 *
 * Signatures use a throwaway key made at test time (`gpg`), once per process
 * unless `gpgHome` names another; `startMirror` exports its public keyring as
 * `KCROSS_GPG_KEYRING` for in-process resolves (subprocesses get
 * `mirror.keyring` passed explicitly).
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
  /** Separator before the triple in the file name (default: as kernel.org names it). */
  separator?: "-" | "_";
  /** Compression (default xz). */
  ext?: ".tar.xz" | ".tar.gz";
  /** Host directory/prefix (`x86_64`, default, or `arm64`). */
  host?: string;
  /** Publish no `.tar.sign` for it. */
  unsigned?: boolean;
  /** Spell the triple this way in the file and archive (an alias). */
  fileTriple?: string;
}

/** A kernel.org LLVM build to serve (`llvm-<v>-x86_64.tar.xz`). */
export interface MirrorLlvm {
  version: string;
  /** The clang the wrapper runs (default /usr/lib/llvm-15/bin/clang). */
  clang?: string;
  /** `x86_64` (default) or `aarch64`. */
  host?: string;
}

/** An 01.org cross-package clang (`clang-<N>/clang-<N>.tar.xz`). */
export interface MirrorCrossClang {
  major: string;
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
  /** sha256sums.asc (still signed) lists none of the directory's archives. */
  sumsOmit?: boolean;
  /** sha256sums.asc answers 200 and then never sends its body. */
  stallSums?: boolean;
  /** Ignore Range requests (always 200). */
  noRange?: boolean;
  /** Never send the body (stall after headers). */
  stall?: boolean;
  /** Send this many body bytes of each response, then stall. */
  stallAfter?: number;
  /** `.tar.sign` signatures over other data (a bad signature). */
  badSign?: boolean;
  /** `.tar.sign` and sums signed by another (untrusted) key. */
  foreignKey?: boolean;
  /** sha256sums.asc whose signature does not verify (altered after signing). */
  badSumsSignature?: boolean;
  /** No `.tar.sign` and no sha256sums.asc anywhere. */
  unsigned?: boolean;
  /** Directory listings answer 404. */
  noListing?: boolean;
  /** Directory listings answer with something that is not an index. */
  malformedListing?: boolean;
  /** Listings name archives (and `.tar.sign`) that then answer 404. */
  listingLies?: boolean;
  /** Extra version directories (empty) in the crosstool listing. */
  extraVersions?: string[];
}

/** Options of `startMirror`. */
export interface MirrorOptions {
  toolchains: MirrorToolchain[];
  /** Where the mirror's temp dir is made (default: $TMPDIR). */
  parent?: string;
  llvm?: MirrorLlvm[];
  crossPackageClang?: MirrorCrossClang[];
  /** Throttle archive bodies to about this many bytes per second. */
  bytesPerSecond?: number;
  faults?: MirrorFaults;
  /** Sign (sha256sums.asc, .tar.sign) with the key in this GNUPGHOME. */
  gpgHome?: string;
  /** Publish sha256sums.asc in crosstool version dirs (default true). */
  crosstoolSums?: boolean;
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
  /** Public keyring of the key that signed everything (for gpgv). */
  keyring: string;
  requests: MirrorRequest[];
  /** Archive body bytes sent so far (all requests). */
  bytesSent(): number;
  /** Resolves once `bytesSent()` reaches `n` (no timer: the sending resolves it). */
  whenSent(n: number): Promise<void>;
  /**
   * Resolves once the mirror has seen `n` archive GETs in all (no timer:
   * the request resolves it).
   */
  whenRequested(n: number): Promise<void>;
  /** URL path of a toolchain's archive. */
  archivePath(version: string, triple: string): string;
  /** sha256 of the archive served for a toolchain. */
  sha256(version: string, triple: string): string;
  /** Archive requests (GET) seen for a toolchain. */
  archiveGets(version: string, triple: string): MirrorRequest[];
  /** Changes the faults from now on. */
  setFaults(faults: MirrorFaults): void;
  setThrottle(bytesPerSecond: number | undefined): void;
  /** Stops serving and removes the temp dir (idempotent). */
  close(): Promise<void>;
  /** `close()`, for `await using mirror = await startMirror(…)`. */
  [Symbol.asyncDispose](): Promise<void>;
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

/** Versions kernel.org names with `_` before the triple. */
const UNDERSCORE = ["4.6.3", "4.9.0", "7.3.0"];

/** The file name a toolchain is served as. */
export function crosstoolFileName(tc: MirrorToolchain): string {
  const sep = tc.separator ??
    (tc.crossPackage || UNDERSCORE.includes(tc.version) ? "_" : "-");
  const host = tc.crossPackage ? "x86_64" : tc.host ?? "x86_64";
  return `${host}-gcc-${tc.version}-nolibc${sep}${tc.fileTriple ?? tc.triple}${
    tc.ext ?? ".tar.xz"
  }`;
}

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
    const ft = tc.fileTriple ?? tc.triple;
    const top = `${src}/gcc-${tc.version}-nolibc/${ft}`;
    Deno.mkdirSync(`${top}/bin`, { recursive: true });
    Deno.mkdirSync(`${top}/libexec/gcc/${ft}/${tc.version}`, {
      recursive: true,
    });
    for (const [tool, versioned] of WRAPPED) {
      const target = versioned
        ? `/usr/bin/${debian}-${tool}-${major}`
        : `/usr/bin/${debian}-${tool}`;
      Deno.writeTextFileSync(
        `${top}/bin/${ft}-${tool}`,
        `#!/bin/sh\nexec ${target} "$@"\n`,
        { mode: 0o755 },
      );
    }
    // A relative symlink inside the tree, as real toolchains have.
    Deno.symlinkSync(`${ft}-gcc`, `${top}/bin/${ft}-cc`);
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
    const gz = tc.ext === ".tar.gz";
    await runTool(
      gz ? ["gzip", "-1", "-f", tarFile] : ["xz", "-0", "-T1", "-f", tarFile],
    );
    Deno.mkdirSync(outDir, { recursive: true });
    const out = `${outDir}/${crosstoolFileName(tc)}`;
    Deno.renameSync(`${tarFile}${gz ? ".gz" : ".xz"}`, out);
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
  llvm: MirrorLlvm & { top?: string; file?: string },
): Promise<string> {
  const clang = llvm.clang ?? "/usr/lib/llvm-15/bin/clang";
  const bin = clang.slice(0, clang.lastIndexOf("/"));
  const src = await Deno.makeTempDir({ prefix: "kcross-mirror-llvm-" });
  try {
    const top = llvm.top ?? `llvm-${llvm.version}-${llvm.host ?? "x86_64"}`;
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
    const out = `${outDir}/${llvm.file ?? `${top}.tar.xz`}`;
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
 * `sha256sums.asc` and `.tar.sign`. gpg 2.2 signs with SHA-256 for an
 * `ed25519` key (the default) and with SHA-512 for an RSA key (the
 * benchmark measures both: which one kernel.org's `.tar.sign` uses is not
 * known from a stored copy).
 *
 * @returns the GNUPGHOME and the public keyring file for `gpgv --keyring`
 */
export async function makeSigningKey(
  given?: string,
  algo: "ed25519" | "rsa3072" = "ed25519",
): Promise<
  { home: string; keyring: string }
> {
  const home = given ?? await Deno.makeTempDir({ prefix: "kcross-gpg-" });
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
    algo,
    "sign",
    "never",
  ], env);
  const keyring = `${home}/pub.gpg`;
  // Written aside and renamed: other workers wait for this file to appear.
  await runTool(
    ["gpg", "--batch", "--output", `${keyring}.tmp`, "--export"],
    env,
  );
  Deno.renameSync(`${keyring}.tmp`, keyring);
  return { home, keyring };
}

/**
 * Stops the gpg-agent a GNUPGHOME started (gpg leaves it running) and
 * removes the home; for homes `makeSigningKey()` made.
 */
export async function removeGpgHome(home: string): Promise<void> {
  await new Deno.Command("gpgconf", {
    args: ["--homedir", home, "--kill", "all"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => {});
  await Deno.remove(home, { recursive: true }).catch(() => {});
}

/**
 * Removes the per-process test keys (`kcross-test-gpg-<pid>`) of test
 * processes that are gone, and their agents (a killed run leaves both).
 */
async function sweepDeadKeys(tmp: string): Promise<void> {
  for (const e of Deno.readDirSync(tmp)) {
    const m = /^kcross-test-gpg-(\d+)$/.exec(e.name);
    if (!m || existsDir(`/proc/${m[1]}`)) continue;
    await removeGpgHome(`${tmp}/${e.name}`);
  }
}

function existsDir(path: string): boolean {
  try {
    return Deno.statSync(path).isDirectory;
  } catch {
    return false;
  }
}

function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

let defaultKey: Promise<{ home: string; keyring: string }> | undefined;

/**
 * The process-wide throwaway signing key, made once per process (test
 * modules may run in parallel workers of one process: they share the
 * environment, so they must share the key; the first to create the
 * directory makes it, the others wait for its public keyring).
 */
export function defaultSigningKey(): Promise<
  { home: string; keyring: string }
> {
  defaultKey ??= (async () => {
    const tmp = Deno.env.get("TMPDIR") ?? "/tmp";
    await sweepDeadKeys(tmp).catch(() => {});
    const home = `${tmp}/kcross-test-gpg-${Deno.pid}`;
    const keyring = `${home}/pub.gpg`;
    let mine = false;
    try {
      Deno.mkdirSync(home, { mode: 0o700 });
      mine = true;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    if (mine) {
      await makeSigningKey(home);
      return { home, keyring };
    }
    const deadline = Date.now() + 120_000;
    while (!existsFile(keyring)) {
      if (Date.now() > deadline) throw new Error(`no test key in ${home}`);
      await sleep(50);
    }
    return { home, keyring };
  })();
  return defaultKey;
}

function existsFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

async function decompressed(archive: string, out: string): Promise<boolean> {
  const gz = archive.endsWith(".gz");
  const r = await new Deno.Command(gz ? "gzip" : "xz", {
    args: ["-dc", archive],
    stdout: "piped",
    stderr: "null",
  }).output();
  Deno.writeFileSync(out, r.success ? r.stdout : Deno.readFileSync(archive));
  return r.success;
}

async function detachSign(home: string, file: string): Promise<Uint8Array> {
  await runTool([
    "gpg",
    "--batch",
    "--yes",
    "--detach-sign",
    "--armor",
    "--output",
    `${file}.sign`,
    file,
  ], { GNUPGHOME: home });
  return Deno.readFileSync(`${file}.sign`);
}

/** nginx autoindex HTML for `dir` with `names` (dirs end in `/`). */
function autoindex(dir: string, names: string[]): string {
  const rows = names.sort().map((n) => {
    const shown = n.length > 50 ? `${n.slice(0, 47)}..&gt;` : n;
    const pad = " ".repeat(Math.max(1, 51 - Math.min(n.length, 50)));
    const size = n.endsWith("/") ? "-" : String(1000 + n.length);
    return `<a href="${encodeURI(n)}">${shown}</a>${pad}18-Aug-2022 10:12${
      " ".repeat(20 - size.length)
    }${size}`;
  });
  return `<html>\r\n<head><title>Index of ${dir}</title></head>\r\n<body>\r\n<h1>Index of ${dir}</h1><hr><pre><a href="../">../</a>\r\n${
    rows.join("\r\n")
  }\r\n</pre><hr></body>\r\n</html>\r\n`;
}

/**
 * Starts the mirror on a loopback port (`Deno.serve({ port: 0 })`), serving
 * from a temp dir of its own that `close()` removes; when starting fails,
 * the temp dir is removed before the error propagates.
 */
export async function startMirror(options: MirrorOptions): Promise<Mirror> {
  const dir = await Deno.makeTempDir({
    prefix: "kcross-mirror-",
    ...(options.parent ? { dir: options.parent } : {}),
  });
  let mirror: Omit<Mirror, typeof Symbol.asyncDispose>;
  try {
    mirror = await serveMirror(dir, options);
  } catch (error) {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
  let closing: Promise<void> | null = null;
  const close = () => closing ??= mirror.close();
  return { ...mirror, close, [Symbol.asyncDispose]: close };
}

async function serveMirror(
  dir: string,
  options: MirrorOptions,
): Promise<Omit<Mirror, typeof Symbol.asyncDispose>> {
  const key = options.gpgHome
    ? { home: options.gpgHome, keyring: `${options.gpgHome}/pub.gpg` }
    : await defaultSigningKey();
  if (!options.gpgHome) Deno.env.set("KCROSS_GPG_KEYRING", key.keyring);
  const foreign = options.faults?.foreignKey
    ? await makeSigningKey()
    : undefined;
  const base = "/pub/tools/crosstool/files/bin";
  const cpBase = "/0day-ci/cross-package";
  const llvmBase = "/pub/tools/llvm/files";
  const files = new Map<string, Uint8Array>();
  const digests = new Map<string, string>();
  /** Detached signatures by URL path (`….tar.sign`). */
  const signs = new Map<string, Uint8Array>();
  const badSigns = new Map<string, Uint8Array>();
  /** Directories that publish a sha256sums.asc of their files. */
  const signedDirs = new Set<string>();
  /** Every directory path (ending in `/`) with its child names. */
  const tree = new Map<string, Set<string>>();
  const link = (path: string) => {
    const parts = path.split("/").filter((p) => p);
    for (let i = 0; i < parts.length; i++) {
      const d = `/${parts.slice(0, i).join("/")}${i ? "/" : ""}`;
      const child = `${parts[i]}${i < parts.length - 1 ? "/" : ""}`;
      if (!tree.has(d)) tree.set(d, new Set());
      tree.get(d)!.add(child);
    }
  };
  const signer = foreign ?? key;
  const add = async (
    urlPath: string,
    archive: string,
    opts: { sums: boolean; sign: boolean },
  ) => {
    const bytes = Deno.readFileSync(archive);
    files.set(urlPath, bytes);
    digests.set(urlPath, sha256Hex(bytes));
    link(urlPath);
    const d = urlPath.slice(0, urlPath.lastIndexOf("/"));
    if (opts.sums) signedDirs.add(d);
    if (opts.sign) {
      const tar = `${dir}/sign-${crypto.randomUUID()}.tar`;
      await decompressed(archive, tar);
      const signPath = urlPath.replace(/\.tar\.(xz|gz)$/, ".tar.sign");
      signs.set(signPath, await detachSign(signer.home, tar));
      Deno.writeFileSync(
        `${tar}.other`,
        new TextEncoder().encode("other data"),
      );
      badSigns.set(signPath, await detachSign(signer.home, `${tar}.other`));
      link(signPath);
    }
  };
  const allUnsigned = options.faults?.unsigned ?? false;
  for (const tc of options.toolchains) {
    const path = tc.archive ?? await buildCrosstoolArchive(dir, tc);
    const name = crosstoolFileName(tc);
    if (tc.crossPackage) {
      await add(`${cpBase}/gcc-${tc.version}-nolibc/${name}`, path, {
        sums: false,
        sign: false,
      });
    } else {
      await add(`${base}/${tc.host ?? "x86_64"}/${tc.version}/${name}`, path, {
        sums: !allUnsigned && (options.crosstoolSums ?? true),
        sign: !allUnsigned && !tc.unsigned,
      });
    }
  }
  for (const v of options.faults?.extraVersions ?? []) {
    link(`${base}/x86_64/${v}/`);
  }
  for (const l of options.llvm ?? []) {
    const path = await buildLlvmArchive(dir, l);
    await add(
      `${llvmBase}/llvm-${l.version}-${l.host ?? "x86_64"}.tar.xz`,
      path,
      { sums: !allUnsigned, sign: !allUnsigned },
    );
  }
  for (const c of options.crossPackageClang ?? []) {
    const top = `clang-${c.major}`;
    const path = await buildLlvmArchive(dir, {
      version: c.major,
      ...(c.clang ? { clang: c.clang } : {}),
      top,
      file: `${top}.tar.xz`,
    });
    await add(`${cpBase}/${top}/${top}.tar.xz`, path, {
      sums: false,
      sign: false,
    });
  }
  let faults: MirrorFaults = { ...options.faults };
  let throttle = options.bytesPerSecond;
  const requests: MirrorRequest[] = [];
  let sent = 0;
  let sentWaiters: { n: number; resolve: () => void }[] = [];
  let getWaiters: { n: number; resolve: () => void }[] = [];
  const archiveGetCount = () =>
    requests.filter((r) => r.method === "GET" && files.has(r.path)).length;
  let statusLeft = faults.status?.count ?? 0;
  let dropLeft = faults.dropAfter?.count ?? 0;
  const closing = Promise.withResolvers<void>();

  const sums = async (dirPath: string): Promise<string | undefined> => {
    if (!signedDirs.has(dirPath) || faults.noSums) return undefined;
    const lines = [...files.keys()].filter((p) =>
      p.slice(0, p.lastIndexOf("/")) === dirPath && !faults.sumsOmit
    ).map((p) => {
      const d = digests.get(p)!;
      const shown = faults.wrongSums
        ? sha256Hex(new TextEncoder().encode(d))
        : d;
      return `${shown}  ${p.slice(p.lastIndexOf("/") + 1)}`;
    });
    const text = `${lines.join("\n")}\n`;
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
    ], { GNUPGHOME: signer.home });
    const signed = Deno.readTextFileSync(`${tmp}.asc`);
    // Altered after signing: the digest list no longer matches the signature.
    return faults.badSumsSignature
      ? signed.replace(/^([0-9a-f])/m, (c) => c === "0" ? "1" : "0")
      : signed;
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
    const stallAfter = faults.stallAfter;
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
        if (stallAfter !== undefined && sentHere >= stallAfter) {
          await closing.promise;
          controller.error(new Error("mirror closed"));
          return;
        }
        if (dropAt !== undefined && sentHere >= dropAt) {
          controller.error(new Error("injected connection drop"));
          return;
        }
        let n = Math.min(chunk, body.length - pos);
        if (dropAt !== undefined) n = Math.min(n, dropAt - sentHere);
        if (stallAfter !== undefined) {
          n = Math.min(n, Math.max(stallAfter - sentHere, 1));
        }
        const piece = body.subarray(pos, pos + n);
        if (throttle) await sleep((n / throttle) * 1000);
        pos += n;
        sentHere += n;
        sent += n;
        sentWaiters = sentWaiters.filter((w) => {
          if (sent < w.n) return true;
          w.resolve();
          return false;
        });
        controller.enqueue(piece);
      },
    });
    return new Response(stream, { status, headers });
  };

  const notFound = () => new Response("not found", { status: 404 });
  const server = Deno.serve({
    port: 0,
    hostname: "127.0.0.1",
    onListen() {},
  }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    requests.push({
      method: req.method,
      path,
      range: req.headers.get("range"),
    });
    if (req.method === "GET" && files.has(path)) {
      const n = archiveGetCount();
      getWaiters = getWaiters.filter((w) => {
        if (n < w.n) return true;
        w.resolve();
        return false;
      });
    }
    const archive = files.get(path);
    if (archive) {
      return faults.listingLies ? notFound() : serveArchive(req, archive);
    }
    const sign = signs.get(path);
    if (sign) {
      if (faults.listingLies) return notFound();
      return new Response(
        new TextDecoder().decode(faults.badSign ? badSigns.get(path)! : sign),
      );
    }
    if (path.endsWith("/sha256sums.asc")) {
      if (faults.stallSums) {
        return new Response(
          new ReadableStream({
            async pull(controller) {
              await closing.promise;
              controller.error(new Error("mirror closed"));
            },
          }),
        );
      }
      const text = await sums(path.slice(0, path.lastIndexOf("/")));
      return text === undefined ? notFound() : new Response(text);
    }
    const listed = tree.get(path);
    if (listed && path.endsWith("/")) {
      if (faults.noListing) return notFound();
      if (faults.malformedListing) {
        return new Response('{"error": "rate limited"}', {
          headers: { "content-type": "application/json" },
        });
      }
      const names = [...listed];
      const d = path.slice(0, -1);
      if (signedDirs.has(d) && !faults.noSums) names.push("sha256sums.asc");
      return new Response(autoindex(path, names), {
        headers: { "content-type": "text/html" },
      });
    }
    return notFound();
  });
  const addr = server.addr as Deno.NetAddr;
  const tcOf = (v: string, t: string) =>
    options.toolchains.find((x) => x.version === v && x.triple === t);
  const archivePath = (v: string, t: string) => {
    const tc = tcOf(v, t) ?? { version: v, triple: t };
    return tc.crossPackage
      ? `${cpBase}/gcc-${v}-nolibc/${crosstoolFileName(tc)}`
      : `${base}/${tc.host ?? "x86_64"}/${v}/${crosstoolFileName(tc)}`;
  };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    crossPackageUrl: `http://127.0.0.1:${addr.port}${cpBase}`,
    keyring: key.keyring,
    requests,
    bytesSent: () => sent,
    whenRequested: (n) =>
      archiveGetCount() >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => getWaiters.push({ n, resolve })),
    whenSent: (n) =>
      sent >= n
        ? Promise.resolve()
        : new Promise<void>((resolve) => sentWaiters.push({ n, resolve })),
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
      try {
        await server.shutdown();
      } finally {
        await Deno.remove(dir, { recursive: true }).catch(() => {});
        if (foreign) await removeGpgHome(foreign.home);
      }
    },
  };
}
