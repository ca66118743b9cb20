/**
 * What a user reads when a fetch fails: each message names the real cause
 * in one `error:` line (plus a hint) with the documented exit code.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
} from "../_support/assert.ts";
import { type MirrorFaults, startMirror } from "../_support/mirror.ts";
import { exists, tempDir } from "../_support/temp.ts";
import { installToolchain } from "../../src/fetch/install.ts";
import { planFetch } from "../../src/toolchain/plan_fetch.ts";
import { formatBytes, progressFor } from "../../src/fetch/progress.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { InfraError, UserError } from "../../src/errors.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const VERSION = "12.2.0";
const TRIPLE = "powerpc64-linux";
const dec = new TextDecoder();

async function fetchCli(
  mirrorUrl: string,
  cache: string,
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN,
      "toolchain",
      "fetch",
      `gcc-${VERSION}`,
      "powerpc64",
      "--triple",
      TRIPLE,
      "--mirror",
      mirrorUrl,
    ],
    env: {
      KCROSS_CACHE_DIR: cache,
      PATH: "/nonexistent:/usr/bin:/bin",
      NO_COLOR: "1",
      KCROSS_MIRROR: "",
      ...env,
    },
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: r.code, stderr: dec.decode(r.stderr) };
}

/** The stderr lines that are not progress ("Fetching …"). */
function errorLines(stderr: string): string[] {
  return stderr.trim().split("\n").filter((l) => /^(error|hint):/.test(l));
}

async function withMirror(
  faults: MirrorFaults,
  fn: (url: string, cache: string) => Promise<void>,
): Promise<void> {
  await using cache = await tempDir("kcross-msg-");
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE }],
    faults,
  });
  try {
    await fn(mirror.url, `${cache}`);
  } finally {
    await mirror.close();
  }
}

Deno.test("a sha256sums.asc that does not list the archive says so (exit 3), not 'not found'", async () => {
  await withMirror({ sumsOmit: true }, async (url, cache) => {
    const r = await fetchCli(url, cache);
    assertEquals(r.code, 3, r.stderr);
    const [error] = errorLines(r.stderr);
    assertMatch(error!, /sha256sums\.asc does not list x86_64-gcc-12\.2\.0/);
    assert(!/not found/i.test(r.stderr), r.stderr);
  });
});

Deno.test("without a listing too, a sums file that omits a served archive is an InfraError saying so", async () => {
  await using cache = await tempDir("kcross-msg-");
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE }],
    faults: { sumsOmit: true },
  });
  try {
    const plan = planFetch({
      family: "gcc",
      version: VERSION,
      triple: TRIPLE,
      mirrors: [{ name: "m", base: mirror.url, layout: "crosstool" }],
      root: `${cache}/toolchains`,
      cacheDir: `${cache}`,
    });
    const e = await assertRejects(
      () => installToolchain(plan, { download: { retries: 0 } }),
      InfraError,
    );
    assertMatch(
      e.message,
      /sha256sums\.asc does not list .*which the mirror serves/,
    );
    assert(!/not found/i.test(e.message), e.message);
  } finally {
    await mirror.close();
  }
});

Deno.test("a stalled sha256sums.asc body is a one-line timeout (exit 3), not an unexpected failure", async () => {
  await withMirror({ stallSums: true }, async (url, cache) => {
    // Long enough that the listings answer even on a loaded machine.
    const r = await fetchCli(url, cache, { KCROSS_FETCH_TIMEOUT: "3" });
    assertEquals(r.code, 3, r.stderr);
    assertEquals(errorLines(r.stderr).length, 2, r.stderr);
    assertMatch(r.stderr, /^error: .*Timed out fetching .*sha256sums\.asc/m);
    assert(!/Unexpected failure|TimeoutError/.test(r.stderr), r.stderr);
  });
});

Deno.test("HTTP 500 on the archive: the hint says the mirror fails, not that a partial download is kept", async () => {
  await withMirror(
    { status: { code: 500, count: 100 } },
    async (url, cache) => {
      const r = await fetchCli(url, cache);
      assertEquals(r.code, 3, r.stderr);
      assertMatch(r.stderr, /HTTP 500/);
      assertMatch(r.stderr, /^hint: the mirror is failing/m);
      assert(!/partial/.test(r.stderr), r.stderr);
    },
  );
});

for (const value of ["0", "abc", "-1", "1.5"]) {
  Deno.test(`KCROSS_FETCH_TIMEOUT=${value} is a one-line user error (exit 2) before any request`, async () => {
    await withMirror({}, async (url, cache) => {
      const r = await fetchCli(url, cache, { KCROSS_FETCH_TIMEOUT: value });
      assertEquals(r.code, 2, r.stderr);
      assertEquals(r.stderr.trim().split("\n").length, 2, r.stderr);
      assertMatch(
        r.stderr,
        /^error: KCROSS_FETCH_TIMEOUT must be a whole number of seconds/,
      );
    });
  });
}

Deno.test("no mirror has the file: the version asked for is never proposed as the nearest", async () => {
  await using cache = await tempDir("kcross-msg-");
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE }],
  });
  try {
    // No listing-based source: the archive URL is guessed from the layout,
    // and the version dir (12.2.0/) exists but has no m68k build.
    const plan = planFetch({
      family: "gcc",
      version: VERSION,
      triple: "m68k-linux",
      mirrors: [{ name: "m", base: mirror.url, layout: "crosstool" }],
      root: `${cache}/toolchains`,
      cacheDir: `${cache}`,
    });
    const e = await assertRejects(
      () => installToolchain(plan, { download: { retries: 0 } }),
      UserError,
    );
    assertMatch(e.message, /No mirror has gcc-12\.2\.0 for "m68k-linux"/);
    assert(!/nearest to 12\.2\.0: 12\.2\.0/.test(e.hint ?? ""), e.hint);
  } finally {
    await mirror.close();
  }
});

Deno.test("progress shows whole bytes per second, never raw floats", () => {
  assertEquals(formatBytes(58.09719399675873), "58 B");
  let t = 0;
  const out = recordingOutput();
  const p = progressFor(out, "x.tar.xz", { now: () => t, intervalMs: 0 });
  t = 1721.3;
  p.update(100, 1_000_000);
  t = 3000.7;
  p.update(175, 1_000_000);
  const text = out.stderr.join("\n");
  assertMatch(text, /B\/s/);
  assert(!/\d\.\d{2,}/.test(text), text);
});

Deno.test("an archive over the size cap is refused (exit 3), announced or streamed, and nothing is kept", async () => {
  await using cache = await tempDir("kcross-msg-");
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE, padBytes: 300_000 }],
  });
  try {
    const plan = planFetch({
      family: "gcc",
      version: VERSION,
      triple: TRIPLE,
      mirrors: [{ name: "m", base: mirror.url, layout: "crosstool" }],
      root: `${cache}/toolchains`,
      cacheDir: `${cache}`,
    });
    const e = await assertRejects(
      () =>
        installToolchain(plan, { download: { retries: 0, maxBytes: 100_000 } }),
      InfraError,
    );
    assertMatch(e.message, /^Refused .*it announces .* over the 97\.7 kB cap/);
    assert(!exists(`${cache}/downloads/${plan.archiveName}.part`));
    assert(!exists(plan.finalDir));
    // A body longer than it announced is cut off at the cap too.
    const chunked = await assertRejects(
      () =>
        installToolchain(plan, {
          download: {
            retries: 0,
            maxBytes: 100_000,
            fetchImpl: async (input, init) => {
              const r = await fetch(input, init);
              const h = new Headers(r.headers);
              h.delete("content-length");
              return new Response(r.body, { status: r.status, headers: h });
            },
          },
        }),
      InfraError,
    );
    assertMatch(chunked.message, /it sent more than 97\.7 kB/);
    assert(!exists(`${cache}/downloads/${plan.archiveName}.part`));
  } finally {
    await mirror.close();
  }
});
