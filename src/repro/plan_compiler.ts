/**
 * The compiler a report asks for: the toolchain request, the distro build
 * (served by the system provider) and the crosstool triple. Pure.
 *
 * @module
 */
import table from "../../toolchains/arches.json" with { type: "json" };
import type { CompilerPlan, ReportFields } from "./types.ts";

/**
 * Vendors whose compilers are distribution builds. gcc names them in
 * parentheses (`gcc-12 (Debian 12.2.0-14) 12.2.0`); clang as its first word
 * (`Debian clang version 15.0.6`, `Ubuntu clang version 14.0.0-1ubuntu1`).
 * `(GCC)` is a crosstool build, `ClangBuiltLinux clang` the robot's LLVM.
 */
const DISTRO_VENDOR =
  /^(?:Debian|Ubuntu|Fedora|Red Hat|SUSE|openSUSE|Alpine|Arch Linux|Gentoo|Homebrew)\b/;

/**
 * The compiler a report's `compiler:` line asks for (or, without one, the
 * `COMPILER=` of its make line).
 *
 * Released versions are asked for exactly (`gcc-11.2.0`, `clang-15.0.7`);
 * an unreleased clang snapshot (`20.0.0git`) by its major.
 *
 * @example
 * ```ts
 * import { compilerPlan } from "./plan_compiler.ts";
 * const c = compilerPlan({ name: "gcc", version: "11.2.0", raw: "powerpc-linux-gcc (GCC) 11.2.0" });
 * if (c?.request !== "gcc-11.2.0" || c.triple !== "powerpc-linux" || c.distro !== null) throw new Error();
 * const d = compilerPlan({ name: "gcc", version: "12.2.0", raw: "powerpc64-linux-gnu-gcc (Debian 12.2.0-14) 12.2.0" });
 * if (d?.distro !== "Debian 12.2.0-14" || d.triple !== "powerpc64-linux") throw new Error();
 * const k = compilerPlan({ name: "clang", version: "15.0.7", raw: "clang version 15.0.7" });
 * if (k?.request !== "clang-15.0.7") throw new Error();
 * const u = compilerPlan({ name: "clang", version: "14.0.6", raw: "Debian clang version 14.0.6" });
 * if (u?.distro !== "Debian") throw new Error();
 * ```
 */
export function compilerPlan(
  compiler: ReportFields["compiler"],
  makeCompiler: string | null = null,
): CompilerPlan | null {
  if (!compiler) return makeCompilerPlan(makeCompiler);
  const raw = compiler.raw ?? `${compiler.name} ${compiler.version}`;
  const family = compiler.name === "clang" ? "clang" : "gcc";
  const version = compiler.version;
  let request: string;
  if (version === null) {
    request = family;
  } else if (family === "clang") {
    const major = /^(\d+)/.exec(version)?.[1];
    request = /^\d+\.\d+\.\d+$/.test(version)
      ? `clang-${version}`
      : `clang-${major ?? version}`;
  } else {
    request = `gcc-${version}`;
  }
  return {
    family,
    request,
    version,
    distro: distroOf(family, raw),
    triple: family === "gcc" ? tripleOfCompiler(raw) : null,
    raw,
  };
}

function distroOf(family: "gcc" | "clang", raw: string): string | null {
  if (family === "clang") {
    return DISTRO_VENDOR.exec(raw.trim())?.[0] ?? null;
  }
  const paren = /\(([^)]*)\)/.exec(raw)?.[1]?.trim() ?? null;
  return paren !== null && DISTRO_VENDOR.test(paren) ? paren : null;
}

/** `COMPILER=gcc-12.1.0` / `COMPILER=clang-17` of a make line, as a plan. */
function makeCompilerPlan(word: string | null): CompilerPlan | null {
  const m = word === null
    ? null
    : /^(gcc|clang)(?:-([0-9][0-9.]*))?$/.exec(word);
  if (!m) return null;
  const family = m[1] as "gcc" | "clang";
  return {
    family,
    request: word!,
    version: m[2] ?? null,
    distro: null,
    triple: null,
    raw: `COMPILER=${word}`,
  };
}

/**
 * The crosstool triple named by a gcc line's program name: `powerpc-linux-gcc`
 * → `powerpc-linux`, Debian's `powerpc64-linux-gnu-gcc` → `powerpc64-linux`
 * (the arch table's Debian names); null for a host compiler (`gcc-11`).
 *
 * @example
 * ```ts
 * import { tripleOfCompiler } from "./plan_compiler.ts";
 * if (tripleOfCompiler("s390x-linux-gnu-gcc (Debian 14.2.0-19) 14.2.0") !== "s390-linux") throw new Error();
 * if (tripleOfCompiler("gcc-11 (Debian 11.3.0-3) 11.3.0") !== null) throw new Error();
 * ```
 */
export function tripleOfCompiler(raw: string): string | null {
  const prog = raw.trim().split(/\s+/)[0] ?? "";
  const m = /^([A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)+?)-gcc(?:-[0-9.]+)?$/.exec(prog);
  if (!m) return null;
  const prefix = m[1]!;
  return crosstoolOfDebian(prefix) ?? prefix;
}

interface RawArch {
  triple: string;
  debian?: string;
  rules?: { triple: string; debian?: string }[];
}

function crosstoolOfDebian(debian: string): string | null {
  const arches = (table as unknown as { arches: Record<string, RawArch> })
    .arches;
  for (const info of Object.values(arches)) {
    for (const rule of info.rules ?? []) {
      if (rule.debian === debian) return rule.triple;
    }
    if (info.debian === debian) return info.triple;
  }
  return null;
}
