import { assert, assertEquals } from "../_support/assert.ts";
import { tempDir } from "../_support/temp.ts";

const TOOL = new URL("../../tools/makecross-diff", import.meta.url).pathname;

/** A stand-in harness: notes the state dir it was given, writes a record there. */
const HARNESS = `#!/usr/bin/env bash
printf '%s\\n' "$XDG_STATE_HOME" >"$MCD_TEST_OUT/state"
mkdir -p "$XDG_STATE_HOME/kcross/builds/x" && : >"$XDG_STATE_HOME/kcross/builds/x/metadata.json"
echo "MATCH seed"
exit "\${MCD_TEST_RC:-0}"
`;

async function entries(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names;
}

for (const rc of [0, 1]) {
  Deno.test(`tools/makecross-diff keeps kcross's records in a state dir of its own and removes it (harness exit ${rc})`, async () => {
    await using dir = await tempDir("kcross-mcd-test-");
    for (const d of ["home", "tmp", "harness", "out"]) {
      await Deno.mkdir(`${dir}/${d}`);
    }
    await Deno.writeTextFile(`${dir}/harness/run.sh`, HARNESS, {
      mode: 0o755,
    });
    const r = await new Deno.Command(TOOL, {
      stdout: "piped",
      stderr: "piped",
      env: {
        HOME: `${dir}/home`,
        TMPDIR: `${dir}/tmp`,
        XDG_STATE_HOME: `${dir}/user-state`,
        MCD_HARNESS: `${dir}/harness`,
        MCD_TEST_OUT: `${dir}/out`,
        MCD_TEST_RC: String(rc),
        LKP_GIT_DIR: `${dir}/no-lkp`,
      },
    }).output();
    const out = new TextDecoder().decode(r.stdout);
    assertEquals(r.code, rc === 0 ? 0 : 2, out);
    if (rc === 0) {
      assert(out.includes("non-edge 1/1 (100.0%)"), out);
    }
    const state = (await Deno.readTextFile(`${dir}/out/state`)).trim();
    assert(state.startsWith(`${dir}/tmp/kcross-makecross-diff.`), state);
    // Removed at exit, and nothing reached the user's state or HOME.
    assertEquals(await entries(`${dir}/tmp`), []);
    assertEquals(await entries(`${dir}/home`), []);
    assertEquals(await entries(`${dir}`).then((n) => n.sort()), [
      "harness",
      "home",
      "out",
      "tmp",
    ]);
  });
}
