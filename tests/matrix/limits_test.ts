import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { loadMatrix, parseMatrix } from "../../src/matrix/load_matrix.ts";
import { expandCells, MAX_CELLS } from "../../src/matrix/expand.ts";
import { filterCells, globMatch } from "../../src/matrix/select_cells.ts";
import type { TreeSpec } from "../../src/matrix/types.ts";
import { UserError } from "../../src/errors.ts";

const TREE: TreeSpec = {
  url: "/src",
  commit: "a".repeat(40),
  useWorkingTree: false,
  workingTree: null,
  dirtyDigest: null,
};

function list(prefix: string, n: number): string {
  return `[${
    Array.from({ length: n }, (_, i) => `"${prefix}${i}"`).join(",")
  }]`;
}

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  try {
    await promise;
  } catch (e) {
    assert(e instanceof UserError, String(e));
    return e;
  }
  throw new Error("expected a UserError");
}

Deno.test("a matrix of 10^6 and 10^7 cells is refused before it is expanded", async () => {
  for (const [n, m] of [[1000, 1000], [1000, 10000]] as const) {
    const text = `[matrix]\narch = ["powerpc"]\nconfig = ${
      list("c", n)
    }\ncompiler = ["gcc-12.2.0"]\n[make]\nX = ${list("", m)}\n`;
    const loaded = parseMatrix(text, "/m.toml", { trustMakeLine: true });
    const e = await refusal(expandCells(loaded, { tree: TREE }));
    assert(!e.message.includes("    at "), e.message);
    assertMatch(
      e.message,
      new RegExp(
        `^Invalid matrix file\\n/m.toml:1: matrix: ${
          n * m
        } cells \\(config ${n} x X ${m}\\) is more than the limit of ${MAX_CELLS}$`,
      ),
    );
  }
});

Deno.test("a matrix file nested too deeply or too large is a one-line user error", () => {
  let threw: unknown;
  try {
    parseMatrix(`x = ${"[".repeat(100000)}${"]".repeat(100000)}\n`, "/m.toml");
  } catch (e) {
    threw = e;
  }
  assert(threw instanceof UserError, String(threw));
  threw = undefined;
  try {
    parseMatrix(`# ${"x".repeat(2 * 1024 * 1024)}\n`, "/m.toml");
  } catch (e) {
    threw = e;
  }
  assert(threw instanceof UserError, String(threw));
  assertMatch(threw.message, /too large/);
});

Deno.test("--only and [[exclude]] globs with many stars match without backtracking", () => {
  const key = "a".repeat(5000);
  const cells = [{ key, axes: { arch: key } }];
  // As a regex (.*a.*a…b) this took minutes; pieces between stars are found in order.
  assertEquals(filterCells(cells, `${"*a".repeat(30)}*b`), []);
  assertEquals(filterCells(cells, `arch=${"*a".repeat(30)}*`).length, 1);
  assert(globMatch("*vfio*", "powerpc/allmodconfig/gcc [drivers/vfio/]"));
  assert(!globMatch("ab*ba", "aba"));
});

Deno.test("a matrix file read from /dev/zero or a FIFO stops at the 1 MB cap: one-line user error", async () => {
  const e = await refusal(loadMatrix("/dev/zero", "/"));
  assertMatch(e.message, /^Matrix file "\/dev\/zero" is too large: over 1 MB/);
  const dir = await Deno.makeTempDir({ prefix: "kcross-fifo-" });
  try {
    const fifo = `${dir}/m.toml`;
    const mk = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert(mk.success);
    // a writer that would never stop: <(yes '# x')
    const writer = (async () => {
      const w = await Deno.open(fifo, { write: true });
      const line = new TextEncoder().encode("# x\n".repeat(4096));
      try {
        for (;;) await w.write(line);
      } catch {
        // the reader went away
      } finally {
        try {
          w.close();
        } catch { /* closed */ }
      }
    })();
    const f = await refusal(loadMatrix(fifo, "/"));
    assertMatch(f.message, /too large/);
    await writer;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a matrix file with duplicate keys or YAML-style aliases is invalid TOML at file:line (TOML has no aliases to expand)", () => {
  for (
    const text of [
      '[matrix]\narch = ["powerpc"]\narch = ["arm64"]\n',
      '[matrix]\narch = ["powerpc"]\n[matrix]\nconfig = ["defconfig"]\n',
      'a: &a ["lol","lol"]\nb: &b [*a,*a]\n',
    ]
  ) {
    let threw: unknown;
    try {
      parseMatrix(text, "/m.toml");
    } catch (e) {
      threw = e;
    }
    assert(threw instanceof UserError, String(threw));
    assertMatch(threw.message, /^\/m\.toml:\d+:\d+: invalid TOML/);
  }
});
