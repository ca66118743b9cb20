import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { UserError } from "../../src/errors.ts";
import { seriesCommandWith } from "../../src/series/series_command.ts";
import { scopedEnv } from "../_support/env.ts";
import { diagContext, makeRepo } from "./_fake.ts";

const TARGET = "vfio.h:608:37: error: expected identifier before '(' token";

const MATRIX = `[matrix]
arch = ["powerpc", "arm64"]
config = ["defconfig"]
compiler = ["gcc-12.2.0"]
targets = ["drivers/vfio/"]
`;

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
    await using _env = await scopedEnv({ KCROSS_STATE_DIR: `${dir}/records` });
    // the real builder under the matrix cell runner; arm64 never sees the
    // powerpc-only break
    const { context, make } = await diagContext(
      dir,
      (call) => call.argv.includes("ARCH=arm64"),
    );
    const cmd = seriesCommandWith(context, () => `${dir}/state`);
    const out = recordingOutput();
    const code = await cmd.run({
      args: ["base..master", "--matrix", `${dir}/m.toml`, "--jobs", "2"],
      out,
      cwd: repo,
      signal: new AbortController().signal,
    });
    assertEquals(code, 1);
    const builds = make.builds();
    assertEquals(builds.length, 6);
    for (const arch of ["powerpc", "arm64"]) {
      const dirs = new Set(
        builds.filter((b) => b.argv.includes(`ARCH=${arch}`)).map((b) =>
          b.outDir
        ),
      );
      assertEquals(dirs.size, 1, `one build dir per cell for ${arch}`);
    }
    for (const b of builds) {
      assertEquals(b.goals, ["drivers/vfio/"]);
      assert(b.argv.includes("--jobs=2"), b.argv.join(" "));
    }
    const text = out.stdout.join("\n");
    const keys = [...text.matchAll(/^Verdict \[(.+?)\]/gm)].map((m) => m[1]!);
    assertEquals(keys.length, 2);
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
    const { context } = await diagContext(dir);
    const cmd = seriesCommandWith(context, () => `${dir}/state`);
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
