import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { UserError } from "../../src/errors.ts";
import type { CellRunner } from "../../src/matrix/runner.ts";
import { defaultEngine } from "../../src/series/engine.ts";
import { parseDiagnosticLine } from "../../src/series/parse_diagnostic.ts";
import { seriesCommandWith } from "../../src/series/series_command.ts";
import { makeRepo } from "./_fake.ts";

const TARGET = "vfio.h:608:37: error: expected identifier before '(' token";

const MATRIX = `[matrix]
arch = ["powerpc", "arm64"]
config = ["defconfig"]
compiler = ["gcc-12.2.0"]
targets = ["drivers/vfio/"]
`;

/** A cell runner that reads the diagnostics from the tree (see _fake.ts). */
function fakeCellRunner(seen: { key: string; buildDir: string }[]): CellRunner {
  return {
    async run(cell, ctx) {
      seen.push({ key: cell.key, buildDir: ctx.buildDir });
      const text = await Deno.readTextFile(`${ctx.srcTree}/diag.txt`);
      // arm64 never sees the powerpc-only break
      const diagnostics = cell.inputs.arch === "arm64"
        ? []
        : text.split("\n").filter((l) => l.trim()).map(parseDiagnosticLine);
      return {
        result: diagnostics.length > 0 ? "fail" : "pass",
        diagnostics,
        recordDir: null,
        recordId: `cell-${seen.length}`,
        logPath: null,
        reproducer: "",
        toolchain: null,
        configDigest: null,
        exitCode: 0,
        timings: {},
      };
    },
  };
}

Deno.test("kcross series --matrix builds each commit on every cell and gives a verdict per cell", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcross-series-matrix-" });
  try {
    const repo = `${dir}/repo`;
    await Deno.mkdir(repo);
    await makeRepo(repo, [
      { subject: "one", files: { "a.c": "1" } },
      { subject: "break", files: { "diag.txt": TARGET } },
      { subject: "fix", files: { "diag.txt": "" } },
    ]);
    await Deno.writeTextFile(`${dir}/m.toml`, MATRIX);
    const seen: { key: string; buildDir: string }[] = [];
    const engine = defaultEngine({
      cellRunner: () => Promise.resolve(fakeCellRunner(seen)),
    });
    const cmd = seriesCommandWith(engine, () => `${dir}/state`);
    const out = recordingOutput();
    const code = await cmd.run({
      args: ["base..master", "--matrix", `${dir}/m.toml`, "--jobs", "2"],
      out,
      cwd: repo,
      signal: new AbortController().signal,
    });
    assertEquals(code, 1);
    assertEquals(seen.length, 6);
    const keys = [...new Set(seen.map((s) => s.key))];
    assertEquals(keys.length, 2);
    for (const key of keys) {
      const dirs = new Set(
        seen.filter((s) => s.key === key).map((s) => s.buildDir),
      );
      assertEquals(dirs.size, 1, `one build dir per cell for ${key}`);
    }
    const text = out.stdout.join("\n");
    const ppc = keys.find((k) => k.startsWith("powerpc"))!;
    const arm = keys.find((k) => k.startsWith("arm64"))!;
    assertStringIncludes(
      text,
      `Verdict [${ppc}]: not bisectable: commit 2 breaks the build, fixed by commit 3`,
    );
    assertStringIncludes(
      text,
      `Verdict [${arm}]: bisectable: all 3 commits build`,
    );
    assert(
      text.includes(
        `  ${ppc.padEnd(Math.max(...keys.map((k) => k.length)))}  FAIL`,
      ),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kcross series --matrix refuses build options the cells define", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcross-series-matrix-" });
  try {
    const repo = `${dir}/repo`;
    await Deno.mkdir(repo);
    await makeRepo(repo, [{ subject: "one", files: { "a.c": "1" } }]);
    await Deno.writeTextFile(`${dir}/m.toml`, MATRIX);
    const engine = defaultEngine({
      cellRunner: () => Promise.resolve(fakeCellRunner([])),
    });
    const cmd = seriesCommandWith(engine, () => `${dir}/state`);
    const ctx = (args: string[]) => ({
      args,
      out: recordingOutput(),
      cwd: repo,
      signal: new AbortController().signal,
    });
    await assertRejects(
      () =>
        cmd.run(
          ctx(["base..master", "--matrix", `${dir}/m.toml`, "drivers/vfio/"]),
        ),
      UserError,
      "the cells give the targets",
    );
    await assertRejects(
      () =>
        cmd.run(
          ctx(["base..master", "--matrix", `${dir}/m.toml`, "--arch", "x"]),
        ),
      UserError,
      "Bad arguments",
    );
    await assertRejects(
      () => cmd.run(ctx(["base..master", "--matrix", `${dir}/none.toml`])),
      UserError,
      "Cannot read matrix file",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
