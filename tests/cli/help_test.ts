/**
 * `--help` of every command in `src/cli/commands.ts`, compared with a
 * committed snapshot (`tests/cli/help.snapshot.txt`). After a deliberate
 * change to a help text, rewrite the snapshot with:
 *
 *     tools/node_modules/.bin/deno test -A tests/cli/help_test.ts -- --update
 *
 * and review the diff like code.
 */
import { main } from "../../main.ts";
import { commands } from "../../src/cli/commands.ts";
import { cacheDir } from "../../src/paths.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { assert, assertEquals } from "../_support/assert.ts";

const SNAPSHOT = new URL("./help.snapshot.txt", import.meta.url);

/** Machine-specific parts of a help text, spelled the same everywhere. */
function normalise(text: string): string {
  return text.replaceAll(cacheDir(), "<cache dir>");
}

async function helpOf(args: string[]): Promise<string> {
  const out = recordingOutput();
  const code = await main(args, { out, cwd: Deno.cwd() });
  assertEquals(code, 0, `kcross ${args.join(" ")}: ${out.stderr.join("\n")}`);
  assertEquals(out.stderr, [], `kcross ${args.join(" ")} wrote on stderr`);
  return normalise(out.stdout.join("\n"));
}

async function allHelp(): Promise<string> {
  const parts = [`=== kcross --help\n${await helpOf(["--help"])}`];
  for (const entry of commands) {
    const command = await entry.load();
    const usage = normalise(command.usage);
    if (entry.name !== "make.cross") {
      // what the user sees is exactly the command's usage
      assertEquals(await helpOf([entry.name, "--help"]), usage);
    }
    parts.push(`=== kcross ${entry.name} --help\n${usage}`);
  }
  return `${parts.join("\n\n")}\n`;
}

Deno.test("--help of every command matches tests/cli/help.snapshot.txt", async () => {
  const now = await allHelp();
  if (Deno.args.includes("--update")) {
    await Deno.writeTextFile(SNAPSHOT, now);
    return;
  }
  let want: string;
  try {
    want = await Deno.readTextFile(SNAPSHOT);
  } catch {
    throw new Error(
      "no help snapshot: run `deno test -A tests/cli/help_test.ts -- --update`",
    );
  }
  if (now !== want) {
    const a = want.split("\n");
    const b = now.split("\n");
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    throw new Error(
      `help text differs from the snapshot at line ${i + 1}:\n` +
        `  snapshot: ${a[i] ?? "(end)"}\n  now:      ${b[i] ?? "(end)"}\n` +
        "if the change is meant, run `deno test -A tests/cli/help_test.ts -- --update` and review the diff",
    );
  }
});

Deno.test("help texts: every command's starts with its usage line", async () => {
  for (const entry of commands) {
    const usage = (await entry.load()).usage;
    assert(/^Usage: /.test(usage), `${entry.name}: usage starts with Usage:`);
    assert(
      usage.split("\n")[0]!.includes(`kcross ${entry.name}`),
      `${entry.name}: the usage line names the command`,
    );
  }
});
