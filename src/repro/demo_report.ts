/**
 * The robot-style report `kcross demo` writes for its sample repository:
 * line numbers and columns are computed from the sample's own sources, the
 * compiler line is what the compiler prints, as the robot's
 * `CONFIG_CC_VERSION_TEXT` would.
 *
 * @module
 */

/** What the demo report describes. */
export interface DemoReportInput {
  /** Tree URL (the sample repository's path). */
  treeUrl: string;
  branch: string;
  head: string;
  commit: string;
  subject: string;
  /** First line of `<compiler> --version`. */
  compiler: string;
  /** The sample's `include/uapi/linux/vfio.h` at the bad commit. */
  vfioH: string;
  /** The sample's `drivers/vfio/vfio_main.c`. */
  vfioMainC: string;
  /** The sample's `drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c`. */
  fslMcIntrC: string;
}

/** gcc's display column (tabs to 8) of `index` in `line`, 1-based. */
function displayColumn(line: string, index: number): number {
  let col = 0;
  for (let i = 0; i < index; i++) {
    col = line[i] === "\t" ? (col + 8) & ~7 : col + 1;
  }
  return col + 1;
}

/** Line (1-based) and display column of the first `needle` in `text` on a line matching `where`. */
function locate(
  text: string,
  where: RegExp,
  needle: string,
): { line: number; column: number } | null {
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (where.test(l)) {
      const at = l.indexOf(needle);
      if (at >= 0) return { line: i + 1, column: displayColumn(l, at) };
    }
  }
  return null;
}

/** The sources the seed diagnostics are located in (text at the bad commit). */
export interface SeedSources {
  /** `include/uapi/linux/vfio.h`. */
  vfioH: string;
  /** `drivers/vfio/vfio_main.c`. */
  vfioMainC: string;
  /** `drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c`. */
  fslMcIntrC: string;
}

/**
 * The diagnostic lines of the seed bug as the robot prints them (`>> ` new,
 * three spaces old), located in the given sources. The robot builds
 * allmodconfig with CONFIG_WERROR off, so the old W=1 line is a warning.
 *
 * @example
 * ```ts
 * import { seedDiagnosticLines } from "./demo_report.ts";
 * const l = seedDiagnosticLines({ vfioH: "#define VFIO_DEVICE_STATE_STOP (0)\n", vfioMainC: "", fslMcIntrC: "" });
 * if (l[0] !== ">> include/uapi/linux/vfio.h:1:32: error: expected identifier before '(' token") throw new Error(l[0]);
 * ```
 */
export function seedDiagnosticLines(input: SeedSources): string[] {
  const define = locate(input.vfioH, /^#define VFIO_DEVICE_STATE_STOP\s/, "(");
  const stopCopy = locate(
    input.vfioMainC,
    /\[VFIO_DEVICE_STATE_STOP_COPY\]/,
    "VFIO_DEVICE_STATE_STOP_COPY",
  );
  const hwirq = locate(input.fslMcIntrC, /^\s*int ret, hwirq;/, "hwirq");
  const errors: string[] = [];
  if (define) {
    errors.push(
      `>> include/uapi/linux/vfio.h:${define.line}:${define.column}: error: expected identifier before '(' token`,
    );
  }
  if (stopCopy) {
    const at = `drivers/vfio/vfio_main.c:${stopCopy.line}:${stopCopy.column}`;
    errors.push(
      `>> ${at}: error: 'VFIO_DEVICE_STATE_STOP_COPY' undeclared (first use in this function); did you mean 'VFIO_DEVICE_STATE_STOP'?`,
      `>> ${at}: error: array index in initializer not of integer type`,
    );
  }
  if (hwirq) {
    errors.push(
      `   drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c:${hwirq.line}:${hwirq.column}: warning: variable 'hwirq' set but not used [-Wunused-but-set-variable]`,
    );
  }
  return errors;
}

/**
 * The report text: a branch report in the robot's current format, with the
 * inline make.cross line of its older format (W=1, `drivers/vfio/`).
 *
 * @example
 * ```ts
 * import { demoReport } from "./demo_report.ts";
 * const t = demoReport({ treeUrl: "/r", branch: "master", head: "b", commit: "b", subject: "s",
 *   compiler: "powerpc64-linux-gnu-gcc (Debian 12.2.0-13) 12.2.0",
 *   vfioH: "x\n#define VFIO_DEVICE_STATE_STOP (0)\nenum vfio_device_mig_state {\n",
 *   vfioMainC: "\t\t\t[VFIO_DEVICE_STATE_STOP_COPY] = 1,\n", fslMcIntrC: "\tint ret, hwirq;\n" });
 * if (!t.includes(">> include/uapi/linux/vfio.h:2:32: error: expected identifier before '(' token")) throw new Error(t);
 * if (!t.includes(">> drivers/vfio/vfio_main.c:1:26: error:")) throw new Error(t);
 * ```
 */
export function demoReport(input: DemoReportInput): string {
  const errors = seedDiagnosticLines(input);
  const gccVersion = /(\d+\.\d+\.\d+)\s*$/.exec(input.compiler)?.[1] ?? "";
  return [
    "Hi kcross user,",
    "",
    "kernel test robot noticed the following build errors:",
    "",
    `[auto build test ERROR on ${input.branch}]`,
    "",
    `tree:   ${input.treeUrl} ${input.branch}`,
    `head:   ${input.head}`,
    `commit: ${input.commit} [1/1] ${input.subject}`,
    "config: powerpc-allmodconfig",
    `compiler: ${input.compiler}`,
    "reproduce (this is a W=1 build):",
    "        git clone " + input.treeUrl + " linux && cd linux",
    `        git checkout ${input.commit}`,
    "        mkdir build_dir",
    `        COMPILER_INSTALL_PATH=$HOME/0day COMPILER=gcc-${gccVersion} make.cross W=1 O=build_dir ARCH=powerpc SHELL=/bin/bash drivers/vfio/`,
    "",
    "If you fix the issue in a separate patch/commit (i.e. not just a new version of",
    "the same patch/commit), kindly add following tags",
    "| Reported-by: kernel test robot <lkp@intel.com>",
    "",
    "All errors (new ones prefixed by >>):",
    "",
    ...errors,
    "",
    "-- ",
    "0-DAY CI Kernel Test Service (a kcross demo)",
    "https://github.com/intel/lkp-tests/wiki",
    "",
  ].join("\n");
}
