/**
 * Named targets and artifacts end to end on the real linux-6.1 tree, through
 * the launcher (`kcross build … --json`):
 *
 * - powerpc `kernel modules dtbs` on tinyconfig + CONFIG_MODULES (one module)
 *   with Debian's gcc 12 and ccache, a broken `.dts` dropped into
 *   arch/powerpc/boot/dts/ (its Makefile builds every `*.dts` with
 *   CONFIG_OF_ALL_DTBS, as make.cross sets it): kernel and modules pass, dtbs
 *   fails, each reported; then, the `.dts` removed, `dtbs` alone passes;
 * - arm64 `dtbs` with clang-15;
 * - x86_64 `headers` (no config needed), then, in the same output dir,
 *   tinyconfig `TARGETS=size kselftest cpupower`: only the asked-for selftest
 *   is built, and the cpupower binary (which 6.1 builds at `<out>/cpupower`)
 *   is an artifact. ~35 s of CPU on top of the headers; needs libpci-dev.
 *
 * The package targets, `dtbs_check` and `perf` cost minutes of CPU each:
 * they are in `build_packages_test.ts`, run only with KCROSS_SLOW_TESTS=1.
 *
 * CI budget: one hard-linked copy of the cached tree and one output dir per
 * arch, both at fixed paths under the test cache, so a second run is
 * incremental and ccache hits; arm64's dts Makefile is cut to the `arm/`
 * vendor dir in that copy (10 boards instead of 766: the dtc step is the
 * same). Every artifact is checked against the sha256 and size in
 * metadata.json.
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { haveKernelSource, withTestLock } from "../_support/kernel.ts";
import { findExecutable } from "../../src/proc/find_executable.ts";
import {
  assertElf,
  checkArtifacts,
  CLANG,
  ensureTree,
  kcross,
  PPC,
  PPC_GCC,
  run,
  statuses,
  TREE,
  WORK,
  X86_GCC,
} from "./_outputs.ts";

const canRun = haveKernelSource() && findExecutable(PPC_GCC, "") !== null;
const BROKEN_DTS = `${TREE}/arch/powerpc/boot/dts/kcross-broken.dts`;

Deno.test({
  name:
    "real builds: powerpc kernel+modules pass while a broken dtbs fails, arm64 dtbs with clang-15, x86_64 headers then kselftest (TARGETS=size) and cpupower; artifacts match their sha256",
  ignore: !canRun,
  sanitizeResources: false,
  fn: () =>
    withTestLock("outputs-e2e", async () => {
      await ensureTree();
      const rec = (name: string) => `${WORK}/records/${name}`;
      await Deno.remove(`${WORK}/records`, { recursive: true }).catch(() => {});

      await Deno.writeTextFile(
        BROKEN_DTS,
        '/dts-v1/;\n/ {\n\tcompatible = "kcross,broken"\n};\n',
      );
      try {
        const { code, meta } = await kcross([
          ...PPC,
          "--keep-going",
          "--record-dir",
          rec("ppc"),
          "kernel",
          "modules",
          "dtbs",
        ]);
        assertEquals(code, 1);
        assertEquals(meta.result, "fail");
        assertEquals(statuses(meta), [
          "config:pass",
          "kernel:pass",
          "modules:pass",
          "dtbs:fail",
        ]);
        assertEquals(meta.reason, "target dtbs failed: make exited with 2");
        assertEquals(meta.phases![1]!.goals, ["vmlinux"]);
        assertMatchRelease(meta.tree.kernelRelease);
        const names = await checkArtifacts(rec("ppc"), meta);
        assertEquals(names, [
          "System.map",
          "config",
          "modules.tar.xz",
          "vmlinux",
        ]);
        const listing = await run([
          "tar",
          "-tJf",
          `${rec("ppc")}/artifacts/modules.tar.xz`,
        ]);
        assertStringIncludes(listing, "/crc-ccitt.ko");
        assertStringIncludes(
          await Deno.readTextFile(`${rec("ppc")}/build.log`),
          "kcross-broken.dts",
        );
      } finally {
        await Deno.remove(BROKEN_DTS).catch(() => {});
      }

      const fixed = await kcross([
        ...PPC,
        "--record-dir",
        rec("ppc-dtbs"),
        "dtbs",
      ]);
      assertEquals(fixed.code, 0, fixed.stderr.slice(-2000));
      assertEquals(statuses(fixed.meta), ["config:pass", "dtbs:pass"]);
      assertEquals(await checkArtifacts(rec("ppc-dtbs"), fixed.meta), [
        "config",
        "dtbs.tar.xz",
      ]);
      assertStringIncludes(
        await run([
          "tar",
          "-tJf",
          `${rec("ppc-dtbs")}/artifacts/dtbs.tar.xz`,
        ]),
        ".dtb",
      );

      if (findExecutable(CLANG, "") !== null) {
        const arm = await kcross([
          "--arch",
          "arm64",
          "--config",
          "tinyconfig",
          "--compiler",
          "clang-15",
          "--out",
          `${WORK}/out-arm64`,
          "--record-dir",
          rec("arm64"),
          "dtbs",
        ]);
        assertEquals(arm.code, 0, arm.stderr.slice(-2000));
        assertEquals(arm.meta.toolchain?.family, "clang");
        assertEquals(statuses(arm.meta), ["config:pass", "dtbs:pass"]);
        await checkArtifacts(rec("arm64"), arm.meta);
        assertStringIncludes(
          await run(["tar", "-tJf", `${rec("arm64")}/artifacts/dtbs.tar.xz`]),
          "arm/juno.dtb",
        );
      }

      if (findExecutable(X86_GCC, "") !== null) {
        const x86 = await kcross([
          "--arch",
          "x86_64",
          "--compiler",
          "gcc-12.2.0",
          "--out",
          `${WORK}/out-x86_64`,
          "--record-dir",
          rec("x86"),
          "headers",
        ]);
        assertEquals(x86.code, 0, x86.stderr.slice(-2000));
        assertEquals(statuses(x86.meta), ["headers:pass"]);
        assertEquals(
          x86.meta.config?.plan,
          null,
          "headers need no config step",
        );
        assertEquals(await checkArtifacts(rec("x86"), x86.meta), [
          "headers.tar.xz",
        ]);
        const headers = await run([
          "tar",
          "-tJf",
          `${rec("x86")}/artifacts/headers.tar.xz`,
        ]);
        assertStringIncludes(headers, "./linux/vfio.h");
        assertStringIncludes(headers, "./asm/unistd_64.h");
        assert(!headers.includes(".cmd"), "no kbuild .cmd files");

        // The headers are installed: kselftest-all only checks them.
        const tools = await kcross([
          "--arch",
          "x86_64",
          "--config",
          "tinyconfig",
          "--compiler",
          "gcc-12.2.0",
          "--out",
          `${WORK}/out-x86_64`,
          "--record-dir",
          rec("x86-tools"),
          "TARGETS=size",
          "kselftest",
          "cpupower",
        ]);
        assertEquals(tools.code, 0, tools.stderr.slice(-3000));
        assertEquals(statuses(tools.meta), [
          "config:pass",
          "kselftest:pass",
          "cpupower:pass",
        ]);
        assertEquals(await checkArtifacts(rec("x86-tools"), tools.meta), [
          "config",
          "cpupower",
        ]);
        assertElf(`${rec("x86-tools")}/artifacts/cpupower`, 62); // EM_X86_64
        const out = `${WORK}/out-x86_64`;
        assert((await Deno.stat(`${out}/kselftest/size/get_size`)).isFile);
        let timers = true;
        await Deno.stat(`${out}/kselftest/timers`).catch(() => timers = false);
        assertEquals(timers, false, "TARGETS=size builds only size/");
      }
    }),
});

function assertMatchRelease(release: string | null | undefined): void {
  assert(
    release !== undefined && release !== null && release.startsWith("6.1."),
    `kernelRelease: ${release}`,
  );
}
