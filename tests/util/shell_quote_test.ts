import { assertEquals } from "../_support/assert.ts";
import { shellLine, shellQuote } from "../../src/util/shell_quote.ts";

/** Runs `sh -c 'printf "%s\0" <line>'` and returns the words the shell saw. */
async function wordsAfterPaste(line: string): Promise<string[]> {
  const r = await new Deno.Command("bash", {
    args: ["-c", `printf '%s\\0' ${line}`],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(r.stdout);
  return text.split("\0").slice(0, -1);
}

Deno.test("shellQuote() writes control characters as $'…'", () => {
  assertEquals(shellQuote("a\u001b[2Jb"), "$'a\\x1b[2Jb'");
});

Deno.test("shellLine() output pastes back into bash as the same argv", async () => {
  const argv = [
    "make",
    "CF=$(shell touch /tmp/x)",
    "it's",
    "`id`",
    "a b\tc",
    "line1\nline2",
    "back\\slash",
    "",
    "~/x",
    "*",
    "semi;colon",
    "esc\u001b[31m",
  ];
  const line = shellLine(argv);
  assertEquals(line.includes("\n"), false);
  assertEquals(await wordsAfterPaste(line), argv);
});
