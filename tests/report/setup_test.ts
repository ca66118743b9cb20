import { parseReport } from "../../src/report/mod.ts";
import { assertEquals } from "../_support/assert.ts";
import { loadFixtures } from "./_fixtures.ts";

const fixture = (id: string) => loadFixtures().find((f) => f.id === id)!;

Deno.test("parseReport() records the robot's setup with a stable field set for every fixture", () => {
  const keys = [
    "apt_packages",
    "b4_shazam",
    "closes_url",
    "docutils",
    "rustc",
    "rustc_version",
    "sparse",
    "unreleased_compiler",
  ];
  for (const f of loadFixtures()) {
    const r = parseReport(
      f.text,
      f.reproduce === undefined ? {} : { reproduceText: f.reproduce },
    );
    assertEquals(Object.keys(r.setup).sort(), keys, f.id);
  }
});

Deno.test("parseReport() reads the apt-get comment of inline steps and the sparse version of a reproduce script", () => {
  const old = parseReport(fixture("007").text);
  assertEquals(old.setup.apt_packages, ["binutils-s390x-linux-gnu"]);
  const f = fixture("037");
  const r = parseReport(f.text, { reproduceText: f.reproduce! });
  assertEquals(r.setup.sparse, "v0.6.4-66-g0196afe1");
  assertEquals(r.setup.apt_packages, ["sparse"]);
  assertEquals(
    r.setup.closes_url,
    "https://lore.kernel.org/oe-kbuild-all/202409251336.ToC0TvWB-lkp@intel.com/",
  );
});

Deno.test("parseReport() takes b4 shazam from the attached script and the old Link: tag as the report's URL", () => {
  const f = fixture("044");
  const r = parseReport(f.text, { reproduceText: f.reproduce! });
  assertEquals(
    r.setup.b4_shazam,
    "https://lore.kernel.org/r/20250708-smp_calib-v3-1-6dabf01a7d9f@bootlin.com",
  );
  assertEquals(
    parseReport(fixture("025").text).setup.closes_url,
    "https://lore.kernel.org/oe-kbuild-all/202304190146.FrlhoboB-lkp@intel.com/",
  );
});

Deno.test("parseReport() reads rustc:, sparse: and docutils: header lines and the unreleased-clang comment", () => {
  const text = [
    "url:    https://github.com/intel-lab-lkp/linux/commits/A-B/rust-x/20251120-062302",
    "base:   e4addc7cc2dfcc19f1c8c8e47f3834b22cb21559",
    "patch link:    https://lore.kernel.org/r/20251119-rust-x-v1-6-883a94599a97%40redhat.com",
    "patch subject: [PATCH 6/8] rust: pci: add a callback",
    "config: um-randconfig-001-20251121 (https://download.01.org/0day-ci/archive/20251121/202511211317.FkJsCIc0-lkp@intel.com/config)",
    "compiler: clang version 22.0.0git (https://github.com/llvm/llvm-project 9e9fe08b16ea2c4d9867fb4974edf2a3776d6ece)",
    "rustc: rustc 1.88.0 (6b00bc388 2025-06-23)",
    "sparse: v0.6.4-73-gfbdde312",
    "docutils: docutils (Docutils 0.21.2, Python 3.13.5, on linux)",
    "reproduce (this is a W=1 build): (https://download.01.org/0day-ci/archive/20251121/202511211317.FkJsCIc0-lkp@intel.com/reproduce)",
    "",
    "All errors (new ones prefixed by >>):",
    "",
    ">> error[E0609]: no field `sriov_configure` on type `pci_driver`",
    "   --> rust/kernel/pci.rs:71:31",
    "",
  ].join("\n");
  const script = [
    "reproduce (this is a W=1 build):",
    "        git checkout 24d479d26b25bce5faea3ddd9fa8f3a6c3129ea7",
    "        b4 shazam https://lore.kernel.org/r/20251119-rust-x-v1-6-883a94599a97@redhat.com",
    "        # install um cross compiling tool for clang build",
    "        # apt-get install binutils-x86-64-linux-gnu",
    "        # clang-22 might not be officially released. Try a lower version if installation fails.",
    "        COMPILER_INSTALL_PATH=$HOME/0day COMPILER=clang-22 ~/lkp-tests/kbuild/make.cross W=1 O=build_dir ARCH=um SHELL=/bin/bash rust/",
  ].join("\n");
  const r = parseReport(text, { reproduceText: script });
  assertEquals(r.setup, {
    rustc: "rustc 1.88.0 (6b00bc388 2025-06-23)",
    rustc_version: "1.88.0",
    sparse: "v0.6.4-73-gfbdde312",
    docutils: "docutils (Docutils 0.21.2, Python 3.13.5, on linux)",
    apt_packages: ["binutils-x86-64-linux-gnu"],
    unreleased_compiler: "clang-22",
    b4_shazam:
      "https://lore.kernel.org/r/20251119-rust-x-v1-6-883a94599a97@redhat.com",
    closes_url: null,
  });
  assertEquals(r.marked_lines, [
    "error[E0609]: no field `sriov_configure` on type `pci_driver`",
  ]);
  assertEquals(r.compiler?.version, "22.0.0git");
});
