/**
 * Fault injection for toolchain fetches, with real `kcross toolchain fetch`
 * processes against a loopback mirror (small archives, so it stays fast):
 *
 * - 24 kill points chosen by a fixed seed: each process is killed (SIGKILL,
 *   or SIGTERM/SIGINT) once the mirror has sent a chosen number of body
 *   bytes (0 to the whole archive, so also during extraction, verification
 *   and the rename); the next process resumes;
 * - 4 concurrent processes, two caches, one install path, a mirror that
 *   drops connections mid-body, one of them killed;
 * - a mirror that stalls mid-body.
 *
 * After each step the install path holds only complete, verified entries
 * (the project's `cache verify`), and every process either succeeded,
 * was killed, or printed one `error:` line (and at most one `hint:`) with
 * the documented exit code.
 */
import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { type Mirror, startMirror } from "../_support/mirror.ts";
import { exists, tempDir } from "../_support/temp.ts";
import { Rng } from "../_support/fuzz.ts";
import { listCache, verifyCache } from "../../src/cache/mod.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const VERSION = "12.2.0";
const TRIPLE = "powerpc64-linux";
const SEED = 0x5eed11;
const KILL_POINTS = 24;

function kcross(
  args: string[],
  cache: string,
  env: Record<string, string> = {},
): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: {
      KCROSS_CACHE_DIR: cache,
      PATH: "/nonexistent:/usr/bin:/bin",
      NO_COLOR: "1",
      KCROSS_MIRROR: "",
      ...env,
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

/** Exit codes `toolchain fetch` documents. */
const DOCUMENTED = new Set([0, 2, 3, 130]);

/**
 * A process either succeeded, was killed by SIGKILL (no word), or said why
 * in one error line (and at most one hint) with a documented exit code.
 */
function assertOutcome(
  status: Deno.CommandStatus,
  stderr: string,
  label: string,
): void {
  if (status.signal === "SIGKILL") return;
  assert(
    DOCUMENTED.has(status.code),
    `${label}: exit ${status.code}\n${stderr}`,
  );
  assert(!/Unexpected failure| {4}at /.test(stderr), `${label}: ${stderr}`);
  const errors = stderr.split("\n").filter((l) => l.startsWith("error:"));
  const hints = stderr.split("\n").filter((l) => l.startsWith("hint:"));
  if (status.code === 0) {
    assertEquals(errors, [], label);
  } else {
    assertEquals(errors.length, 1, `${label}: ${stderr}`);
    assert(hints.length <= 1, `${label}: ${stderr}`);
  }
}

/**
 * The install path holds nothing but complete, verified entries: the final
 * dir is absent or marked and verified; nothing else but kcross's staging
 * and lock dirs and the (possibly empty) version dir.
 */
async function assertOnlyComplete(cache: string, label: string) {
  const root = `${cache}/toolchains`;
  const names = exists(root)
    ? [...Deno.readDirSync(root)].map((e) => e.name).sort()
    : [];
  for (const n of names) {
    assert(
      [".kcross-staging", ".kcross-locks", `gcc-${VERSION}-nolibc`].includes(n),
      `${label}: unexpected ${n} in the install path`,
    );
  }
  const versionDir = `${root}/gcc-${VERSION}-nolibc`;
  if (exists(versionDir)) {
    const inside = [...Deno.readDirSync(versionDir)].map((e) => e.name);
    assert(
      inside.every((n) => n === TRIPLE),
      `${label}: ${inside.join(" ")}`,
    );
  }
  const final = `${versionDir}/${TRIPLE}`;
  if (exists(final)) {
    assert(exists(`${final}/.kcross.json`), `${label}: unmarked ${final}`);
    const results = await verifyCache(listCache(cache));
    assertEquals(
      results.map((r) => `${r.entry.id} ${r.status}`),
      [`gcc-${VERSION}-nolibc/${TRIPLE} ok`],
      label,
    );
  }
}

async function drain(child: Deno.ChildProcess): Promise<{
  status: Deno.CommandStatus;
  stderr: string;
}> {
  const [status, , err] = await Promise.all([
    child.status,
    new Response(child.stdout).arrayBuffer(),
    new Response(child.stderr).text(),
  ]);
  return { status, stderr: err };
}

async function withMirror(
  options: Parameters<typeof startMirror>[0],
  fn: (m: Mirror) => Promise<void>,
): Promise<void> {
  const mirror = await startMirror(options);
  try {
    await fn(mirror);
  } finally {
    await mirror.close();
  }
}

const TOOLCHAIN = { version: VERSION, triple: TRIPLE, padBytes: 200_000 };

Deno.test(`fetches killed at ${KILL_POINTS} seeded points leave only complete, verified entries`, async () => {
  await using cache = await tempDir("kcross-fi-");
  await withMirror(
    { toolchains: [TOOLCHAIN], bytesPerSecond: 1_500_000 },
    async (mirror) => {
      const rng = new Rng(SEED);
      const size = Number(
        (await fetch(`${mirror.url}${mirror.archivePath(VERSION, TRIPLE)}`, {
          method: "HEAD",
        })).headers.get("content-length"),
      );
      assert(size > 200_000, `archive of ${size} bytes`);
      let completed = 0;
      for (let i = 0; i < KILL_POINTS; i++) {
        // 0 … the whole archive; a quarter of the points after the last
        // byte, so the kill lands in extraction, verification or rename.
        const offset = rng.int(4) === 0 ? size : rng.int(size);
        const signal = rng.pick(
          ["SIGKILL", "SIGKILL", "SIGTERM", "SIGINT"] as const,
        );
        const gets = mirror.archiveGets(VERSION, TRIPLE).length;
        const child = kcross(
          fetchArgs(mirror.url, `${cache}/toolchains`),
          `${cache}`,
        );
        const done = drain(child);
        // Counted from this process's own archive request (a killed
        // predecessor's connection may still have flushed a chunk), and
        // within what it has left to fetch after resuming.
        const hit = await Promise.race([
          mirror.whenRequested(gets + 1).then(async () => {
            const range = mirror.archiveGets(VERSION, TRIPLE)[gets]!.range;
            const from = Number(/^bytes=(\d+)-/.exec(range ?? "")?.[1] ?? 0);
            await mirror.whenSent(
              mirror.bytesSent() + Math.min(offset, size - from),
            );
            return true;
          }),
          done.then(() => false),
        ]);
        if (hit) {
          try {
            child.kill(signal);
          } catch { /* it had just finished */ }
        }
        const { status, stderr } = await done;
        const label = `point ${i} (${offset}/${size} bytes, ${signal})`;
        assertOutcome(status, stderr, label);
        if (status.code === 130) assertMatch(stderr, /^error: Interrupted/m);
        await assertOnlyComplete(`${cache}`, label);
        if (status.success) {
          completed++;
          // Start over, so the next kill lands in a download again.
          await Deno.remove(`${cache}/toolchains`, { recursive: true });
          await Deno.remove(`${cache}/archives`, { recursive: true }).catch(
            () => {},
          );
        }
      }
      // Whatever was left behind, the next fetch completes it (resuming
      // the partial download) and the CLI's verify agrees.
      const last = await drain(
        kcross(fetchArgs(mirror.url, `${cache}/toolchains`), `${cache}`),
      );
      assertEquals(last.status.code, 0, last.stderr);
      await assertOnlyComplete(`${cache}`, "final fetch");
      const verify = await drain(kcross(["cache", "verify"], `${cache}`));
      assertEquals(verify.status.code, 0, verify.stderr);
      assert(completed < KILL_POINTS, "most points interrupted a fetch");
    },
  );
});

Deno.test("4 concurrent fetches, two caches, one install path, drops mid-body and one killed: one entry, verified", async () => {
  await using cacheA = await tempDir("kcross-fi-a-");
  await using cacheB = await tempDir("kcross-fi-b-");
  const root = `${cacheA}/toolchains`;
  await withMirror(
    {
      toolchains: [TOOLCHAIN],
      bytesPerSecond: 800_000,
      faults: { dropAfter: { bytes: 70_000, count: 3 } },
    },
    async (mirror) => {
      const caches = [`${cacheA}`, `${cacheB}`, `${cacheA}`, `${cacheB}`];
      const children = caches.map((c) =>
        kcross(fetchArgs(mirror.url, root), c)
      );
      const runs = children.map(drain);
      // Kill the one that is downloading once the body is flowing; the lock
      // it held drops with it and another process takes over.
      await mirror.whenSent(100_000);
      const victim = new Rng(SEED).int(4);
      children[victim]!.kill("SIGKILL");
      const results = await Promise.all(runs);
      for (const [i, r] of results.entries()) {
        assertOutcome(r.status, r.stderr, `process ${i}`);
        if (i !== victim || r.status.signal !== "SIGKILL") {
          assertEquals(r.status.code, 0, `process ${i}: ${r.stderr}`);
        }
      }
      await assertOnlyComplete(`${cacheA}`, "after the concurrent fetches");
      assert(exists(`${root}/gcc-${VERSION}-nolibc/${TRIPLE}/.kcross.json`));
      const verify = await drain(kcross(["cache", "verify"], `${cacheA}`));
      assertEquals(verify.status.code, 0, verify.stderr);
    },
  );
});

Deno.test("a mirror that stalls mid-body: each process says so in one line (exit 3), nothing is installed", async () => {
  await using cacheA = await tempDir("kcross-fi-a-");
  await using cacheB = await tempDir("kcross-fi-b-");
  const root = `${cacheA}/toolchains`;
  await withMirror(
    { toolchains: [TOOLCHAIN], faults: { stallAfter: 50_000 } },
    async (mirror) => {
      const env = { KCROSS_FETCH_TIMEOUT: "1" };
      const results = await Promise.all(
        [`${cacheA}`, `${cacheB}`].map((c) =>
          drain(kcross(fetchArgs(mirror.url, root), c, env))
        ),
      );
      for (const [i, r] of results.entries()) {
        assertOutcome(r.status, r.stderr, `process ${i}`);
        assertEquals(r.status.code, 3, r.stderr);
        // The stalled body (or, on a loaded machine, any request that
        // misses the 1 s deadline) is named in the one error line.
        assertMatch(r.stderr, /^error: .*(Download failed|Timed out)/m);
      }
      await assertOnlyComplete(`${cacheA}`, "after the stalls");
      assert(!exists(`${root}/gcc-${VERSION}-nolibc/${TRIPLE}`));
    },
  );
});
