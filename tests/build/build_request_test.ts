import { assertEquals, assertThrows } from "../_support/assert.ts";
import { parseBuildFlags, toNativeInput } from "../../src/build/mod.ts";
import { parseBuildArgs } from "../../src/series/build_args.ts";
import { cellRequest } from "../../src/matrix/run_cell.ts";
import { UserError } from "../../src/errors.ts";

const WORDS = [
  "--arch",
  "powerpc",
  "--config",
  "allmodconfig",
  "--compiler",
  "gcc-12.2.0",
  "-W",
  "1",
  "-C",
  "1",
  "--jobs",
  "4",
  "--ccache",
  "--allow-distro",
  "--fragment",
  "frag.cfg",
  "--set",
  "WERROR=n",
  "drivers/vfio/",
  "CF=-D__CHECK_ENDIAN__",
];

Deno.test("build and series read the same build words into the same request", () => {
  const build = parseBuildFlags(WORDS, {}).request;
  const series = parseBuildArgs(WORDS);
  assertEquals(series, build);
  const tuxmake = parseBuildFlags(
    WORDS.map((w) => w === "--fragment" ? "--kconfig-add" : w),
    {},
  ).request;
  assertEquals(tuxmake, build, "--kconfig-add is --fragment");
  assertEquals([build.w, build.c, build.jobs, build.ccache], [
    "1",
    "1",
    4,
    true,
  ]);
  assertEquals(build.sets, ["CONFIG_WERROR=n"]);
  assertEquals(build.makeArgs, ["CF=-D__CHECK_ENDIAN__"]);
  assertEquals(build.allowDistro, true);
});

Deno.test("toNativeInput(): the one adapter resolves config and fragments against cwd", async () => {
  const cwd = await Deno.makeTempDir();
  await Deno.writeTextFile(`${cwd}/frag.cfg`, "CONFIG_VFIO=y\n");
  const { request } = parseBuildFlags(WORDS, {});
  const n = toNativeInput(request, { srcTree: "/src", outDir: "/o", cwd });
  await Deno.remove(cwd, { recursive: true });
  assertEquals(n.config, { kind: "target", target: "allmodconfig" });
  assertEquals(n.fragments, [`${cwd}/frag.cfg`]);
  assertEquals([n.w, n.c, n.jobs, n.allowDistro], ["1", "1", 4, true]);
  assertEquals(n.noFetch, undefined);
  const off = toNativeInput(
    parseBuildFlags([...WORDS, "--offline"], {}).request,
    { srcTree: "/src", outDir: "/o", cwd: "/" },
  );
  assertEquals(off.noFetch, true);
});

Deno.test("a matrix cell becomes a request of the same shape", () => {
  const cell = {
    inputs: {
      arch: "powerpc",
      config: "allmodconfig",
      compiler: "gcc-12.2.0",
      targets: ["drivers/vfio/"],
      make: { W: "1", C: "1", CF: "-D__CHECK_ENDIAN__" },
      fragments: [],
      fragmentDigests: [],
      sets: ["CONFIG_WERROR=n"],
      werror: "keep",
      allowFailure: false,
    },
  } as never;
  const ctx = {
    srcTree: "/src",
    buildDir: "/b",
    makeJobs: 4,
    ccache: true,
    allowDistro: true,
  } as never;
  const fromCell = cellRequest(cell, ctx);
  const fromWords = parseBuildFlags(
    WORDS.filter((w, i) => w !== "--fragment" && WORDS[i - 1] !== "--fragment"),
    {},
  ).request;
  assertEquals(fromCell, fromWords);
});

Deno.test("parseBuildFlags(): contradictions and bad values are user errors", async (t) => {
  const cases: [string[], string][] = [
    [["--config", "defconfig"], "Missing --arch"],
    [
      ["--arch", "x", "--config", "a", "--config-url", "https://x/c"],
      "not both",
    ],
    [["--arch", "x", "--config", "defconfig", "--seed", "1"], "--seed only"],
    [["--arch", "x", "--werror", "maybe"], 'Bad value for --werror: "maybe"'],
    [["--arch", "x", "--jobs", "0"], 'Bad value for --jobs: "0"'],
    [["--arch", "x", "--ccache", "--no-ccache"], "not both"],
    [["--arch", "x", "SHELL=/tmp/evil.sh"], "SHELL"],
  ];
  for (const [args, message] of cases) {
    await t.step(args.join(" "), () => {
      assertThrows(() => parseBuildFlags(args, {}), UserError, message);
    });
  }
});
