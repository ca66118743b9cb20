import {
  assert,
  assertEquals,
  assertMatch,
  assertThrows,
} from "../_support/assert.ts";
import { startMirror } from "../_support/mirror.ts";
import { resolveToolchain } from "../../src/toolchain/mod.ts";
import {
  type CacheEntry,
  listCache,
  parseDuration,
  planGc,
  removeEntries,
  verifyCache,
} from "../../src/cache/mod.ts";
import { main } from "../../main.ts";
import { recordingOutput } from "../../src/cli/output.ts";
import { UserError } from "../../src/errors.ts";

function entry(id: string, daysAgo: number): CacheEntry {
  return {
    id,
    dir: `/c/${id}`,
    marker: {
      schema: 1,
      id,
      family: "gcc",
      version: "1.0.0",
      provider: "crosstool",
      installedAt: "",
    },
    lastUsed: new Date(Date.UTC(2026, 0, 31) - daysAgo * 86_400_000),
    sizeBytes: 1,
    kind: "toolchain",
  };
}

Deno.test("planGc() keeps the N most recently used toolchains", () => {
  const es = [entry("a", 1), entry("b", 10), entry("c", 5)];
  assertEquals(planGc(es, { keep: 1 }).map((e) => e.id), ["b", "c"]);
  assertEquals(planGc(es, { keep: 5 }), []);
});

Deno.test("planGc() removes toolchains unused for longer than the limit", () => {
  const es = [entry("a", 1), entry("b", 10), entry("c", 5)];
  const now = new Date(Date.UTC(2026, 0, 31));
  assertEquals(
    planGc(es, { olderThanMs: parseDuration("4d"), now }).map((e) => e.id),
    ["b", "c"],
  );
});

Deno.test("parseDuration() accepts s/m/h/d/w and rejects the rest", () => {
  assertEquals(parseDuration("90m"), 5_400_000);
  assertEquals(parseDuration("2w"), 1_209_600_000);
  assertThrows(() => parseDuration("3 days"), UserError);
});

Deno.test("cache ls, verify and gc on a real fetched toolchain", async () => {
  const cache = await Deno.makeTempDir({ prefix: "kcross-cache-" });
  const saved = Deno.env.get("KCROSS_CACHE_DIR");
  const mirror = await startMirror({
    toolchains: [{ version: "12.2.0", triple: "powerpc64-linux" }],
  });
  try {
    Deno.env.set("KCROSS_CACHE_DIR", cache);
    const r = await resolveToolchain(
      { compiler: "gcc-12.2.0", triple: "powerpc64-linux" },
      { cacheDir: cache, mirrors: [mirror.url], path: "/nonexistent" },
    );
    const entries = listCache(cache);
    assertEquals(entries.map((e) => e.id), [
      "gcc-12.2.0-nolibc/powerpc64-linux",
    ]);
    assertEquals(entries[0]!.marker.verifiedBy, "sha256sums.asc");

    const ls = recordingOutput();
    assertEquals(await main(["cache", "ls"], { out: ls }), 0);
    assertMatch(
      ls.stdout.join("\n"),
      /gcc-12\.2\.0-nolibc\/powerpc64-linux\s+crosstool/,
    );

    assertEquals((await verifyCache(entries))[0]!.status, "ok");
    Deno.writeTextFileSync(`${r.binDir}/powerpc64-linux-nm`, "#!/bin/sh\n", {
      mode: 0o755,
    });
    const v = recordingOutput();
    assertEquals(await main(["cache", "verify"], { out: v }), 1);
    assertMatch(
      v.stdout.join("\n"),
      /MODIFIED\s+gcc-12\.2\.0.*bin\/powerpc64-linux-nm: (Contents|Size) differ/,
    );
    Deno.writeTextFileSync(`${r.binDir}/extra`, "x");
    const diff = (await verifyCache(listCache(cache)))[0]!.diff!;
    assertEquals(diff.added, ["bin/extra"]);

    const dry = recordingOutput();
    assertEquals(
      await main(["cache", "gc", "--keep", "0", "--dry-run"], { out: dry }),
      0,
    );
    assertEquals(listCache(cache).length, 1);
    await removeEntries(cache, planGc(listCache(cache), { keep: 0 }));
    assertEquals(listCache(cache), []);
    assertEquals([...Deno.readDirSync(`${cache}/archives`)], []);
    let gone = false;
    try {
      Deno.statSync(r.binDir);
    } catch {
      gone = true;
    }
    assert(gone, "toolchain dir removed");
  } finally {
    if (saved === undefined) Deno.env.delete("KCROSS_CACHE_DIR");
    else Deno.env.set("KCROSS_CACHE_DIR", saved);
    await mirror.close();
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("cache gc without a policy is a UserError", async () => {
  const out = recordingOutput();
  assertEquals(await main(["cache", "gc"], { out }), 2);
  assertMatch(out.stderr.join("\n"), /--keep N or --older-than D/);
});
