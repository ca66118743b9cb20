/**
 * make.cross's clang rules (`toolchains/llvm.json`): `LLVM=1` or the long
 * `CC=… LD=… AR=llvm-ar …` form, and `LLVM_IAS`, by arch and kernel version.
 *
 * @module
 */
import table from "../../toolchains/llvm.json" with { type: "json" };
import { type KernelVersion, kernelVersionIs } from "./kernel_version.ts";

interface ArchMatch {
  arch?: string;
  archContains?: string;
}

interface Llvm1Rule extends ArchMatch {
  minClang?: number;
  never?: boolean;
  minKernel?: string;
}

interface IasRule extends ArchMatch {
  above?: string;
  below?: string;
  value: string | null;
}

interface LlvmTable {
  llvmEqualOne: { minKernel: string; archRules: Llvm1Rule[] };
  longForm: {
    vars: string[];
    archOverrides: Record<
      string,
      { drop?: string[]; set?: Record<string, string> }
    >;
  };
  llvmIas: { rules: IasRule[] };
}

const raw = table as unknown as LlvmTable;

function matches(rule: ArchMatch, arch: string): boolean {
  if (rule.arch !== undefined) return rule.arch === arch;
  if (rule.archContains !== undefined) return arch.includes(rule.archContains);
  return false;
}

/**
 * Whether make.cross would pass `LLVM=1` (kbuild.sh
 * `is_llvm_equal_one_supported`). `clangMajor` null means unknown, which
 * counts as older than any minimum.
 *
 * @example
 * ```ts
 * import { llvmEqualOne } from "./llvm_rules.ts";
 * import { parseKernelVersion } from "./kernel_version.ts";
 * if (!llvmEqualOne("arm64", 17, parseKernelVersion("6.1.0"))) throw new Error();
 * if (llvmEqualOne("arm64", 17, parseKernelVersion("5.4.0"))) throw new Error();
 * if (llvmEqualOne("powerpc", 17, parseKernelVersion("5.15.0"))) throw new Error();
 * if (llvmEqualOne("s390", 17, parseKernelVersion("6.9.0"))) throw new Error();
 * ```
 */
export function llvmEqualOne(
  arch: string,
  clangMajor: number | null,
  kv: KernelVersion | null,
): boolean {
  if (kernelVersionIs(kv, "<", raw.llvmEqualOne.minKernel)) return false;
  const rule = raw.llvmEqualOne.archRules.find((r) => matches(r, arch));
  if (!rule) return true;
  if (rule.never) return false;
  if (rule.minClang !== undefined && (clangMajor ?? 0) < rule.minClang) {
    return false;
  }
  if (
    rule.minKernel !== undefined && kernelVersionIs(kv, "<", rule.minKernel)
  ) {
    return false;
  }
  return true;
}

/**
 * The `LLVM_IAS=` value make.cross adds, or null for none.
 *
 * @example
 * ```ts
 * import { llvmIas } from "./llvm_rules.ts";
 * import { parseKernelVersion } from "./kernel_version.ts";
 * if (llvmIas("powerpc", parseKernelVersion("5.15.0")) !== "0") throw new Error();
 * if (llvmIas("hexagon", parseKernelVersion("5.10.0")) !== "1") throw new Error();
 * if (llvmIas("arm", parseKernelVersion("5.10.0")) !== null) throw new Error();
 * if (llvmIas("sparc64", null) !== "0") throw new Error();
 * ```
 */
export function llvmIas(arch: string, kv: KernelVersion | null): string | null {
  const rule = raw.llvmIas.rules.find((r) => matches(r, arch));
  if (!rule) return null;
  if (rule.above !== undefined && !kernelVersionIs(kv, ">", rule.above)) {
    return null;
  }
  if (rule.below !== undefined && !kernelVersionIs(kv, "<", rule.below)) {
    return null;
  }
  return rule.value;
}

/**
 * The long clang form (`HOSTCC=<clang> CC=<clang> LD=… AR=llvm-ar …`) for
 * kernels or arches where `LLVM=1` is not supported.
 *
 * @param clangPath absolute path of clang
 * @example
 * ```ts
 * import { longFormVars } from "./llvm_rules.ts";
 * const v = longFormVars("s390", "/t/bin/clang");
 * if (v[0] !== "HOSTCC=/t/bin/clang" || v.some((x) => x.startsWith("LD="))) throw new Error();
 * if (!v.includes("OBJCOPY=/usr/s390x-linux-gnu/bin/objcopy")) throw new Error();
 * ```
 */
export function longFormVars(arch: string, clangPath: string): string[] {
  const bin = clangPath.slice(0, clangPath.lastIndexOf("/"));
  const over = raw.longForm.archOverrides[arch] ?? {};
  const out: string[] = [];
  for (const tmpl of raw.longForm.vars) {
    const name = tmpl.slice(0, tmpl.indexOf("="));
    if (over.drop?.includes(name)) continue;
    const set = over.set?.[name];
    const word = set !== undefined
      ? `${name}=${set}`
      : tmpl.replaceAll("{clang}", clangPath).replaceAll("{bin}", bin);
    out.push(word);
  }
  return out;
}
