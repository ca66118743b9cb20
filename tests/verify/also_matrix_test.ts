/**
 * verifyOnMatrix(): the check on every cell of a real matrix file, through
 * a stand-in cell runner, on a real git repository in kcross worktrees.
 */
import { verifyOnMatrix } from "../../src/verify/also_matrix.ts";
import type { CellRunner } from "../../src/matrix/runner.ts";
import type { CellOutcome } from "../../src/matrix/types.ts";
import type { Diagnostic } from "../../src/diagnostics/mod.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { assertEquals } from "../_support/assert.ts";
import { sh } from "../git/_repo.ts";
import { scopedEnv } from "../_support/env.ts";

const MATRIX = `name = "also"
[matrix]
arch = ["powerpc", "arm64"]
config = ["allmodconfig"]
compiler = ["gcc-12.2.0"]
targets = ["drivers/vfio/"]
`;

/** powerpc shows the bug while a.c says "bad"; arm64 never does, but gets b.c's warning on the fix. */
function runner(seen: string[]): CellRunner {
  return {
    run: async (cell, ctx): Promise<CellOutcome> => {
      seen.push(`${cell.inputs.arch}@${ctx.commit?.slice(0, 7)}`);
      const a = await Deno.readTextFile(`${ctx.srcTree}/a.c`);
      const d = (file: string, message: string): Diagnostic => ({
        tool: "compiler",
        file,
        line: 1,
        column: 1,
        severity: "error",
        message,
        flag: null,
        count: 1,
        objects: [file.replace(/\.c$/, ".o")],
      });
      const diagnostics = [
        ...(cell.inputs.arch === "powerpc" && a === "bad\n"
          ? [d("a.c", "boom")]
          : []),
        ...(cell.inputs.arch === "arm64" && a === "fixed\n"
          ? [d("b.c", "arm64 trouble")]
          : []),
      ];
      return {
        result: diagnostics.length ? "fail" : "pass",
        diagnostics,
        recordDir: null,
        recordId: null,
        logPath: null,
        reproducer: "",
        toolchain: null,
        configDigest: null,
        exitCode: diagnostics.length ? 2 : 0,
        timings: {},
      };
    },
  };
}

Deno.test("verifyOnMatrix() judges every cell: the affected one fixed, another with a diagnostic of the fix's own", async () => {
  const t = await Deno.makeTempDir({ prefix: "kcross-verify-also-" });
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${t}/state` });
  try {
    const repo = `${t}/linux`;
    await Deno.mkdir(repo);
    await sh(repo, "init", "-q", "-b", "main");
    const commit = async (text: string, msg: string) => {
      await Deno.writeTextFile(`${repo}/a.c`, text);
      await sh(repo, "add", "a.c");
      await sh(repo, "commit", "-q", "-m", msg);
      return (await sh(repo, "rev-parse", "HEAD")).trim();
    };
    const bad = await commit("bad\n", "break");
    const fix = await commit("fixed\n", "fix");
    await Deno.writeTextFile(`${t}/also.toml`, MATRIX);
    const seen: string[] = [];
    const cells = await verifyOnMatrix("also.toml", {
      cwd: t,
      repo,
      reportCommit: bad,
      fixCommit: fix,
      reported: [{
        file: "a.c",
        line: 1,
        column: 1,
        severity: "error",
        message: "boom",
        new: true,
      }],
      recompile: ["a.o"],
      out: recordingOutput(),
      signal: new AbortController().signal,
      ccache: false,
      runner: runner(seen),
    });
    const by = new Map(cells.map((c) => [c.key.split("/")[0], c]));
    assertEquals(by.get("powerpc")!.verdict, "fixed");
    assertEquals(by.get("powerpc")!.affected, true);
    assertEquals(by.get("powerpc")!.gone, 1);
    assertEquals(by.get("arm64")!.verdict, "fixed-with-new-diagnostics");
    assertEquals(by.get("arm64")!.affected, false);
    assertEquals(by.get("arm64")!.introduced.map((d) => d.message), [
      "arm64 trouble",
    ]);
    // every cell at the report's commit, then every cell at the fix
    assertEquals(seen.length, 4);
    assertEquals(
      seen.slice(0, 2).every((s) => s.endsWith(bad.slice(0, 7))),
      true,
    );
  } finally {
    await Deno.remove(t, { recursive: true });
  }
});
