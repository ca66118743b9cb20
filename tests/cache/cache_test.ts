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

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Runs kcross in its own process (the environment is per process). */
async function kcross(
  args: string[],
  cache: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: {
      KCROSS_CACHE_DIR: cache,
      HOME: cache,
      PATH: "/usr/local/bin:/usr/bin:/bin",
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return {
    code: r.code,
    stdout: d.decode(r.stdout),
    stderr: d.decode(r.stderr),
  };
}
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
  const mirror = await startMirror({
    toolchains: [{ version: "12.2.0", triple: "powerpc64-linux" }],
  });
  try {
    const r = await resolveToolchain(
      { compiler: "gcc-12.2.0", triple: "powerpc64-linux" },
      { cacheDir: cache, mirrors: [mirror.url], path: "/nonexistent" },
    );
    const entries = listCache(cache);
    assertEquals(entries.map((e) => e.id), [
      "gcc-12.2.0-nolibc/powerpc64-linux",
    ]);
    assertMatch(entries[0]!.marker.verifiedBy ?? "", /sha256sums\.asc$/);

    const ls = await kcross(["cache", "ls"], cache);
    assertEquals(ls.code, 0);
    assertMatch(
      ls.stdout,
      /gcc-12\.2\.0-nolibc\/powerpc64-linux\s+crosstool/,
    );

    assertEquals((await verifyCache(entries))[0]!.status, "ok");
    Deno.writeTextFileSync(`${r.binDir}/powerpc64-linux-nm`, "#!/bin/sh\n", {
      mode: 0o755,
    });
    const v = await kcross(["cache", "verify"], cache);
    assertEquals(v.code, 1);
    assertMatch(
      v.stdout,
      /MODIFIED\s+gcc-12\.2\.0.*bin\/powerpc64-linux-nm: (Contents|Size) differ/,
    );
    Deno.writeTextFileSync(`${r.binDir}/extra`, "x");
    const diff = (await verifyCache(listCache(cache)))[0]!.diff!;
    assertEquals(diff.added, ["bin/extra"]);

    const dry = await kcross(
      ["cache", "gc", "--keep", "0", "--dry-run"],
      cache,
    );
    assertEquals(dry.code, 0);
    // the old spelling still works, with one deprecation line
    assertMatch(dry.stderr, /--keep N is deprecated, use --keep-newest/);
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
    await mirror.close();
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("cache gc without a policy is a UserError", async () => {
  const cache = await Deno.makeTempDir();
  const out = await kcross(["cache", "gc"], cache);
  await Deno.remove(cache, { recursive: true });
  assertEquals(out.code, 2);
  assertMatch(out.stderr, /--keep-newest N or --older-than D/);
});
