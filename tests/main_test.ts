import { assert, assertEquals, assertMatch } from "./_support/assert.ts";
import { helpText, main } from "../main.ts";
import { recordingOutput } from "../src/util/output.ts";

Deno.test("kcross --help lists every command and the exit codes", async () => {
  const out = recordingOutput();
  assertEquals(await main(["--help"], { out }), 0);
  const text = out.stdout.join("\n");
  assertEquals(text, helpText());
  for (
    const name of [
      "demo",
      "repro",
      "report",
      "make.cross",
      "build",
      "logs",
      "toolchain",
      "matrix",
      "series",
    ]
  ) {
    assertMatch(text, new RegExp(`^  ${name.replace(".", "\\.")} `, "m"));
  }
  assertMatch(text, /130 interrupted/);
});

Deno.test("an unknown command is a user error (exit 2) with a hint", async () => {
  const out = recordingOutput();
  assertEquals(await main(["frobnicate"], { out }), 2);
  assertEquals(out.stderr[0], 'error: Unknown command "frobnicate"');
  assert(out.stderr[1]?.startsWith("hint: "));
});

Deno.test("no command prints help and exits 2", async () => {
  const out = recordingOutput();
  assertEquals(await main([], { out }), 2);
  assertMatch(out.stdout.join("\n"), /^Usage: kcross/m);
});

Deno.test("the launcher works from another directory and through a symlink", async () => {
  const root = new URL("..", import.meta.url).pathname;
  const dir = await Deno.makeTempDir();
  try {
    await Deno.symlink(`${root}kcross`, `${dir}/kcross`);
    const res = await new Deno.Command(`${dir}/kcross`, {
      args: ["--version"],
      cwd: "/",
    }).output();
    assertEquals(res.code, 0);
    assertMatch(new TextDecoder().decode(res.stdout), /^kcross \d+\.\d+\.\d+/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
