/**
 * Robot reports of the seed bug for a local repository, in the robot's old
 * format (inline make.cross steps) and its new one (reproduce link, Closes:
 * tag), with diagnostics located in the repository's own sources.
 *
 * @module
 */
import { seedDiagnosticLines } from "../../src/repro/demo_report.ts";

/** What the reports point at. */
export interface SeedReportInput {
  tree: string;
  branch: string;
  commit: string;
  compiler: string;
  vfioH: string;
  vfioMainC: string;
  fslMcIntrC: string;
}

/** The old format (2019–2022): inline reproduce steps, `make.cross` line. */
export function oldFormatReport(i: SeedReportInput): string {
  return [
    `tree:   ${i.tree} ${i.branch}`,
    `head:   ${i.commit}`,
    `commit: ${i.commit} [9/18] vfio: Define device migration protocol v2`,
    "config: powerpc-allmodconfig (attached as .config)",
    `compiler: ${i.compiler}`,
    "reproduce (this is a W=1 build):",
    "        wget https://raw.githubusercontent.com/intel/lkp-tests/master/sbin/make.cross -O ~/bin/make.cross",
    "        chmod +x ~/bin/make.cross",
    `        git remote add local ${i.tree}`,
    `        git fetch --no-tags local ${i.branch}`,
    `        git checkout ${i.commit}`,
    "        # save the attached .config to linux build tree",
    "        mkdir build_dir",
    "        COMPILER_INSTALL_PATH=$HOME/0day COMPILER=gcc-12.2.0 make.cross O=build_dir ARCH=powerpc SHELL=/bin/bash drivers/vfio/",
    "",
    "If you fix the issue, kindly add following tag as appropriate",
    "Reported-by: kernel test robot <lkp@intel.com>",
    "",
    "All errors (new ones prefixed by >>):",
    "",
    ...seedDiagnosticLines(i),
    "",
    "---",
    "0-DAY CI Kernel Test Service, Intel Corporation",
    "https://lists.01.org/hyperkitty/list/kbuild-all@lists.01.org",
    "",
  ].join("\n");
}

/** The new format (2023–): reproduce link, Closes: tag, no inline steps. */
export function newFormatReport(i: SeedReportInput): string {
  return [
    "Hi Jason,",
    "",
    "kernel test robot noticed the following build errors:",
    "",
    `[auto build test ERROR on ${i.branch}]`,
    "",
    `tree:   ${i.tree} ${i.branch}`,
    `head:   ${i.commit}`,
    `commit: ${i.commit} [9/18] vfio: Define device migration protocol v2`,
    "config: powerpc-allmodconfig (https://download.01.org/0day-ci/archive/20220122/202201221146.IDixXFOw-lkp@intel.com/config)",
    `compiler: ${i.compiler}`,
    "reproduce (this is a W=1 build): (https://download.01.org/0day-ci/archive/20220122/202201221146.IDixXFOw-lkp@intel.com/reproduce)",
    "",
    "If you fix the issue in a separate patch/commit (i.e. not just a new version of",
    "the same patch/commit), kindly add following tags",
    "| Reported-by: kernel test robot <lkp@intel.com>",
    "| Closes: https://lore.kernel.org/oe-kbuild-all/202201221146.IDixXFOw-lkp@intel.com/",
    "",
    "All errors (new ones prefixed by >>):",
    "",
    ...seedDiagnosticLines(i),
    "",
    "-- ",
    "0-DAY CI Kernel Test Service",
    "https://github.com/intel/lkp-tests/wiki",
    "",
  ].join("\n");
}
