/**
 * End to end on the real linux-6.1 tree with Debian's powerpc64 cross gcc
 * (and clang-15): the seed command fails on the hwirq error, the record holds
 * exactly that, and after the seed's vfio.h macro collision `logs diff`
 * shows the new error with `>> `.
 *
 * What each test proves (and nothing else here does):
 * - gcc: runBuild on the seed command (allmodconfig W=1 drivers/vfio/) gives
 *   a "fail" record whose diagnostics are exactly the hwirq error with its
 *   -Werror= flag, the metadata (CONFIG_WERROR on, gcc 12.2.0, 6.1) and a
 *   reproducer.sh without local paths; then the robot's make.cross command
 *   line through the launcher (O=../build_dir, the Debian gcc accepted as a
 *   recorded substitute) rebuilds incrementally and `logs diff` marks the
 *   vfio.h collision new (">> ") and exits 1.
 * - clang-15: a real LLVM=-15 build with W=1 gives clang's
 *   [-Werror,-Wunused-but-set-variable] form of the hwirq error, parsed into
 *   the record, with clang's version text. One object (the one with the
 *   variable) is enough for that; presubmit_vfio's clang-15 cell builds the
 *   whole drivers/vfio/ with clang.
 *
 * One hard-linked copy of the cached tree for gcc (vfio.h is unlinked before
 * it is edited, so the cache stays pristine), reused across its steps; clang
 * only reads the cached tree (everything under its O= dir).
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../_support/assert.ts";
import {
  applyVfioCollision,
  ensureKernelSource,
  haveKernelSource,
  TEST_CACHE,
  VFIO_COLLISION,
} from "../_support/kernel.ts";
import { systemPpc64Gcc } from "../_support/system_gcc.ts";
import { runBuild } from "../../src/build/run_build.ts";
import type { BuildPlan } from "../../src/build/types.ts";
import { recordingOutput } from "../../src/util/output.ts";
import type { Diagnostic } from "../../src/diagnostics/types.ts";
import type { RecordMetadata } from "../../src/record/types.ts";
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";
import { findExecutable } from "../../src/proc/find_executable.ts";
import { main } from "../../main.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const PATH = Deno.env.get("PATH") ?? "/usr/bin:/bin";
const GCC = "/usr/bin/powerpc64-linux-gnu-gcc";
const canRun = haveKernelSource() && findExecutable(GCC, "") !== null;

const HWIRQ =
  "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c:112:18: error: variable 'hwirq' set but not used [-Werror=unused-but-set-variable]";

/** The object the hwirq W=1 error is in. */
const HWIRQ_OBJECT = "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.o";

async function sh(argv: string[]): Promise<string> {
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(
      `${argv.join(" ")}: ${new TextDecoder().decode(r.stderr)}`,
    );
  }
  return new TextDecoder().decode(r.stdout).trim();
}

/** `kcross <args>` in `cwd` through the launcher. */
async function kcross(
  args: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const o = await new Deno.Command(`${ROOT}kcross`, {
    args,
    cwd,
    env: { NO_COLOR: "1", LANG: "C" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return {
    code: o.code,
    stdout: d.decode(o.stdout),
    stderr: d.decode(o.stderr),
  };
}

function plan(
  srcTree: string,
  outDir: string,
  toolchain: ResolvedToolchain,
  extra: string[],
  targets: string[],
): BuildPlan {
  return {
    mode: "make.cross",
    arch: "powerpc",
    srcTree,
    cwd: srcTree,
    outDir,
    argv: [
      "make",
      "--keep-going",
      ...extra,
      "--jobs=4",
      `O=${outDir}`,
      "ARCH=powerpc",
      "SHELL=/bin/bash",
      "W=1",
      ...targets,
    ],
    env: { PATH },
    envUnset: [],
    toolchain,
    triple: toolchain.triple,
    tripleReason: "test",
    config: {
      source: { kind: "target", target: "allmodconfig" },
      fragments: [],
      sets: [],
      werror: "keep",
    },
    targets,
    jobs: 4,
    ccache: false,
    allowEmpty: false,
    notes: [],
  };
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(path)) as T;
}

function errorsOf(diags: Diagnostic[]): string[] {
  return diags.filter((d) => /error/i.test(d.severity)).map((d) =>
    `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`
  );
}

Deno.test({
  name:
    "the seed command fails on the hwirq error, and the vfio.h collision shows up in logs diff as new",
  ignore: !canRun,
  sanitizeResources: false,
  fn: async (t) => {
    const pristine = await ensureKernelSource();
    const work = await Deno.makeTempDir({
      dir: TEST_CACHE,
      prefix: "e2e-build-",
    });
    try {
      const tree = `${work}/linux`;
      await sh(["cp", "-al", pristine, tree]);
      const out = `${work}/build_dir`;
      const version = await sh([GCC, "-dumpfullversion"]);
      const gccPlan = plan(tree, out, systemPpc64Gcc(version), [
        "CROSS_COMPILE=/usr/bin/powerpc64-linux-gnu-",
      ], ["drivers/vfio/"]);
      const base = `${work}/rec-base`;
      const head = `${work}/rec-head`;

      await t.step(
        "allmodconfig + W=1 drivers/vfio/ fails on hwirq",
        async () => {
          const outcome = await runBuild(gccPlan, {
            out: recordingOutput(),
            signal: new AbortController().signal,
            recordDir: base,
            echo: false,
          });
          assertEquals(outcome.result, "fail");
          const log = await Deno.readTextFile(`${base}/build.log`);
          assertStringIncludes(log, HWIRQ);
          const diags = await readJson<Diagnostic[]>(
            `${base}/diagnostics.json`,
          );
          assertEquals(errorsOf(diags), [HWIRQ]);
          const hwirq = diags.find((d) => d.severity === "error")!;
          assertEquals(hwirq.flag, "-Werror=unused-but-set-variable");
          const meta = await readJson<RecordMetadata>(`${base}/metadata.json`);
          assertEquals(meta.result, "fail");
          assertEquals(meta.config?.werrorEnabled, true);
          assertMatch(
            meta.toolchain?.ccVersionText ?? "",
            /^powerpc64-linux-gnu-gcc .*12\.2\.0/,
          );
          assertEquals(meta.tree.kernelVersion?.startsWith("6.1"), true);
          const script = await Deno.readTextFile(`${base}/reproducer.sh`);
          assertStringIncludes(
            script,
            `kcross build --arch powerpc --compiler gcc-${version} --config allmodconfig -W 1 --out build_dir SHELL=/bin/bash drivers/vfio/`,
          );
          assert(!script.includes(work), "reproducer has no local paths");
        },
      );

      await t.step(
        "the vfio.h collision, rebuilt through kcross make.cross, is new in logs diff",
        async () => {
          // Unlink before editing: the copy shares inodes with the cache.
          const header = `${tree}/${VFIO_COLLISION.file}`;
          const text = await Deno.readTextFile(header);
          await Deno.remove(header);
          await Deno.writeTextFile(header, text);
          await applyVfioCollision(tree);
          // The robot's command line, through the drop-in front door (the
          // planner resolves Debian's gcc as the system provider), run by the
          // launcher as a user would, with the default state and cache dirs
          // (a subprocess: no process-wide environment lock held meanwhile).
          const build = await kcross([
            "make.cross",
            `--kcross-record-dir=${head}`,
            // Debian's gcc is another build of 12.2.0: accepted, and recorded.
            "--kcross-allow-substitute",
            `COMPILER=gcc-${version}`,
            "O=../build_dir",
            "ARCH=powerpc",
            "SHELL=/bin/bash",
            "W=1",
            "drivers/vfio/",
          ], tree);
          assertEquals(build.code, 1, build.stderr);
          const meta = await readJson<RecordMetadata>(`${head}/metadata.json`);
          assertEquals(meta.result, "fail");
          assertEquals(meta.plan.mode, "make.cross");
          assertEquals(meta.tree.path, tree);
          const out = recordingOutput();
          const diff = await main(["logs", "diff", base, head], { out });
          const lines = out.stdout.join("\n");
          assertMatch(
            lines,
            /^>> include\/uapi\/linux\/vfio\.h:\d+:\d+: error: expected identifier before '\(' token$/m,
          );
          assertEquals(diff, 1);
          assert(
            (await Deno.readTextFile(`${pristine}/${VFIO_COLLISION.file}`))
              .indexOf(VFIO_COLLISION.insert) === -1,
            "the cached tree is untouched",
          );
        },
      );
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "clang-15 (LLVM=-15, allmodconfig W=1) fails on the hwirq variable too, in clang's -Werror form",
  ignore: !canRun || findExecutable("clang-15", PATH) === null,
  sanitizeResources: false,
  fn: async () => {
    const pristine = await ensureKernelSource();
    const work = await Deno.makeTempDir({
      dir: TEST_CACHE,
      prefix: "e2e-clang-",
    });
    try {
      const out = `${work}/build_dir`;
      const rec = `${work}/rec`;
      const clangVersion = (await sh(["clang-15", "-dumpversion"])).trim();
      const clang: ResolvedToolchain = {
        id: `clang-${clangVersion}-system`,
        family: "clang",
        requested: "clang-15",
        version: clangVersion,
        provider: "system",
        exact: true,
        triple: "powerpc64-linux",
        binDir: "/usr/bin",
        crossCompile: "powerpc64-linux-gnu-",
      };
      // The pristine tree is only read: everything is written under O=.
      // One object, the one with the hwirq variable: the seed command's
      // whole drivers/vfio/ is the gcc test's (and presubmit's clang cell's).
      const p = plan(pristine, out, clang, [
        "LLVM=-15",
        "CROSS_COMPILE=powerpc64-linux-gnu-",
      ], [HWIRQ_OBJECT]);
      const outcome = await runBuild(p, {
        out: recordingOutput(),
        signal: new AbortController().signal,
        recordDir: rec,
        echo: false,
      });
      assertEquals(outcome.result, "fail");
      const log = await Deno.readTextFile(`${rec}/build.log`);
      assertMatch(
        log,
        /drivers\/vfio\/fsl-mc\/vfio_fsl_mc_intr\.c:112:\d+: error: variable 'hwirq' set but not used \[-Werror,-Wunused-but-set-variable\]/,
      );
      const diags = await readJson<Diagnostic[]>(`${rec}/diagnostics.json`);
      assert(
        errorsOf(diags).some((e) =>
          e.startsWith("drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c:112:")
        ),
        JSON.stringify(errorsOf(diags)),
      );
      const meta = await readJson<RecordMetadata>(`${rec}/metadata.json`);
      assertMatch(meta.toolchain?.ccVersionText ?? "", /clang version 15/);
    } finally {
      await Deno.remove(work, { recursive: true });
    }
  },
});
