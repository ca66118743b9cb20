/**
 * The layering of ARCHITECTURE.md holds for the tree: no import goes up or
 * sideways, no process is started outside `src/proc/`, no module is loaded
 * from a computed name, and the allowlist of known violations has no stale
 * line.
 */
import {
  areaGraph,
  areaOf,
  checkLayers,
  checkTree,
  importsOf,
} from "../tools/check_layers.ts";
import { assertEquals } from "./_support/assert.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

Deno.test("the tree follows the layering of ARCHITECTURE.md", async () => {
  const r = await checkTree(root);
  assertEquals(
    r.violations.map((v) => v.message),
    [],
    "new layering violations (see ARCHITECTURE.md)",
  );
  assertEquals(
    r.stale,
    [],
    "fixed violations still in tools/layers_allowlist.txt",
  );
});

Deno.test("checkLayers() flags an import that goes up a layer", () => {
  const files = new Map([
    ["src/fetch/a.ts", 'import { x } from "../toolchain/b.ts";\n'],
    ["src/toolchain/b.ts", 'import { y } from "../fetch/a.ts";\n'],
  ]);
  assertEquals(checkLayers(files).map((v) => v.key), [
    "import src/fetch/a.ts -> src/toolchain/b.ts",
  ]);
  assertEquals(areaGraph(files).cycles, [["fetch", "toolchain"]]);
});

Deno.test("checkLayers() flags an import between areas of one layer", () => {
  const files = new Map([
    ["src/repro/a.ts", 'export { x } from "../matrix/b.ts";\n'],
  ]);
  assertEquals(checkLayers(files).map((v) => v.key), [
    "import src/repro/a.ts -> src/matrix/b.ts",
  ]);
});

Deno.test("checkLayers() flags spawns outside src/proc and computed imports", () => {
  const files = new Map([
    ["src/build/a.ts", 'await new Deno.Command("make").output();\n'],
    ["src/proc/b.ts", 'new Deno.Command("sh");\n'],
    ["src/git/c.ts", 'import { spawn } from "node:child_process";\n'],
    ["src/matrix/d.ts", "const m = await import(Deno.env.get('X')!);\n"],
    ["src/matrix/e.ts", 'const m = await import("./d.ts");\n'],
  ]);
  assertEquals(checkLayers(files).map((v) => v.key), [
    "spawn src/build/a.ts",
    "spawn src/git/c.ts",
    "dynamic src/matrix/d.ts",
  ]);
});

Deno.test("checkLayers() reads no import from a comment or an example", () => {
  const text = [
    "/**",
    " * ```ts",
    ' * import { main } from "../../main.ts";',
    " * ```",
    " */",
    'import type { X } from "./x.ts";',
  ].join("\n");
  assertEquals(importsOf("src/util/a.ts", text), ["src/util/x.ts"]);
});

Deno.test("checkLayers() asks for a layer for a new area", () => {
  const files = new Map([["src/newthing/a.ts", ""]]);
  assertEquals(checkLayers(files).map((v) => v.key), ["area newthing"]);
  assertEquals(areaOf("tests/x.ts"), undefined);
});

Deno.test("checkLayers() flags a file importing the mod.ts that imports it, and another area's private file", () => {
  const files = new Map([
    ["src/toolchain/mod.ts", 'export { a } from "./_resolve.ts";\n'],
    ["src/toolchain/_resolve.ts", 'import type { O } from "./mod.ts";\n'],
    ["src/build/a.ts", 'import { r } from "../toolchain/_resolve.ts";\n'],
  ]);
  assertEquals(checkLayers(files).map((v) => v.key), [
    "import src/build/a.ts -> src/toolchain/_resolve.ts",
    "import src/toolchain/_resolve.ts -> src/toolchain/mod.ts",
  ]);
});
