import { assertEquals } from "../_support/assert.ts";
import { git, GIT_PROTOCOL_ARGS } from "../../src/git/run_git.ts";
import {
  type ProcessRunner,
  realProcessRunner,
} from "../../src/proc/process_runner.ts";

Deno.test("git() starts git through the ProcessRunner it is given, with the protocol options first", async () => {
  const seen: string[][] = [];
  const proc: ProcessRunner = {
    run: realProcessRunner.run,
    capture(argv, options) {
      seen.push(argv);
      return realProcessRunner.capture(argv, options);
    },
  };
  const r = await git(["--version"], { proc });
  assertEquals(r.success, true);
  assertEquals(seen, [["git", ...GIT_PROTOCOL_ARGS, "--version"]]);
});
