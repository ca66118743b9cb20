import { assertEquals, assertStringIncludes } from "../_support/assert.ts";
import {
  buildSummary,
  renderJunit,
  renderMarkdown,
  summaryExitCode,
} from "../../src/matrix/summary.ts";
import type { RunManifest } from "../../src/matrix/run_store.ts";
import type { Cell, CellRecord } from "../../src/matrix/types.ts";

function cell(i: number, arch: string, allowFailure = false): Cell {
  return {
    key: `${arch}/defconfig/gcc`,
    index: i,
    digest: `cell-${i}`,
    axes: { arch, config: "defconfig", compiler: "gcc", targets: "" },
    inputs: {
      arch,
      config: "defconfig",
      compiler: "gcc",
      targets: [],
      make: {},
      fragments: [],
      fragmentDigests: [],
      sets: [],
      werror: "keep",
      allowFailure,
    },
  };
}

const manifest = (cells: Cell[]): RunManifest => ({
  version: 1,
  id: "r1",
  createdAt: "2026-11-27T00:00:00Z",
  matrixFile: "/m.toml",
  matrixText: "",
  name: "m & <n>",
  mode: "local",
  tree: {
    url: "/t",
    commit: "c".repeat(40),
    useWorkingTree: true,
    workingTree: "/t",
    dirtyDigest: null,
  },
  queue: null,
  options: { jobs: 1, makeJobs: 1, ccache: false, shard: null, only: null },
  cells,
});

function record(
  c: Cell,
  result: CellRecord["result"],
  message: string | null = null,
): CellRecord {
  return {
    key: c.key,
    digest: c.digest,
    index: c.index,
    axes: c.axes,
    inputs: c.inputs,
    commit: null,
    result,
    message,
    errors: result === "fail" ? 1 : 0,
    warnings: 0,
    durationMs: 10,
    attempts: 1,
    ranOn: "local",
    reusedFrom: null,
    outcome: {
      result,
      diagnostics: result === "fail"
        ? [{
          tool: "compiler",
          file: "a.c",
          line: 1,
          column: 2,
          severity: "error",
          message: "expected ';' before '<' token & more",
          flag: null,
          count: 1,
          objects: [],
        }]
        : [],
      recordDir: "/r",
      recordId: "r",
      logPath: "/r/build.log",
      reproducer: "kcross build --arch x",
      toolchain: null,
      configDigest: null,
      exitCode: 0,
      timings: {},
    },
    finishedAt: "",
  };
}

Deno.test("summaryExitCode(): 1 on a failure unless allowed, 3 on infra or cells not run, else 0", () => {
  const a = cell(0, "powerpc");
  const b = cell(1, "arm64", true);
  const s = (recs: CellRecord[]) =>
    summaryExitCode(
      buildSummary(manifest([a, b]), new Map(recs.map((r) => [r.digest, r]))),
    );
  assertEquals(s([record(a, "pass"), record(b, "fail")]), 0);
  assertEquals(s([record(a, "fail"), record(b, "pass")]), 1);
  assertEquals(s([record(a, "pass"), record(b, "infra", "mirror down")]), 3);
  assertEquals(s([record(a, "pass")]), 3);
});

Deno.test("renderJunit() has one testcase per cell and escapes diagnostics; renderMarkdown() shows failing errors", () => {
  const a = cell(0, "powerpc");
  const b = cell(1, "arm64");
  const c = cell(2, "x86_64");
  const summary = buildSummary(
    manifest([a, b, c]),
    new Map([[a.digest, record(a, "fail")], [
      b.digest,
      record(b, "infra", "mirror <down>"),
    ]]),
  );
  const xml = renderJunit(summary);
  assertEquals(xml.match(/<testcase /g)?.length, 3);
  assertStringIncludes(xml, 'name="m &amp; &lt;n&gt;"');
  assertStringIncludes(
    xml,
    "a.c:1:2: error: expected &apos;;&apos; before &apos;&lt;&apos; token &amp; more",
  );
  assertStringIncludes(
    xml,
    '<error message="infra: mirror &lt;down&gt;" type="infra"/>',
  );
  assertStringIncludes(xml, '<skipped message="not run"/>');
  const md = renderMarkdown(summary);
  assertStringIncludes(md, "3 cells: 0 pass, 1 fail, 1 infra, 1 not run");
  assertStringIncludes(
    md,
    "a.c:1:2: error: expected ';' before '<' token & more",
  );
});
