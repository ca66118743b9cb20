/**
 * The named targets that cost minutes of CPU, on the real linux-6.1 tree
 * (run only with KCROSS_SLOW_TESTS=1; the default suite stays short):
 *
 * - powerpc `targz-pkg` and `bindeb-pkg` on the tinyconfig + one module
 *   output dir of `build_outputs_test.ts` (incremental after it): the
 *   tarball and the `.deb` files are artifacts with their sha256;
 * - arm64 `dtbs_check` with clang-15 and dt-schema;
 * - x86_64 `perf` (6.1's tools/perf with libelf-dev; ~250 s of CPU).
 *
 * Opted in, a missing host tool (dpkg-dev, fakeroot, dt-schema, libelf-dev)
 * fails the test instead of skipping it: install them first.
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
  freshRecord,
  kcross,
  PPC,
  PPC_GCC,
  run,
  SLOW_TESTS,
  statuses,
  WORK,
  X86_GCC,
} from "./_outputs.ts";

const canRun = SLOW_TESTS && haveKernelSource();

Deno.test({
  name:
    "slow real builds: powerpc targz-pkg and bindeb-pkg; the tarball and the .deb files are artifacts with their sha256",
  ignore: !canRun || findExecutable(PPC_GCC, "") === null,
  sanitizeResources: false,
  fn: () =>
    withTestLock("outputs-e2e", async () => {
      await ensureTree();
      // bindeb-pkg writes into the output dir's parent: old packages go first.
      for await (const e of Deno.readDir(WORK)) {
        if (/\.(deb|buildinfo|changes)$/.test(e.name)) {
          await Deno.remove(`${WORK}/${e.name}`);
        }
      }
      const rec = await freshRecord("ppc-pkg");
      const { code, meta, stderr } = await kcross([
        ...PPC,
        "--record-dir",
        rec,
        "targz-pkg",
        "bindeb-pkg",
      ]);
      assertEquals(code, 0, stderr.slice(-3000));
      assertEquals(statuses(meta), [
        "config:pass",
        "bindeb-pkg:pass",
        "targz-pkg:pass",
      ]);
      const names = await checkArtifacts(rec, meta);
      const debs = names.filter((n) => n.endsWith("_powerpc.deb"));
      assert(
        debs.some((n) => n.startsWith("linux-image-6.1.")) &&
          debs.some((n) => n.startsWith("linux-headers-6.1.")),
        names.join(" "),
      );
      const tarball = names.find((n) =>
        /^linux-6\.1\.\d+-powerpc\.tar\.gz$/.test(n)
      );
      assert(tarball !== undefined, names.join(" "));
      const listing = await run(["tar", "-tzf", `${rec}/artifacts/${tarball}`]);
      assertStringIncludes(listing, "boot/vmlinux-6.1.");
      assertStringIncludes(listing, "/crc-ccitt.ko");
      const deb = debs.find((n) => n.startsWith("linux-image-"))!;
      assertStringIncludes(
        await run(["dpkg-deb", "-c", `${rec}/artifacts/${deb}`]),
        "/crc-ccitt.ko",
      );
    }),
});

Deno.test({
  name: "slow real builds: arm64 dtbs_check with clang-15 and dt-schema",
  ignore: !canRun || findExecutable(CLANG, "") === null,
  sanitizeResources: false,
  fn: () =>
    withTestLock("outputs-e2e", async () => {
      await ensureTree();
      const rec = await freshRecord("arm64-check");
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
        rec,
        "dtbs_check",
      ]);
      assertEquals(arm.code, 0, arm.stderr.slice(-3000));
      assertEquals(statuses(arm.meta), ["config:pass", "dtbs_check:pass"]);
      assert(
        (await Deno.stat(
          `${WORK}/out-arm64/Documentation/devicetree/bindings/processed-schema.json`,
        )).isFile,
      );
    }),
});

Deno.test({
  name:
    "slow real builds: x86_64 perf on tinyconfig; the perf binary is an artifact",
  ignore: !canRun || findExecutable(X86_GCC, "") === null,
  sanitizeResources: false,
  fn: () =>
    withTestLock("outputs-e2e", async () => {
      await ensureTree();
      const rec = await freshRecord("x86-perf");
      const r = await kcross([
        "--arch",
        "x86_64",
        "--config",
        "tinyconfig",
        "--compiler",
        "gcc-12.2.0",
        "--out",
        `${WORK}/out-x86_64`,
        "--record-dir",
        rec,
        "perf",
      ]);
      assertEquals(r.code, 0, r.stderr.slice(-3000));
      assertEquals(statuses(r.meta), ["config:pass", "perf:pass"]);
      assertEquals(await checkArtifacts(rec, r.meta), ["config", "perf"]);
      assertElf(`${rec}/artifacts/perf`, 62); // EM_X86_64
    }),
});
