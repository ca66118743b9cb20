import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../_support/assert.ts";
import { main } from "../../main.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { runBuild } from "../../src/build/run_build.ts";
import type { RecordMetadata } from "../../src/record/types.ts";
import { fakePlan, makeFakeTree } from "../build/_run_fake_tree.ts";
import { scopedEnv } from "../_support/env.ts";

const BASE_ENV = { PATH: "/usr/bin:/bin" };

async function kcross(args: string[]) {
  const out = recordingOutput();
  const code = await main(args, { out });
  return { code, stdout: out.stdout.join("\n"), stderr: out.stderr.join("\n") };
}

Deno.test("kcross logs ls/show/diff/rerun over real records", async (t) => {
  await using tree = await makeFakeTree();
  await using _env = await scopedEnv({
    KCROSS_STATE_DIR: `${tree.root}/state`,
  });
  const ok = await runBuild(fakePlan(tree, ["drivers/foo/"]), {
    out: recordingOutput(),
    signal: new AbortController().signal,
    baseEnv: BASE_ENV,
  });
  const failing = fakePlan(tree, ["drivers/foo/"]);
  failing.env = { FAKE_FAIL: "1" };
  // A value with spaces: `logs show` prints a make line that pastes back.
  failing.argv.splice(-1, 0, "KCFLAGS=-DA -DB");
  const bad = await runBuild(failing, {
    out: recordingOutput(),
    signal: new AbortController().signal,
    baseEnv: BASE_ENV,
  });
  assert(ok.id < bad.id || ok.id.slice(0, 16) === bad.id.slice(0, 16));

  await t.step("ls lists both, oldest first", async () => {
    const r = await kcross(["logs", "ls"]);
    assertEquals(r.code, 0);
    const lines = r.stdout.split("\n");
    assertMatch(
      lines[0]!,
      /^ID +RESULT +ARCH +COMPILER +TARGETS +E\/W +BUILD$/,
    );
    assertEquals(lines.length, 3);
    const json = JSON.parse((await kcross(["logs", "ls", "--json"])).stdout);
    assertEquals(
      json.map((e: { id: string; result: string }) => e.result).sort(),
      ["fail", "pass"],
    );
  });

  await t.step(
    "show prints a summary, the metadata or the diagnostics",
    async () => {
      const r = await kcross(["logs", "show", bad.id]);
      assertEquals(r.code, 0);
      assertStringIncludes(r.stdout, `record:     ${bad.id}`);
      assertStringIncludes(r.stdout, "result:     fail (make exited with 2)");
      assertStringIncludes(r.stdout, "kcross build --arch fake");
      assertStringIncludes(r.stdout, "W=1 'KCFLAGS=-DA -DB' drivers/foo/\n");
      const meta = JSON.parse(
        (await kcross(["logs", "show", "--json", "latest"])).stdout,
      ) as RecordMetadata;
      assertEquals(meta.id, bad.id);
      const diags = JSON.parse(
        (await kcross(["logs", "show", bad.id, "--diagnostics", "--json"]))
          .stdout,
      );
      assert(Array.isArray(diags));
    },
  );

  await t.step(
    "diff marks new diagnostics with >> and exits 1 on new errors",
    async () => {
      const r = await kcross(["logs", "diff", ok.id, bad.id]);
      assertMatch(r.stdout, /^>> drivers\/foo\/main\.c:12:3: error: boom/m);
      assertEquals(r.code, 1);
      const back = await kcross(["logs", "diff", bad.id, ok.id]);
      assertEquals(back.code, 0);
      assertStringIncludes(back.stdout, "Fixed");
      assertStringIncludes(
        back.stdout,
        "drivers/foo/main.c:12:3: error: boom",
      );
    },
  );

  await t.step("rerun replays the recorded kcross invocations", async () => {
    const dir = `${tree.root}/state/builds/${ok.id}`;
    const meta = JSON.parse(
      await Deno.readTextFile(`${dir}/metadata.json`),
    ) as RecordMetadata;
    assertEquals(meta.reproduce.steps[0]?.command, "build");
    // A forged record may not name any other command.
    meta.reproduce.steps = [{ command: "logs", args: ["show", bad.id] }];
    await Deno.writeTextFile(`${dir}/metadata.json`, JSON.stringify(meta));
    const refused = await kcross(["logs", "rerun", ok.id]);
    assertEquals(refused.code, 2);
    assertStringIncludes(refused.stderr, "logs rerun only replays build");
    // Nor options kcross build does not write into records.
    meta.reproduce.steps = [{
      command: "build",
      args: ["--arch", "powerpc", "--dry-run", "--tree", `${tree.root}/none`],
    }];
    await Deno.writeTextFile(`${dir}/metadata.json`, JSON.stringify(meta));
    const forged = await kcross(["logs", "rerun", ok.id]);
    assertEquals(forged.code, 2);
    assertStringIncludes(forged.stderr, 'build step passes "--dry-run"');
    // The replay mechanics, with a tree (rerun's own --tree) that stops the build.
    meta.reproduce.steps = [{ command: "build", args: ["--arch", "powerpc"] }];
    await Deno.writeTextFile(`${dir}/metadata.json`, JSON.stringify(meta));
    const r = await kcross([
      "logs",
      "rerun",
      ok.id,
      "--tree",
      `${tree.root}/none`,
    ]);
    assertStringIncludes(r.stderr, "kcross: kcross build --arch powerpc");
    assertEquals(r.code, 2);
  });

  await t.step("user errors exit 2", async () => {
    assertEquals((await kcross(["logs"])).code, 2);
    assertEquals((await kcross(["logs", "frob"])).code, 2);
    assertEquals((await kcross(["logs", "show", "19990101"])).code, 2);
    assertEquals((await kcross(["logs", "diff", ok.id])).code, 2);
  });
});
