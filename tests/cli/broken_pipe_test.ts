/**
 * A reader that goes away (`kcross … | head -1`) ends nothing badly: the
 * command finishes with its own exit code and no "Unexpected failure".
 */
import { assert, assertEquals } from "../_support/assert.ts";
import { tempDir } from "../_support/temp.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const REPORT =
  new URL("../fixtures/robot-reports/016.txt", import.meta.url).pathname;

for (
  const args of [
    ["report", "parse", REPORT],
    ["toolchain", "list"],
    ["--help"],
  ]
) {
  Deno.test(`kcross ${args.join(" ").replace(REPORT, "016.txt")} into a closed pipe exits as it would have, quietly`, async () => {
    await using state = await tempDir("kcross-pipe-");
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--quiet", MAIN, ...args],
      env: {
        KCROSS_STATE_DIR: `${state}`,
        KCROSS_CACHE_DIR: `${state}/cache`,
        NO_COLOR: "1",
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    // The read end is closed before the child has printed anything: its
    // first write gets EPIPE, as behind `| head -0`.
    await child.stdout.cancel();
    const [status, stderr] = await Promise.all([
      child.status,
      new Response(child.stderr).text(),
    ]);
    assertEquals(status.code, 0, stderr);
    assert(!/Unexpected failure|BrokenPipe/.test(stderr), stderr);
  });
}
