/**
 * End to end on a real git repository of linux-6.1 with Debian's powerpc64
 * cross gcc: a 4-commit series (ok, the seed's vfio.h macro collision, an
 * unrelated change, the fix). `kcross series` must report exactly commit 2
 * as breaking and commit 4 as fixing, building every commit after the first
 * incrementally (checked by what each build compiled, not by wall time);
 * `kcross bisect` with the collision diagnostic (at a different line, as a
 * robot report would quote it) must name commit 2 and its build record.
 *
 * Both run through the real launcher in a subprocess, with their state in a
 * temporary KCROSS_STATE_DIR. About one full and four incremental/ccache
 * builds of drivers/vfio/ (no W=1, so the unrelated hwirq W=1 error does not
 * mask anything).
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
} from "../_support/kernel.ts";
import { findExecutable } from "../../src/proc/find_executable.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const GCC = "/usr/bin/powerpc64-linux-gnu-gcc-12";
const canRun = haveKernelSource() && findExecutable(GCC, "") !== null;

const BUILD = [
  "--arch",
  "powerpc",
  "--config",
  "allmodconfig",
  "--compiler",
  "gcc-12.2.0",
  "--ccache",
  "drivers/vfio/",
];

const COLLISION =
  "include/uapi/linux/vfio.h:608:37: error: expected identifier before '(' token";

async function git(cwd: string, args: string[]): Promise<string> {
  const r = await new Deno.Command("git", {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { LANG: "C" },
  }).output();
  if (!r.success) {
    throw new Error(
      `git ${args.join(" ")}: ${new TextDecoder().decode(r.stderr)}`,
    );
  }
  return new TextDecoder().decode(r.stdout).trim();
}

async function kcross(
  cwd: string,
  state: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(`${ROOT}kcross`, {
    args,
    cwd,
    // gcc-12.2.0 is asked for by version; the host's Debian gcc 12.2.0 is
    // another build of it, used only when allowed
    env: {
      KCROSS_STATE_DIR: state,
      KCROSS_ALLOW_DISTRO: "1",
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

interface SeriesJson {
  bisectable: boolean;
  steps: {
    index: number;
    sha: string;
    result: string;
    recordDir: string;
    compiled?: number;
    newDiagnostics: { file: string; message: string }[];
  }[];
  verdicts: Record<
    string,
    { breaks: { index: number; fixedBy: { index: number } | null }[] }
  >;
}

Deno.test({
  name:
    "kcross series finds commit 2 breaking and commit 4 fixing a real vfio series, incrementally; kcross bisect finds commit 2",
  ignore: !canRun,
  sanitizeResources: false,
  async fn(t) {
    const tmp = await Deno.makeTempDir({ prefix: "kcross-e2e-series-" });
    try {
      const repo = await cloneKernelRepo(`${tmp}/linux`);
      const state = `${tmp}/state`;
      const shas = await makeVfioSeries(repo);
      const userHead = await git(repo, ["rev-parse", "HEAD"]);

      const series = await kcross(repo, state, [
        "series",
        "base..master",
        ...BUILD,
        "--json",
      ]);
      const json = JSON.parse(series.stdout) as SeriesJson;

      await t.step("commit 2 breaks, commit 4 fixes, nothing else", () => {
        assertEquals(series.code, 1, series.stderr);
        assertEquals(json.bisectable, false);
        assertEquals(json.steps.map((s) => s.result), [
          "pass",
          "fail",
          "fail",
          "pass",
        ]);
        assertEquals(json.steps.map((s) => s.sha), shas);
        assertEquals(
          json.verdicts[""]!.breaks.map((b) => [b.index, b.fixedBy?.index]),
          [[2, 4]],
        );
      });

      await t.step("the collision is new (>>) at commit 2 only", () => {
        const fresh = json.steps.map((s) =>
          s.newDiagnostics.map((d) => `${d.file}: ${d.message}`)
        );
        assert(
          fresh[1]!.includes(
            "include/uapi/linux/vfio.h: expected identifier before '(' token",
          ),
          JSON.stringify(fresh[1]),
        );
        assertEquals([fresh[0], fresh[2], fresh[3]], [[], [], []]);
      });

      await t.step(
        "every step after the first rebuilds only what changed",
        async () => {
          const first = await compiled(json.steps[0]!.recordDir);
          // the first build also prepares the tree (scripts, asm-offsets…)
          assert(first.some((o) => !o.startsWith("drivers/vfio/")));
          for (const step of json.steps.slice(1)) {
            const objs = await compiled(step.recordDir);
            assertEquals(step.compiled, objs.length);
            assert(
              objs.length < first.length,
              `step ${step.index} compiled ${objs.length}, the full build ${first.length}`,
            );
            assertEquals(
              objs.filter((o) => !o.startsWith("drivers/vfio/")),
              [],
              `step ${step.index} rebuilt outside drivers/vfio/`,
            );
          }
          // the harmless comment of commit 1 is not recompiled by commit 2,
          // which only touched a header iova_bitmap.c does not include
          const second = await compiled(json.steps[1]!.recordDir);
          assert(!second.includes("drivers/vfio/iova_bitmap.o"));
        },
      );

      await t.step("the user's checkout is untouched", async () => {
        assertEquals(await git(repo, ["rev-parse", "HEAD"]), userHead);
        assertEquals(await git(repo, ["status", "--porcelain"]), "");
      });

      await t.step(
        "kcross bisect with the collision diagnostic finds commit 2",
        async () => {
          const bisect = await kcross(repo, state, [
            "bisect",
            "--good",
            shas[0]!,
            "--bad",
            shas[2]!,
            "--diagnostic",
            COLLISION,
            ...BUILD,
          ]);
          assertEquals(bisect.code, 0, bisect.stderr);
          assertStringIncludes(
            bisect.stdout,
            `First bad commit: ${shas[1]} vfio: define VFIO_DEVICE_STATE_STOP`,
          );
          const id = /^Build record: (\S+)$/m.exec(bisect.stdout)?.[1];
          assertMatch(id ?? "", /^\d{8}T\d{6}Z-/);
          const meta = await Deno.stat(`${state}/builds/${id}/metadata.json`);
          assert(meta.isFile);
          assertEquals(await git(repo, ["rev-parse", "HEAD"]), userHead);
        },
      );
    } finally {
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
      // kcross's worktrees were inside tmp; drop git's bookkeeping of them
    }
  },
});
