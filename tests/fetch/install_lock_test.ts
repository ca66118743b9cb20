/**
 * The install lock across processes: it lives in the install root (two
 * caches, one `COMPILER_INSTALL_PATH`), a signal while waiting for it ends
 * the waiter at once with 130, and a bad `--triple` never reaches the disk.
 */
import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { startMirror } from "../_support/mirror.ts";
import { exists, tempDir } from "../_support/temp.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const VERSION = "12.2.0";
const TRIPLE = "powerpc64-linux";
const dec = new TextDecoder();

function kcross(args: string[], cache: string): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: {
      KCROSS_CACHE_DIR: cache,
      PATH: "/nonexistent:/usr/bin:/bin",
      NO_COLOR: "1",
      KCROSS_MIRROR: "",
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

function fetchArgs(url: string, installPath: string): string[] {
  return [
    "toolchain",
    "fetch",
    `gcc-${VERSION}`,
    "powerpc64",
    "--triple",
    TRIPLE,
    "--mirror",
    url,
    "--install-path",
    installPath,
  ];
}

/** Reads `stream` until `pattern` shows up; returns all text read so far. */
async function waitFor(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  pattern: RegExp,
): Promise<string> {
  let text = "";
  while (!pattern.test(text)) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`stream ended before ${pattern}: ${text}`);
    text += dec.decode(value, { stream: true });
  }
  return text;
}

async function rest(
  reader: ReadableStreamDefaultReader<Uint8Array>,
): Promise<string> {
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += dec.decode(value, { stream: true });
  }
}

Deno.test("two caches, one install path: one download, both succeed", async () => {
  await using cacheA = await tempDir("kcross-lock-a-");
  await using cacheB = await tempDir("kcross-lock-b-");
  await using root = await tempDir("kcross-lock-root-");
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE, padBytes: 400_000 }],
    bytesPerSecond: 200_000,
  });
  try {
    const a = kcross(fetchArgs(mirror.url, `${root}`), `${cacheA}`);
    // B starts once A is downloading: without a lock shared through the
    // install root it downloads too, and one of them deletes the other's
    // staging dir or fails to rename.
    await mirror.whenRequested(1);
    const b = kcross(fetchArgs(mirror.url, `${root}`), `${cacheB}`);
    const [ra, rb] = await Promise.all([a.output(), b.output()]);
    assert(ra.success, dec.decode(ra.stderr));
    assert(rb.success, dec.decode(rb.stderr));
    assertEquals(mirror.archiveGets(VERSION, TRIPLE).length, 1);
    const final = `${root}/gcc-${VERSION}-nolibc/${TRIPLE}`;
    assert(exists(`${final}/.kcross.json`));
    assertEquals(
      [...Deno.readDirSync(`${root}/.kcross-staging`)].length,
      0,
      "no staging leftovers",
    );
  } finally {
    await mirror.close();
  }
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test(`${signal} while waiting for another process's install lock exits 130 at once`, async () => {
    await using cacheA = await tempDir("kcross-lock-a-");
    await using cacheB = await tempDir("kcross-lock-b-");
    await using root = await tempDir("kcross-lock-root-");
    // The archive body never comes: the holder keeps the lock until killed.
    await using mirror = await startMirror({
      toolchains: [{ version: VERSION, triple: TRIPLE }],
      faults: { stall: true },
    });
    const holder = kcross(fetchArgs(mirror.url, `${root}`), `${cacheA}`);
    try {
      await mirror.whenRequested(1);
      const waiter = kcross(fetchArgs(mirror.url, `${root}`), `${cacheB}`);
      const err = waiter.stderr.getReader();
      const before = await waitFor(err, /Waiting for another kcross process/);
      waiter.kill(signal);
      const status = await waiter.status;
      const after = before + await rest(err);
      await waiter.stdout.cancel();
      assertEquals(status.code, 130, after);
      assertMatch(after, /error: Interrupted/);
      assert(!/Unexpected failure| {4}at /.test(after), after);
      // The holder was never disturbed: it still owns the (only) download.
      assertEquals(mirror.archiveGets(VERSION, TRIPLE).length, 1);
    } finally {
      holder.kill("SIGKILL");
      await holder.output();
      await mirror.close();
    }
  });
}

Deno.test("a --triple that is not in the arch table is refused before anything touches the disk", async () => {
  await using cache = await tempDir("kcross-lock-c-");
  await using top = await tempDir("kcross-lock-top-");
  const root = `${top}/install`;
  // <root>/gcc-12.2.0-nolibc/../../victim is <top>/victim.
  Deno.mkdirSync(`${top}/victim`);
  Deno.writeTextFileSync(`${top}/victim/keep`, "mine");
  for (
    const triple of ["../../victim", "powerpc64-linux/../../../victim", "x"]
  ) {
    const r = await kcross([
      "toolchain",
      "fetch",
      `gcc-${VERSION}`,
      "powerpc64",
      "--triple",
      triple,
      "--mirror",
      "http://127.0.0.1:9",
      "--install-path",
      root,
    ], `${cache}`).output();
    const err = dec.decode(r.stderr);
    assertEquals(r.code, 2, err);
    assertMatch(err, /^error: Unknown target triple "/m);
    assertEquals(err.trim().split("\n").length, 2, err);
  }
  assertEquals(
    [...Deno.readDirSync(`${top}`)].map((e) => e.name).sort(),
    ["victim"],
  );
  assertEquals(Deno.readTextFileSync(`${top}/victim/keep`), "mine");
});

Deno.test("SIGINT while cache gc waits for an install lock held by another process exits 130 and removes nothing", async () => {
  await using cache = await tempDir("kcross-lock-gc-");
  const id = `gcc-${VERSION}-nolibc/${TRIPLE}`;
  const dir = `${cache}/toolchains/${id}`;
  Deno.mkdirSync(`${dir}/bin`, { recursive: true });
  Deno.writeTextFileSync(
    `${dir}/.kcross.json`,
    JSON.stringify({
      schema: 1,
      id,
      family: "gcc",
      version: VERSION,
      provider: "crosstool",
      installedAt: new Date().toISOString(),
    }),
  );
  const lock =
    `${cache}/toolchains/.kcross-locks/gcc-${VERSION}-nolibc__${TRIPLE}.lock`;
  const holder = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./_hold_lock.ts", import.meta.url).pathname,
      lock,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  try {
    await waitFor(holder.stdout.getReader(), /held/);
    const gc = kcross(["cache", "gc", "--keep-newest", "0"], `${cache}`);
    const err = gc.stderr.getReader();
    const before = await waitFor(err, /Waiting for another kcross process/);
    gc.kill("SIGINT");
    const status = await gc.status;
    const after = before + await rest(err);
    await gc.stdout.cancel();
    assertEquals(status.code, 130, after);
    assertMatch(after, /error: Interrupted/);
    assert(exists(`${dir}/.kcross.json`), "nothing removed");
  } finally {
    await holder.stdin.close();
    await holder.status;
  }
});
