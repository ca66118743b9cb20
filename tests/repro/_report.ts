/**
 * A robot report as text, for repro and verify tests that go through the
 * real report parser: a branch report on `tree` at `commit` (or a patch
 * report on a base), one `>>` diagnostic.
 *
 * @module
 */

/** What the report says. */
export interface ReportTextOptions {
  /** The `tree:` (null: the report names none). */
  tree: string | null;
  /** The commit (null: a patch report with `url:`/`base:` lines). */
  commit: string | null;
  /** `config:` name (default `powerpc-allmodconfig`). */
  configName?: string;
  /** The config's URL, or none. */
  configUrl?: string;
  /** The `>>` line (default `a.c:1:1: error: boom`). */
  diagnostic?: string;
}

/** The report's text. */
export function reportText(o: ReportTextOptions): string {
  const name = o.configName ?? "powerpc-allmodconfig";
  const arch = name.split("-")[0]!;
  const where = o.commit === null
    ? [
      "url:    https://github.com/intel-lab-lkp/linux/commits/x",
      "base:   https://git.kernel.org/x.git main",
      "patch link:    https://lore.kernel.org/r/x@y",
    ]
    : [
      ...(o.tree === null ? [] : [`tree:   ${o.tree} main`]),
      `head:   ${o.commit}`,
      `commit: ${o.commit} a: break it`,
    ];
  return [
    ...where,
    `config: ${name}${o.configUrl ? ` (${o.configUrl})` : ""}`,
    "compiler: powerpc-linux-gcc (GCC) 11.2.0",
    "reproduce (this is a W=1 build):",
    `        COMPILER_INSTALL_PATH=$HOME/0day COMPILER=gcc-11.2.0 make.cross W=1 O=build_dir ARCH=${arch} olddefconfig`,
    `        COMPILER_INSTALL_PATH=$HOME/0day COMPILER=gcc-11.2.0 make.cross W=1 O=build_dir ARCH=${arch} SHELL=/bin/bash drivers/vfio/`,
    "",
    "If you fix the issue in a separate patch/commit (i.e. not just a new version of",
    "the same patch/commit), kindly add following tags",
    "| Reported-by: kernel test robot <lkp@intel.com>",
    "| Closes: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/",
    "",
    "All errors (new ones prefixed by >>):",
    "",
    `>> ${o.diagnostic ?? "a.c:1:1: error: boom"}`,
    "",
  ].join("\n");
}
