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
 * - x86_64 `headers` (no config needed).
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
import {
  ensureKernelSource,
  haveKernelSource,
  TEST_CACHE,
  withTestLock,
} from "../_support/kernel.ts";
import { findExecutable } from "../../src/proc/find_executable.ts";
import type { RecordMetadata } from "../../src/record/types.ts";
import { sha256File } from "../../src/util/sha256_file.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const WORK = `${TEST_CACHE}/outputs-e2e`;
const TREE = `${WORK}/linux`;
const PPC_GCC = "/usr/bin/powerpc64-linux-gnu-gcc-12";
const X86_GCC = "/usr/bin/x86_64-linux-gnu-gcc-12";
const CLANG = "/usr/bin/clang-15";
const canRun = haveKernelSource() && findExecutable(PPC_GCC, "") !== null;
const BROKEN_DTS = `${TREE}/arch/powerpc/boot/dts/kcross-broken.dts`;

async function run(argv: string[]): Promise<string> {
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(`${argv.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  }
  return new TextDecoder().decode(r.stdout);
}

/** The fixed hard-linked copy (made once), arm64's dts list cut to arm/. */
async function ensureTree(): Promise<void> {
  const done = `${WORK}/.tree-complete`;
  try {
    await Deno.stat(done);
    return;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const pristine = await ensureKernelSource();
  await Deno.remove(TREE, { recursive: true }).catch(() => {});
  await Deno.mkdir(WORK, { recursive: true });
  await run(["cp", "-al", pristine, TREE]);
  // Unlink before writing: the copy shares inodes with the cache.
  const mk = `${TREE}/arch/arm64/boot/dts/Makefile`;
  await Deno.remove(mk);
  await Deno.writeTextFile(
    mk,
    "# kcross test: one vendor dir\nsubdir-y += arm\n",
  );
  await Deno.writeTextFile(done, "");
}

async function kcross(
  args: string[],
): Promise<{ code: number; meta: RecordMetadata; stderr: string }> {
  const r = await new Deno.Command(`${ROOT}kcross`, {
    args: ["build", "--tree", TREE, "--json", ...args],
    cwd: WORK,
    env: {
      KCROSS_STATE_DIR: `${WORK}/state`,
      // gcc-12.2.0 and clang-15 are Debian's builds here, used when allowed.
      KCROSS_ALLOW_DISTRO: "1",
      NO_COLOR: "1",
      LANG: "C",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(r.stdout);
  const stderr = new TextDecoder().decode(r.stderr);
  let meta: RecordMetadata;
  try {
    meta = JSON.parse(stdout) as RecordMetadata;
  } catch {
    throw new Error(
      `no JSON on stdout (exit ${r.code}): ${stderr.slice(-3000)}`,
    );
  }
  return { code: r.code, meta, stderr };
}

function statuses(meta: RecordMetadata): string[] {
  return (meta.phases ?? []).map((p) => `${p.name}:${p.status}`);
}

/** Every artifact in metadata.json exists with its size and sha256. */
async function checkArtifacts(
  recordDir: string,
  meta: RecordMetadata,
): Promise<string[]> {
  const onDisk = JSON.parse(
    await Deno.readTextFile(`${recordDir}/metadata.json`),
  ) as RecordMetadata;
  assertEquals(onDisk, meta, "--json prints metadata.json");
  for (const a of meta.artifacts ?? []) {
    const path = `${recordDir}/${a.path}`;
    assertEquals((await Deno.stat(path)).size, a.size, a.name);
    assertEquals(await sha256File(path), a.sha256, a.name);
  }
  const names: string[] = [];
  for await (const e of Deno.readDir(`${recordDir}/artifacts`)) {
    names.push(e.name);
  }
  return names.sort();
}

Deno.test({
  name:
    "real builds: powerpc kernel+modules pass while a broken dtbs fails, arm64 dtbs with clang-15, x86_64 headers; artifacts match their sha256",
  ignore: !canRun,
  sanitizeResources: false,
  fn: () =>
    withTestLock("outputs-e2e", async () => {
      await ensureTree();
      const rec = (name: string) => `${WORK}/records/${name}`;
      await Deno.remove(`${WORK}/records`, { recursive: true }).catch(() => {});
      const ppc = [
        "--arch",
        "powerpc",
        "--config",
        "tinyconfig",
        "--set",
        "CONFIG_MODULES=y",
        "--set",
        "CONFIG_CRC_CCITT=m",
        "--compiler",
        "gcc-12.2.0",
        "--ccache",
        "--out",
        `${WORK}/out-powerpc`,
      ];

      await Deno.writeTextFile(
        BROKEN_DTS,
        '/dts-v1/;\n/ {\n\tcompatible = "kcross,broken"\n};\n',
      );
      try {
        const { code, meta } = await kcross([
          ...ppc,
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
        ...ppc,
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
      }
    }),
});

function assertMatchRelease(release: string | null | undefined): void {
  assert(
    release !== undefined && release !== null && release.startsWith("6.1."),
    `kernelRelease: ${release}`,
  );
}
