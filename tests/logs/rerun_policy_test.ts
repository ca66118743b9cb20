import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { rerun } from "../../src/logs/logs_rerun.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { UserError } from "../../src/errors.ts";
import type { RecordMetadata } from "../../src/record/types.ts";

function forged(command: string, args: string[]): RecordMetadata {
  return {
    id: "forged",
    reproduce: {
      steps: [{ command, args }],
      makeCross: [],
      cwd: "/",
      outDir: null,
    },
  } as unknown as RecordMetadata;
}

Deno.test("logs rerun replays only build steps: a forged record cannot run doctor --install or cache gc", async () => {
  for (
    const [command, args] of [["doctor", ["--install"]], ["cache", [
      "gc",
    ]]] as const
  ) {
    const ran: string[] = [];
    let error: unknown;
    try {
      await rerun(forged(command, [...args]), { recordDir: "/r" }, {
        args: [],
        out: recordingOutput(),
        cwd: "/",
        signal: new AbortController().signal,
        dispatch: (name) => {
          ran.push(name);
          return Promise.resolve(0);
        },
      });
    } catch (e) {
      error = e;
    }
    assert(error instanceof UserError, String(error));
    assertMatch(error.message, /logs rerun only replays build steps/);
    assertEquals(ran, []);
  }
});

Deno.test("logs rerun --trust-make-line is passed on to the build steps only", async () => {
  const seen: string[][] = [];
  const code = await rerun(forged("build", ["--arch", "x", "W=1"]), {
    recordDir: "/r",
    trustMakeLine: true,
  }, {
    args: [],
    out: recordingOutput(),
    cwd: "/",
    signal: new AbortController().signal,
    dispatch: (_name, ctx) => {
      seen.push(ctx.args);
      return Promise.resolve(0);
    },
  });
  assertEquals(code, 0);
  assertEquals(seen, [["--trust-make-line", "--arch", "x", "W=1"]]);
});
