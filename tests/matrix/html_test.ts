/**
 * summary.html in a real headless Chromium (Debian's, driven by
 * puppeteer-core in the test-only tests/browser/ project): it loads from
 * file://, the grid has the expected cells, clicking a cell opens its
 * diagnostics, and nothing is logged as an error.
 */
import { browse, haveChromium } from "../_support/browser.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { renderHtml } from "../../src/matrix/html.ts";
import type { RunSummary, SummaryCell } from "../../src/matrix/summary.ts";

function cell(
  arch: string,
  config: string,
  compiler: string,
  result: SummaryCell["result"],
  extra = {},
): SummaryCell {
  return {
    key: `${arch}/${config}/${compiler}`,
    digest: `cell-${arch}-${config}-${compiler}`.replace(/[^a-z0-9-]/g, ""),
    axes: { arch, config, compiler, targets: "drivers/vfio/" },
    inputs: {
      arch,
      config,
      compiler,
      targets: ["drivers/vfio/"],
      make: { W: "1" },
      fragments: [],
      fragmentDigests: [],
      sets: [],
      werror: "keep",
      allowFailure: false,
    },
    result,
    allowedFailure: false,
    errors: result === "fail" ? 1 : 0,
    warnings: 2,
    durationMs: 34_000,
    attempts: 1,
    ranOn: "local",
    message: null,
    record: {
      dir: "/state/builds/x",
      id: "x",
      log: "/state/builds/x/build.log",
    },
    toolchain: { id: `system/${compiler}`, version: "12.2.0", exact: true },
    reproducer:
      "kcross build --arch powerpc --config allmodconfig <script>alert(1)</script>",
    diagnostics: result === "fail"
      ? [{
        tool: "compiler",
        file: "drivers/vfio/fsl-mc/vfio_fsl_mc_intr.c",
        line: 112,
        column: 18,
        severity: "error",
        message:
          "variable 'hwirq' set but not used [-Werror=unused-but-set-variable]",
        flag: "-Werror=unused-but-set-variable",
        count: 1,
        objects: [],
      }]
      : [],
    reusedFrom: null,
    ...extra,
  };
}

const SUMMARY: RunSummary = {
  version: 1,
  runId: "20261127-140000-abcd",
  name: "sanity",
  matrixFile: "/x/m.toml",
  mode: "local",
  createdAt: "2026-11-27T14:00:00Z",
  finishedAt: "2026-11-27T14:05:00Z",
  tree: { url: "/src/linux", commit: "a".repeat(40), dirty: false },
  axes: [
    { name: "arch", values: ["powerpc", "arm64"] },
    { name: "config", values: ["allmodconfig", "defconfig"] },
    { name: "compiler", values: ["gcc-12.2.0", "clang-15"] },
    { name: "targets", values: ["drivers/vfio/"] },
  ],
  totals: {
    cells: 7,
    pass: 4,
    fail: 1,
    infra: 1,
    interrupted: 0,
    notRun: 1,
    errors: 1,
    warnings: 14,
  },
  cells: [
    cell("powerpc", "allmodconfig", "gcc-12.2.0", "fail"),
    cell("powerpc", "allmodconfig", "clang-15", "pass"),
    cell("powerpc", "defconfig", "gcc-12.2.0", "pass"),
    cell("powerpc", "defconfig", "clang-15", "infra", {
      message: "mirror timed out",
    }),
    cell("arm64", "allmodconfig", "gcc-12.2.0", "not-run"),
    cell("arm64", "defconfig", "gcc-12.2.0", "pass"),
    cell("arm64", "defconfig", "clang-15", "pass", { warnings: 0 }),
  ],
};

Deno.test({
  name:
    "summary.html renders the arch x config x compiler grid in headless Chromium without errors",
  ignore: !haveChromium(),
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "kcross-html-" });
    const file = `${dir}/summary.html`;
    await Deno.writeTextFile(file, renderHtml(SUMMARY));
    try {
      const { results, problems } = await browse(file, [
        {
          eval: `[...document.querySelectorAll("#grid tbody tr")].map((r) => ({
            arch: r.querySelector("th").textContent,
            cells: [...r.querySelectorAll("td")].map((td) =>
              [...td.querySelectorAll("a.cell")].map((a) =>
                a.getAttribute("data-result") + ":" + a.className
              ).join(",") || "-"
            ),
          }))`,
        },
        {
          eval:
            `[...document.querySelectorAll("#grid thead th")].map((t) => t.textContent)`,
        },
        { eval: `document.querySelector(".detail:target") === null` },
        { click: "a.cell.fail" },
        { eval: `document.querySelector(".detail:target").innerText` },
        {
          eval:
            `getComputedStyle(document.querySelector(".detail:target")).display`,
        },
        { eval: `document.querySelectorAll("script").length` },
      ]);
      const [grid, heads, noPanel, , panel, visible, scripts] = results;
      assertEquals(grid, [
        {
          arch: "powerpc",
          cells: [
            "fail:cell fail",
            "pass:cell warn",
            "pass:cell warn",
            "infra:cell infra",
          ],
        },
        {
          arch: "arm64",
          cells: [
            "not-run:cell not-run",
            "-",
            "pass:cell warn",
            "pass:cell pass",
          ],
        },
      ]);
      assertEquals(heads, [
        "arch",
        "allmodconfig",
        "defconfig",
        "gcc-12.2.0",
        "clang-15",
        "gcc-12.2.0",
        "clang-15",
      ]);
      assertEquals(noPanel, true, "no panel open at first");
      assert(typeof panel === "string", "the clicked cell's panel is open");
      assertStringIncludes(panel, "powerpc/allmodconfig/gcc-12.2.0");
      assertStringIncludes(
        panel,
        "vfio_fsl_mc_intr.c:112:18: error: variable 'hwirq' set but not used",
      );
      assertStringIncludes(
        panel,
        "<script>alert(1)</script>",
        "reproducer shown as text, not run",
      );
      assertEquals(visible, "block");
      assertEquals(scripts, 0);
      assert(
        problems.length === 0,
        `console/page problems: ${problems.join("; ")}`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
