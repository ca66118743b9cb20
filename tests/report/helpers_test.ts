import {
  buildRequest,
  compilerRequest,
  configSource,
  newDiagnostics,
  parseReport,
} from "../../src/report/mod.ts";
import { assertEquals } from "../_support/assert.ts";
import { loadFixtures } from "./_fixtures.ts";

const parsed = (id: string) => {
  const f = loadFixtures().find((x) => x.id === id)!;
  return parseReport(
    f.text,
    f.reproduce === undefined ? {} : { reproduceText: f.reproduce },
  );
};

Deno.test("compilerRequest() names crosstool, clang and distro compilers", () => {
  const cases: [string, Record<string, unknown>][] = [
    ["000", { request: "gcc-11.2.0", distro: false, triple: "powerpc-linux" }],
    ["040", {
      request: "gcc-12.2.0",
      distro: true,
      vendor: "Debian 12.2.0-14",
      triple: null,
    }],
    ["047", {
      request: "gcc-14.2.0",
      distro: true,
      triple: "s390x-linux-gnu",
    }],
    ["038", { request: "clang-20", version: "20.0.0git", distro: false }],
    ["029", { request: "clang-17", distro: false }],
    ["031", {
      request: "gcc-7.5.0",
      distro: true,
      vendor: "Ubuntu 7.5.0-6ubuntu2",
    }],
  ];
  for (const [id, want] of cases) {
    const got = compilerRequest(parsed(id)) as unknown as Record<
      string,
      unknown
    >;
    for (const [k, v] of Object.entries(want)) {
      assertEquals(got[k], v, `${id} ${k}`);
    }
  }
  assertEquals(compilerRequest(parsed("043")), null);
});

Deno.test("configSource() prefers an attached config, then the URL, then a regenerable target", () => {
  assertEquals(configSource(parsed("000")), {
    kind: "target",
    arch: "powerpc",
    target: "allmodconfig",
  });
  assertEquals(configSource(parsed("026")).kind, "url");
  const r = parsed("007");
  assertEquals(configSource(r).kind, "unavailable");
  assertEquals(
    configSource({ ...r, attachments: { config: "CONFIG_X=y\n" } }),
    { kind: "attached", text: "CONFIG_X=y\n" },
  );
});

Deno.test("buildRequest() takes make args from the report, else its reproduce script, else the diagnostics' directories", () => {
  const own = buildRequest(parsed("000"));
  assertEquals(own.source, "report");
  assertEquals(own.targets, ["drivers/vfio/"]);
  assertEquals(own.makeCompiler, "gcc-11.2.0");
  const script = buildRequest(parsed("034"));
  assertEquals(script.source, "reproduce-file");
  assertEquals(script.targets, ["drivers/clocksource/"]);
  assertEquals(script.c, 1);
  const guessed = buildRequest(parsed("031"));
  assertEquals(guessed.source, "diagnostics");
  assertEquals(guessed.makeArgs, ["W=1"]);
  assertEquals(guessed.targets, ["mm/"]);
});

Deno.test("newDiagnostics() keeps only the lines marked >> (or > in a reflowed copy)", () => {
  assertEquals(newDiagnostics(parsed("000")).length, 4);
  assertEquals(newDiagnostics(parsed("047")).length, 2);
});

Deno.test("buildRequest() takes ARCH from an earlier make line when the build line has none", () => {
  const r = parseReport([
    "url:    https://github.com/0day-ci/linux/commits/A-B/x/20191001-025628",
    "reproduce:",
    "        # apt-get install sparse",
    "        make ARCH=x86_64 allmodconfig",
    "        make C=1 CF='-fdiagnostic-prefix -D__CHECK_ENDIAN__'",
    "",
    "sparse warnings: (new ones prefixed by >>)",
    "",
    ">> fs/open.c:1011:36: sparse: sparse: invalid assignment: |=",
    "",
  ].join("\n"));
  assertEquals(r.arch, null);
  assertEquals(r.make_args, [
    "C=1",
    "CF=-fdiagnostic-prefix -D__CHECK_ENDIAN__",
  ]);
  assertEquals(buildRequest(r).arch, "x86_64");
  assertEquals(r.c, 1);
});
