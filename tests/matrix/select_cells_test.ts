import { assertEquals, assertThrows } from "../_support/assert.ts";
import {
  filterCells,
  parseShard,
  shardCells,
} from "../../src/matrix/select_cells.ts";
import { UserError } from "../../src/errors.ts";

const cell = (index: number, arch: string, config: string) => ({
  index,
  key: `${arch}/${config}/gcc-12.2.0`,
  axes: { arch, config, compiler: "gcc-12.2.0" },
});
const CELLS = [
  cell(0, "powerpc", "allmodconfig"),
  cell(1, "arm64", "defconfig"),
  cell(2, "arm64", "allmodconfig"),
  cell(3, "powerpc", "defconfig"),
];

Deno.test("filterCells() and shardCells() select cells; bad specs are user errors", () => {
  const c = CELLS;
  assertEquals(filterCells(c, "arch=arm64").length, 2);
  assertEquals(filterCells(c, "arch=arm64,config=def*").map((x) => x.key), [
    "arm64/defconfig/gcc-12.2.0",
  ]);
  assertEquals(filterCells(c, "allmod").length, 2);
  assertEquals(filterCells(c, "arch=arm64,arch=power*").length, 4);
  const shards = [1, 2, 3].map((i) =>
    shardCells(c, { index: i, count: 3 }).map((x) => x.index)
  );
  assertEquals(shards, [[0, 3], [1], [2]]);
  assertEquals(parseShard("2/3"), { index: 2, count: 3 });
  assertThrows(() => parseShard("4/3"), UserError);
  assertThrows(() => parseShard("0/3"), UserError);
  assertThrows(() => filterCells(c, "=x"), UserError);
});
