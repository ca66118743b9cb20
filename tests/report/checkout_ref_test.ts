import { parseReport } from "../../src/report/mod.ts";
import { assertEquals } from "../_support/assert.ts";

// Minimal excerpt of a real report, inline steps of 2023:
// https://lore.kernel.org/oe-kbuild-all/202306092349.88mhfjhr-lkp@intel.com/
// ("[PATCH v6 10/19] s390: mm: Convert to GENERIC_IOREMAP", linux-arch).
const REPORT = `kernel test robot noticed the following build errors:

url:    https://github.com/intel-lab-lkp/linux/commits/Baoquan-He/asm-generic-iomap-h-remove-ARCH_HAS_IOREMAP_xx-macros/20230609-160014
base:   https://git.kernel.org/pub/scm/linux/kernel/git/akpm/mm.git mm-everything
patch link:    https://lore.kernel.org/r/20230609075528.9390-11-bhe%40redhat.com
patch subject: [PATCH v6 10/19] s390: mm: Convert to GENERIC_IOREMAP
config: s390-randconfig-r014-20230608 (https://download.01.org/0day-ci/archive/20230609/202306092349.88mhfjhr-lkp@intel.com/config)
compiler: clang version 17.0.0 (https://github.com/llvm/llvm-project.git 4a5ac14ee968ff0ad5d2cc1ffa0299048db4c88a)
reproduce (this is a W=1 build):
        git remote add akpm-mm https://git.kernel.org/pub/scm/linux/kernel/git/akpm/mm.git
        git fetch akpm-mm mm-everything
        git checkout akpm-mm/mm-everything
        b4 shazam https://lore.kernel.org/r/20230609075528.9390-11-bhe@redhat.com
        # save the config file
        mkdir build_dir && cp config build_dir/.config
        COMPILER_INSTALL_PATH=$HOME/0day COMPILER=clang ~/bin/make.cross W=1 O=build_dir ARCH=s390 SHELL=/bin/bash drivers/pcmcia/

All errors (new ones prefixed by >>):

>> drivers/pcmcia/cistpl.c:110:2: error: call to undeclared function 'iounmap'

-- 
0-DAY CI Kernel Test Service
`;

Deno.test("parseReport() takes no commit from `git checkout <remote>/<branch>`: it is the base b4 shazam applies the patch onto", () => {
  const r = parseReport(REPORT);
  assertEquals(r.commit, null);
  assertEquals(
    r.tree_url,
    "https://git.kernel.org/pub/scm/linux/kernel/git/akpm/mm.git",
  );
  assertEquals(r.branch, "mm-everything");
  assertEquals(
    r.setup.b4_shazam,
    "https://lore.kernel.org/r/20230609075528.9390-11-bhe@redhat.com",
  );
  assertEquals(r.targets, ["drivers/pcmcia/"]);
});

Deno.test("parseReport() still takes the sha of `git checkout <sha>` as the commit", () => {
  const r = parseReport(
    REPORT.replace(
      "git checkout akpm-mm/mm-everything",
      "git checkout 86731a2a651e",
    ),
  );
  assertEquals(r.commit, "86731a2a651e");
});
