/**
 * Golden logs from real kernel builds (tests/fixtures/logs/) against their
 * expected diagnostics, in one shot, streamed, and without path hints.
 */
import {
  type Diagnostic,
  extractDiagnostics,
  extractDiagnosticsFromStream,
} from "../../src/diagnostics/mod.ts";
import { assert, assertEquals } from "../_support/assert.ts";

const dir = new URL("../fixtures/logs/", import.meta.url).pathname;

interface Golden {
  name: string;
  log: string;
  srcTree: string;
  outDir: string;
  diagnostics: Diagnostic[];
}

function loadGoldens(): Golden[] {
  return [...Deno.readDirSync(dir)]
    .filter((e) => e.name.endsWith(".expected.json"))
    .map((e) => e.name.replace(/\.expected\.json$/, ""))
    .sort()
    .map((name) => {
      const g = JSON.parse(
        Deno.readTextFileSync(`${dir}${name}.expected.json`),
      ) as Omit<Golden, "name" | "log">;
      return { ...g, name, log: Deno.readTextFileSync(`${dir}${name}.log`) };
    });
}

const goldens = loadGoldens();

function find(g: Golden, file: string, line: number): Diagnostic[] {
  return g.diagnostics.filter((d) => d.file === file && d.line === line);
}

function golden(name: string): Golden {
  const g = goldens.find((x) => x.name === name);
  assert(g !== undefined, `no golden log ${name}`);
  return g;
}

Deno.test("golden logs: there are at least four, each under 300 KB", () => {
  assert(goldens.length >= 4, `only ${goldens.length} golden logs`);
  for (const g of goldens) assert(g.log.length < 300_000, g.name);
});

for (const g of goldens) {
  Deno.test(`extractDiagnostics() matches ${g.name}.expected.json`, () => {
    const got = extractDiagnostics(g.log, {
      srcTree: g.srcTree,
      outDir: g.outDir,
    });
    assertEquals(got, g.diagnostics);
  });

  Deno.test(`extractDiagnostics() guesses the tree from the log for ${g.name}`, () => {
    assertEquals(extractDiagnostics(g.log), g.diagnostics);
  });

  Deno.test(`the streaming extractor agrees on ${g.name}, by lines and by odd chunks`, async () => {
    const opts = { srcTree: g.srcTree, outDir: g.outDir };
    const byLines = await extractDiagnosticsFromStream(
      g.log.split("\n"),
      opts,
    );
    assertEquals(byLines, g.diagnostics);
    const chunks: string[] = [];
    for (let i = 0; i < g.log.length; i += 997) {
      chunks.push(g.log.slice(i, i + 997));
    }
    const byChunks = await extractDiagnosticsFromStream(chunks, {
      ...opts,
      kind: "text",
    });
    assertEquals(byChunks, g.diagnostics);
  });

  Deno.test(`every located compiler line of ${g.name} is counted exactly once`, () => {
    // Independent tally: lines shaped FILE:LINE[:COL]: error|warning|fatal
    // error: (what the robot would list), minus sparse continuation lines.
    const re = /^[^\s:]+:\d+(?::\d+)?: (?:error|warning|fatal error): /;
    const n = g.log.split("\n").filter((l) => re.test(l)).length;
    const total = g.diagnostics
      .filter((d) => d.line !== null)
      .reduce((s, d) => s + d.count, 0);
    assertEquals(total, n);
  });

  Deno.test(`paths in ${g.name} are tree-relative, objects are attributed`, () => {
    for (const d of g.diagnostics) {
      assert(d.file !== null, JSON.stringify(d));
      assert(!d.file.startsWith("/") && !d.file.startsWith("."), d.file);
      assert(d.objects.length > 0, `no object for ${JSON.stringify(d)}`);
      for (const o of d.objects) assert(/^[a-z][\w/.-]*\.o$/.test(o), o);
      assert(d.count >= d.objects.length);
    }
    // bison's conflicts summary names parse.y but is not a diagnostic
    assert(g.diagnostics.every((d) => !d.file?.endsWith(".y")));
  });
}

Deno.test("gcc out-of-tree build: exactly the known hwirq error", () => {
  const g = golden("gcc12-powerpc-vfio-outoftree");
  assertEquals(g.diagnostics, [{
    tool: "compiler",
    file: "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
    line: 112,
    column: 18,
    severity: "error",
    message:
      "variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
    flag: "-Werror=unused-but-set-variable",
    count: 1,
    objects: ["drivers/vfio/fsl-mc/vfio_fsl_mc_intr.o"],
  }]);
});

Deno.test("gcc seed build (O= in the tree): the robot's error, deduplicated over units", () => {
  const g = golden("gcc12-powerpc-vfio-seed-intree");
  const [d, ...more] = find(g, "include/uapi/linux/vfio.h", 984).filter((x) =>
    x.message === "expected identifier before '(' token"
  );
  assert(d !== undefined && more.length === 0);
  assertEquals([d.column, d.severity, d.flag], [32, "error", null]);
  assertEquals(d.count, 21);
  assertEquals(d.objects.length, 21);
  assert(d.objects.includes("drivers/vfio/vfio_main.o"));
  const hwirq = find(g, "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c", 112);
  assertEquals(hwirq.map((x) => x.objects), [[
    "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.o",
  ]]);
});

Deno.test("clang seed build: the error is at the use site, not the macro's note", () => {
  const g = golden("clang15-arm64-vfio-seed");
  const atUse = find(g, "include/uapi/linux/vfio.h", 987);
  assertEquals(atUse.map((d) => [d.column, d.message, d.count]), [
    [2, "expected identifier", 21],
  ]);
  assertEquals(find(g, "include/uapi/linux/vfio.h", 984), []);
  const hwirq = find(g, "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c", 112)[0];
  assertEquals(hwirq?.flag, "-Werror,-Wunused-but-set-variable");
});

Deno.test("sparse and kernel-doc build: each diagnostic typed by its tool", () => {
  const g = golden("gcc12-powerpc-sparse-kerneldoc");
  const by = (tool: string) => g.diagnostics.filter((d) => d.tool === tool);
  assertEquals(by("kernel-doc").length, 9);
  assertEquals(by("compiler").length, 1);
  assertEquals(by("sparse").length, 34);
  assert(by("kernel-doc").every((d) => d.column === null));
  const [typed] = find(g, "drivers/vfio/fsl-mc/vfio_fsl_mc.c", 302);
  assertEquals(
    typed?.message,
    "incorrect type in assignment (different base types) @@     expected unsigned long long [usertype] header @@     got restricted __le64 [usertype] @@",
  );
  assertEquals(typed?.objects, ["drivers/vfio/fsl-mc/vfio_fsl_mc.o"]);
});
