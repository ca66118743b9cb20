import { fileURLToPath } from "node:url";
import { recordingOutput } from "../../src/util/output.ts";
import type { RecordingOutput } from "../../src/util/output.ts";
import { exitCodeOf, KcrossError } from "../../src/errors.ts";
// the command as registered: the parse plus the planner's "kcross repro would:"
import { reportCommands } from "../../src/repro/report_command.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { FIXTURE_DIR, loadFixtures } from "./_fixtures.ts";

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

/** Runs `kcross report …` in-process the way main.ts does (errors → exit codes). */
async function main(
  args: string[],
  options: { out: RecordingOutput; cwd?: string },
): Promise<number> {
  const [name, ...rest] = args;
  const command = reportCommands.find((c) => c.name === name)!;
  try {
    return await command.run({
      args: rest,
      out: options.out,
      cwd: options.cwd ?? Deno.cwd(),
      signal: new AbortController().signal,
    });
  } catch (error) {
    if (error instanceof KcrossError) {
      options.out.err(`error: ${error.message}`);
      if (error.hint) options.out.err(`hint: ${error.hint}`);
    } else options.out.err(`error: Unexpected failure: ${error}`);
    return exitCodeOf(error);
  }
}

Deno.test("kcross report parse --json prints exactly the parse object", async () => {
  const out = recordingOutput();
  const code = await main(
    ["report", "parse", `${FIXTURE_DIR}000.txt`, "--json"],
    { out },
  );
  assertEquals(code, 0);
  const got = JSON.parse(out.stdout.join("\n"));
  const want = loadFixtures().find((f) => f.id === "000")!.expected;
  for (const [k, v] of Object.entries(want)) {
    if (k === "file" || k === "meta") continue;
    assertEquals(got[k], v, k);
  }
  assert(Array.isArray(got.warnings) && got.warnings.length > 0);
});

Deno.test("kcross report parse without --json prints a readable summary with the >> lines and warnings", async () => {
  const out = recordingOutput();
  const code = await main(["report", "parse", "000.txt"], {
    out,
    cwd: FIXTURE_DIR,
  });
  assertEquals(code, 0);
  const text = out.stdout.join("\n");
  assertStringIncludes(text, "0-day robot branch report (old format)");
  assertStringIncludes(text, "compiler:   powerpc-linux-gcc (GCC) 11.2.0");
  // what repro would do: the planner's words
  assertStringIncludes(text, "kcross repro would:");
  assertStringIncludes(text, "compiler:  gcc-11.2.0 for powerpc-linux");
  assertStringIncludes(
    text,
    "config:    powerpc-allmodconfig (make allmodconfig, CONFIG_WERROR off)",
  );
  assertStringIncludes(
    text,
    ">> include/uapi/linux/vfio.h:608:37: error: expected identifier before '(' token",
  );
  assertStringIncludes(text, "14 diagnostic(s), 4 new");
  assertStringIncludes(text, "warning: The config URL is truncated");
});

Deno.test("kcross report parse --reproduce reads the robot's reproduce script", async () => {
  const out = recordingOutput();
  const code = await main(
    [
      "report",
      "parse",
      "037.txt",
      "--reproduce",
      "037.reproduce.txt",
      "--json",
    ],
    { out, cwd: FIXTURE_DIR },
  );
  assertEquals(code, 0);
  const got = JSON.parse(out.stdout.join("\n"));
  assertEquals(got.reproduce_file.targets, [
    "arch/arc/kernel/",
    "drivers/gpu/drm/tests/",
    "drivers/soc/fsl/",
    "mm/",
  ]);
  assertEquals(got.reproduce_file.origin, "037.reproduce.txt");
});

Deno.test("kcross report parse exits 2 with a clear message for bad input", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "kcross-report-" });
  try {
    await Deno.writeTextFile(`${dir}/letter.txt`, "Dear all,\n\nhello.\n");
    await Deno.writeFile(`${dir}/blob.bin`, new Uint8Array(4096).fill(0));
    const big = await Deno.open(`${dir}/big.txt`, {
      create: true,
      write: true,
    });
    await big.truncate(50 * 1024 * 1024);
    big.close();
    const cases: [string, string[], RegExp][] = [
      ["not a report", ["letter.txt"], /Not a 0-day robot report: no "tree:"/],
      ["binary", ["blob.bin"], /looks like binary data/],
      ["50 MB", ["big.txt"], /too large for a robot report: 50\.0 MB/],
      [
        "missing file",
        ["nope.txt"],
        /Cannot read report "nope.txt": no such file/,
      ],
      ["no file", [], /Missing report file/],
      [
        "bad subcommand",
        ["frobnicate"],
        /Unknown subcommand "report frobnicate"/,
      ],
    ];
    for (const [name, args, re] of cases) {
      await t.step(name, async () => {
        const out = recordingOutput();
        const first = args[0] === "frobnicate" ? [] : ["parse"];
        const code = await main(["report", ...first, ...args], {
          out,
          cwd: dir,
        });
        assertEquals(code, 2, out.stderr.join("\n"));
        assert(re.test(out.stderr[0] ?? ""), out.stderr.join("\n"));
        assert(!out.stderr.join("\n").includes("    at "), "no stack trace");
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kcross report parse - reads the report from standard input", async () => {
  const text = await Deno.readFile(`${FIXTURE_DIR}026.txt`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, "report", "parse", "-", "--json"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(text);
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  assertEquals(code, 0, new TextDecoder().decode(stderr));
  const got = JSON.parse(new TextDecoder().decode(stdout));
  assertEquals(got.targets, ["drivers/char/"]);
});

Deno.test("kcross report parse prints a forged report's escape sequences and bidi controls escaped, never raw", async () => {
  const text = (await Deno.readTextFile(`${FIXTURE_DIR}/000.txt`))
    .replace(
      "compiler: powerpc-linux-gcc (GCC) 11.2.0",
      "compiler: powerpc-linux-gcc (GCC) 11.2.0\x1b[2J\x1b]52;c;cHduZWQ=\x07\u009b31m",
    )
    .replace(
      "config: powerpc-allmodconfig",
      "config: powerpc-allmodconfig\u202e\r",
    );
  const dir = await Deno.makeTempDir({ prefix: "kcross-esc-" });
  try {
    await Deno.writeTextFile(`${dir}/r.txt`, text);
    const r = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", MAIN, "report", "parse", `${dir}/r.txt`],
      env: {
        KCROSS_STATE_DIR: `${dir}/state`,
        KCROSS_CACHE_DIR: `${dir}/cache`,
      },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const out = new TextDecoder().decode(r.stdout) +
      new TextDecoder().decode(r.stderr);
    assertEquals(r.code, 0, out);
    // deno-lint-ignore no-control-regex
    assert(!/[\x1b\x07\r\u009b\u202e]/.test(out), JSON.stringify(out));
    assertStringIncludes(out, "11.2.0\\x1b[2J\\x1b]52;c;cHduZWQ=\\x07\\x9b31m");
    assertStringIncludes(out, "powerpc-allmodconfig\\u{202e}");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// A real mail whose .config is a MIME attachment (tests/fixtures/robot-mail/README.md).
Deno.test("kcross report parse shows the config attached to the mail as what repro would build with", async () => {
  const out = recordingOutput();
  const mail = fileURLToPath(
    new URL("../fixtures/robot-mail/034.eml", import.meta.url),
  );
  const code = await main(["report", "parse", mail], { out });
  assertEquals(code, 0);
  assertStringIncludes(
    out.stdout.join("\n"),
    "config:    <attached .config> (attached to the report",
  );
});
