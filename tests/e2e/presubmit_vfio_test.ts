/**
 * End to end on a real git repository of linux-6.1 with Debian's compilers:
 * `kcross presubmit base..HEAD~1` over the vfio test series (1 a harmless
 * comment, 2 the seed's vfio.h macro collision, 3 an unrelated change) on a
 * small profile: powerpc allmodconfig drivers/vfio/ W=1 with gcc-12.2.0
 * (Debian's build, allowed by KCROSS_ALLOW_DISTRO=1) and clang-15, plus a
 * gcc-15 cell this host cannot get.
 *
 * Must say: both real cells would be reported at commit 2 with the
 * collision as new (">>"), the W=1 warnings the base already has not new;
 * the gcc-15 cell not run, with the reason; later commits of a cell rebuild
 * only what changed (checked by what each build compiled, not by wall
 * time); the summaries; exit 1. Runs through the real launcher.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../_support/assert.ts";
import {
  cloneKernelRepo,
  compiled,
  haveKernelSource,
  makeVfioSeries,
  TEST_CACHE,
} from "../_support/kernel.ts";
import { findExecutable } from "../../src/proc/find_executable.ts";
import type { PresubmitResult } from "../../src/presubmit/types.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const canRun = haveKernelSource() &&
  findExecutable("/usr/bin/powerpc64-linux-gnu-gcc-12", "") !== null &&
  findExecutable("/usr/bin/clang-15", "") !== null;

const PROFILE = `# the e2e profile: Debian's compilers, one target
name = "vfio-presubmit"
werror = "off"

[make]
W = "1"

[matrix]
arch = ["powerpc"]
config = ["allmodconfig"]
compiler = ["gcc-12.2.0", "clang-15"]
targets = ["drivers/vfio/"]

# kernel.org's gcc-15: not to be had here
[[include]]
arch = "powerpc"
config = "allmodconfig"
compiler = "gcc-15"
targets = "drivers/vfio/"
`;

const COLLISION =
  /^>> include\/uapi\/linux\/vfio\.h:\d+:\d+: error: expected identifier/m;

async function kcross(
  cwd: string,
  tmp: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(`${ROOT}kcross`, {
    args,
    cwd,
    env: {
      KCROSS_STATE_DIR: `${tmp}/state`,
      // a ccache kept between runs (results do not depend on it)
      KCROSS_CACHE_DIR: `${TEST_CACHE}/presubmit-e2e-cache`,
      // gcc-12.2.0 and clang-15 are asked for by version; Debian's builds of
      // them stand in only when allowed
      KCROSS_ALLOW_DISTRO: "1",
      // no kernel.org here: fail the gcc-15 fetch fast
      KCROSS_FETCH_TIMEOUT: "10",
      NO_COLOR: "1",
      LANG: "C",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: r.code,
    stdout: new TextDecoder().decode(r.stdout),
    stderr: new TextDecoder().decode(r.stderr),
  };
}

Deno.test({
  name:
    "kcross presubmit reports the vfio collision at commit 2 on gcc-12 and clang-15, incrementally, and says gcc-15 was not run",
  ignore: !canRun,
  sanitizeResources: false,
  async fn(t) {
    const tmp = await Deno.makeTempDir({ prefix: "kcross-e2e-presubmit-" });
    try {
      const repo = await cloneKernelRepo(`${tmp}/linux`);
      const shas = await makeVfioSeries(repo);
      await Deno.writeTextFile(`${tmp}/profile.toml`, PROFILE);
      const text = await kcross(repo, tmp, [
        "presubmit",
        "base..HEAD~1",
        "--profile",
        `${tmp}/profile.toml`,
      ]);
      const answer = text.stdout.trimEnd().split("\n").at(-1) ?? "";

      await t.step("the answer and the exit code", () => {
        assertEquals(text.code, 1, text.stderr);
        assertMatch(
          answer,
          /^presubmit: 2 of 3 cells would be reported \(\d+ new diagnostics?\); 1 of 3 not checked \(1 not run\) — see \/\S+\/summary\.html$/,
        );
      });

      await t.step("robot-style reports at commit 2, the collision new", () => {
        assertStringIncludes(
          text.stdout,
          "powerpc/allmodconfig/gcc-12.2.0: would be reported",
        );
        assertStringIncludes(
          text.stdout,
          `commit: ${
            shas[1]!.slice(0, 12)
          } ("vfio: define VFIO_DEVICE_STATE_STOP") [2/3]`,
        );
        assertStringIncludes(
          text.stdout,
          "kernel test robot noticed the following build errors:",
        );
        assertMatch(text.stdout, COLLISION);
        assertStringIncludes(text.stdout, "config: powerpc-allmodconfig");
      });

      await t.step("gcc-15 is not run, with the reason, never swapped", () => {
        assertMatch(
          text.stdout,
          /^powerpc\/allmodconfig\/gcc-15: not run: .*gcc 15/m,
        );
      });

      const dir = /see (\S+)\/summary\.html$/.exec(answer)?.[1] ?? "";
      const result = JSON.parse(
        await Deno.readTextFile(`${dir}/result.json`),
      ) as PresubmitResult;

      await t.step(
        "per cell: base and 3 commits built; new only at commit 2",
        () => {
          const [gcc, clang, gcc15] = result.cells;
          for (const v of [gcc!, clang!]) {
            assertEquals(v.status, "reported", v.key);
            assertEquals(v.steps.map((s) => s?.result), [
              "pass",
              "pass",
              "fail",
              "fail",
            ]);
            assertEquals(v.reports.map((r) => r.commit.index), [2], v.key);
            assertEquals(v.newCounts[1], 0, `${v.key}: commit 1 adds nothing`);
            assertEquals(v.newCounts[3], v.newCounts[2], v.key);
            // the base's W=1 warning (fsl-mc's hwirq) is there, never new
            assert(
              v.steps[0]!.diagnostics.some((d) => d.message.includes("hwirq")),
              `${v.key}: the base has the hwirq warning`,
            );
            const fresh = v.reports[0]!.newDiagnostics;
            assert(!fresh.some((d) => d.message.includes("hwirq")), v.key);
            assert(
              fresh.some((d) =>
                d.file === "include/uapi/linux/vfio.h" &&
                d.message.startsWith("expected identifier")
              ),
              v.key,
            );
            for (const d of fresh) {
              assert(
                d.file === null || d.file.startsWith("include/") ||
                  d.file.startsWith("drivers/vfio/"),
                `${v.key}: ${d.file}: ${d.message}`,
              );
            }
          }
          assertEquals(gcc15!.status, "not-run");
          assertEquals(gcc15!.steps.slice(1), [null, null, null]);
          assertEquals(
            result.commits.slice(1).map((c) => c.sha),
            shas.slice(0, 3),
          );
        },
      );

      await t.step(
        "every step after the base rebuilds only what changed",
        async () => {
          for (const v of result.cells.slice(0, 2)) {
            const first = await compiled(v.steps[0]!.recordDir!);
            assert(first.some((o) => !o.startsWith("drivers/vfio/")), v.key);
            for (const s of v.steps.slice(1)) {
              const objs = await compiled(s!.recordDir!);
              assert(
                objs.length < first.length,
                `${v.key}: ${objs.length} of ${first.length}`,
              );
              assertEquals(
                objs.filter((o) => !o.startsWith("drivers/vfio/")),
                [],
              );
            }
          }
        },
      );

      await t.step(
        "summary.md and summary.html next to each other",
        async () => {
          const md = await Deno.readTextFile(`${dir}/summary.md`);
          assertStringIncludes(md, "2 of 3 cells would be reported");
          const html = await Deno.readTextFile(`${dir}/summary.html`);
          assertStringIncludes(html, "kcross presubmit: base..HEAD~1");
          assertMatch(html, /&gt;&gt; include\/uapi\/linux\/vfio\.h:\d+/);
        },
      );

      await t.step("progress on stderr counts the whole run", () => {
        assertStringIncludes(
          text.stderr,
          "base + 3 commit(s) x 3 cell(s) = 12 builds",
        );
        assertMatch(text.stderr, /\[9\/9\] powerpc\/allmodconfig\/\S+ @3\/3 /);
      });
    } finally {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    }
  },
});
