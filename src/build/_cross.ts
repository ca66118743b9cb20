/**
 * The toolchain part of a make call, shared by both front doors: which
 * compiler, and the CROSS_COMPILE / LLVM / PATH / LD_LIBRARY_PATH that
 * make.cross derives from it.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { KcrossError } from "../errors.ts";
import { archInfo } from "../toolchain/arch.ts";
import { resolveToolchain } from "../toolchain/mod.ts";
import type {
  ResolvedToolchain,
  ToolchainRequest,
} from "../toolchain/types.ts";
import {
  clangToolchain,
  findGccLibexec,
  findInstalledClang,
  findInstalledGcc,
  gccToolchain,
} from "./_installed.ts";
import type { KernelVersion } from "./kernel_version.ts";
import { llvmEqualOne, llvmIas, longFormVars } from "./llvm_rules.ts";
import { binutilsPrefix } from "./binutils_prefix.ts";

/** Resolves a toolchain request (the toolchains area's `resolveToolchain`). */
export type Resolver = (
  request: ToolchainRequest,
  options: { out?: Output; mirrors?: string[]; signal?: AbortSignal },
) => Promise<ResolvedToolchain>;

/** What the toolchain part needs to know. */
export interface CrossRequest {
  /** `ARCH` as make gets it. */
  arch: string;
  /** Crosstool triple chosen from the `.config`. */
  triple: string;
  /** `COMPILER`, e.g. `gcc-11.2.0`, `clang-17`. */
  compiler: string;
  /** make.cross's COMPILER_INSTALL_PATH (searched first, like make.cross). */
  installPath?: string;
  /** make.cross's `URL` (decides the clang layout; passed on as a mirror). */
  url?: string;
  /** The environment make.cross starts from (PATH, LD_LIBRARY_PATH). */
  baseEnv: Record<string, string>;
  kernelVersion: KernelVersion | null;
  allowSubstitute: boolean;
  /** Accept a distro build of the exact version (`--allow-distro`). */
  allowDistro?: boolean;
  /** Never fetch (dry run): an uninstalled toolchain stays unresolved. */
  offline: boolean;
  /** Never fetch (`--offline`): an uninstalled toolchain is an error. */
  noFetch?: boolean;
  /**
   * A clang build with GNU binutils may take the distro's prefix when
   * make.cross's is not on PATH (native builds; the drop-in keeps make.cross's).
   */
  distroBinutils?: boolean;
  out?: Output;
  signal?: AbortSignal;
  resolve?: Resolver;
}

/** The toolchain part of the plan. */
export interface CrossSetup {
  toolchain: ResolvedToolchain | null;
  /** make variables, in make.cross order. */
  vars: string[];
  /** PATH / LD_LIBRARY_PATH as changed. */
  env: Record<string, string>;
  /** The compiler the KCFLAGS probe runs, or null when unresolved. */
  compilerPath: string | null;
  notes: string[];
}

function clangTripleOf(arch: string, triple: string): string {
  try {
    return archInfo(arch).clangTriple ?? triple;
  } catch {
    return triple;
  }
}

async function resolveOrNull(
  req: CrossRequest,
  triple: string,
  notes: string[],
): Promise<ResolvedToolchain | null> {
  const resolve = req.resolve ?? resolveToolchain;
  const request: ToolchainRequest = {
    compiler: req.compiler,
    triple,
    allowSubstitute: req.allowSubstitute,
    ...(req.allowDistro ? { allowDistro: true } : {}),
    ...(req.installPath ? { installPath: req.installPath } : {}),
    ...(req.offline || req.noFetch ? { offline: true } : {}),
  };
  try {
    return await resolve(request, {
      ...(req.out ? { out: req.out } : {}),
      ...(req.url ? { mirrors: [req.url] } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    });
  } catch (e) {
    if (!req.offline || !(e instanceof KcrossError)) throw e;
    notes.push(
      `toolchain "${req.compiler}" for "${triple}" is not installed; a real run fetches it (${e.message})`,
    );
    return null;
  }
}

async function gccFor(
  req: CrossRequest,
  triple: string,
  notes: string[],
): Promise<{ tc: ResolvedToolchain | null; libexec?: string }> {
  const cip = req.installPath;
  if (cip) {
    const gcc = await findInstalledGcc(cip, req.compiler, triple);
    if (gcc) {
      const libexec = await findGccLibexec(cip, req.compiler, triple);
      const tc = gccToolchain(cip, gcc, {
        compiler: req.compiler,
        triple,
        ...(libexec ? { libexecDir: libexec } : {}),
      });
      return { tc, ...(libexec ? { libexec } : {}) };
    }
  }
  const tc = await resolveOrNull(req, triple, notes);
  return { tc, ...(tc?.libexecDir ? { libexec: tc.libexecDir } : {}) };
}

/**
 * Finds (or fetches) the compiler and derives make.cross's variables and
 * environment for it.
 *
 * @throws {UserError} unknown compiler; {InfraError} fetch failures
 */
export async function setupCross(req: CrossRequest): Promise<CrossSetup> {
  const notes: string[] = [];
  if (req.compiler.includes("clang")) return await setupClang(req, notes);
  const env: Record<string, string> = {};
  const pathMode = req.triple.startsWith("hppa");
  const triples = pathMode
    ? ["hppa-linux", ...(req.triple.startsWith("hppa64") ? [req.triple] : [])]
    : [req.triple];
  let ld = req.baseEnv.LD_LIBRARY_PATH ?? "";
  let path = req.baseEnv.PATH ?? "";
  let primary: ResolvedToolchain | null = null;
  const extraBin: string[] = [];
  let missing = false;
  for (const t of triples) {
    const { tc, libexec } = await gccFor(req, t, notes);
    if (!tc) {
      missing = true;
      continue;
    }
    if (libexec) ld = ld ? `${ld}:${libexec}` : libexec;
    if (pathMode && !path.includes(tc.binDir)) path = `${tc.binDir}:${path}`;
    if (t === req.triple) primary = tc;
    else extraBin.push(tc.binDir);
  }
  if (primary && extraBin.length) {
    primary = { ...primary, extraBinDirs: extraBin };
  }
  if (ld !== (req.baseEnv.LD_LIBRARY_PATH ?? "")) env.LD_LIBRARY_PATH = ld;
  if (path !== (req.baseEnv.PATH ?? "")) env.PATH = path;
  const vars: string[] = [];
  if (pathMode) {
    notes.push(
      "parisc: no CROSS_COMPILE; the toolchain bin dirs go first on PATH and arch/parisc/Makefile finds them (as make.cross does)",
    );
  } else {
    vars.push(
      `CROSS_COMPILE=${
        primary?.crossCompile ??
          `<${req.compiler} for ${req.triple}>/bin/${req.triple}-`
      }`,
    );
  }
  return {
    toolchain: primary,
    vars,
    env,
    compilerPath: missing || !primary ? null : `${primary.crossCompile}gcc`,
    notes,
  };
}

function clangMajorOf(compiler: string, tc: ResolvedToolchain | null) {
  const m = /clang-(\d+)/.exec(compiler) ?? /^(\d+)/.exec(tc?.version ?? "");
  return m ? Number(m[1]) : null;
}

async function setupClang(
  req: CrossRequest,
  notes: string[],
): Promise<CrossSetup> {
  const crossTriple = clangTripleOf(req.arch, req.triple);
  let tc: ResolvedToolchain | null = null;
  let clang: string | undefined;
  if (req.installPath) {
    clang = await findInstalledClang(req.installPath, req.compiler, req.url);
    if (clang) {
      tc = clangToolchain(req.installPath, clang, {
        compiler: req.compiler,
        triple: crossTriple,
      });
    }
  }
  if (!tc) {
    tc = await resolveOrNull(req, crossTriple, notes);
    if (tc) clang = `${tc.binDir}/clang`;
  }
  const env: Record<string, string> = {};
  const bin = tc?.binDir ?? `<${req.compiler}>/bin`;
  env.PATH = `${bin}:${req.baseEnv.PATH ?? ""}`;
  const kv = req.kernelVersion;
  const llvm1 = llvmEqualOne(req.arch, clangMajorOf(req.compiler, tc), kv);
  const vars = llvm1
    ? ["LLVM=1"]
    : longFormVars(req.arch, clang ?? `${bin}/clang`);
  const ias = llvmIas(req.arch, kv);
  // The long form and LLVM_IAS=0 run GNU binutils through CROSS_COMPILE.
  if (!llvm1 || ias === "0") {
    const b = binutilsPrefix(
      crossTriple,
      req.triple,
      env.PATH,
      req.distroBinutils ?? false,
    );
    vars.push(`CROSS_COMPILE=${b.prefix}`);
    if (b.note) notes.push(b.note);
  } else {
    vars.push(`CROSS_COMPILE=${crossTriple}-`);
  }
  if (ias !== null) vars.push(`LLVM_IAS=${ias}`);
  if (!kv) {
    notes.push(
      "kernel version unknown: the clang rules take the newest-kernel branch, as make.cross does",
    );
  }
  return { toolchain: tc, vars, env, compilerPath: clang ?? null, notes };
}
