import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import {
  makeSigningKey,
  removeGpgHome,
  startMirror,
} from "../_support/mirror.ts";
import {
  crosstoolMembers,
  makeTarXz,
  type TarMember,
} from "../_support/tar.ts";
import {
  type ResolveOptions,
  resolveToolchain,
} from "../../src/toolchain/mod.ts";
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";
import { exitCodeOf, InfraError, UserError } from "../../src/errors.ts";
import { IntegrityError } from "../../src/fetch/install_failures.ts";
import { listCache, verifyCache } from "../../src/cache/mod.ts";
import { exists, tempDir } from "../_support/temp.ts";
import { haveDebianPpc64 } from "../_support/system_gcc.ts";

const TMP = "kcross-fetch-";

const VERSION = "12.2.0";
const TRIPLE = "powerpc64-linux";
const FAST = { retries: 2, headersTimeoutMs: 5000, idleTimeoutMs: 5000 };

function finalDir(cache: string): string {
  return `${cache}/toolchains/gcc-${VERSION}-nolibc/${TRIPLE}`;
}

/** Everything under the cache except locks and empty dirs, for "unchanged" checks. */
function cacheFiles(cache: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of Deno.readDirSync(d)) {
      const p = `${d}/${e.name}`;
      if (e.isDirectory) walk(p);
      else if (!p.includes("/locks/")) out.push(p.slice(cache.length));
    }
  };
  if (exists(cache)) walk(cache);
  return out.sort();
}

function noSystem() {
  return { path: "/nonexistent" };
}

/**
 * Resolves `compiler` for TRIPLE from `mirrors` into the cache `cache`,
 * never falling back to a system compiler.
 */
function fetchGcc(
  cache: string,
  mirrors: string[],
  options: ResolveOptions = {},
  compiler = `gcc-${VERSION}`,
): Promise<ResolvedToolchain> {
  return resolveToolchain(
    { compiler, triple: TRIPLE },
    { cacheDir: `${cache}`, mirrors, ...options, ...noSystem() },
  );
}

Deno.test({
  name:
    "fetch from a kernel.org-layout mirror installs a gcc that compiles for powerpc64",
  ignore: !haveDebianPpc64,
  async fn() {
    await using cache = await tempDir(TMP);
    const mirror = await startMirror({
      toolchains: [{ version: VERSION, triple: TRIPLE }],
    });
    try {
      const r = await fetchGcc(cache, [mirror.url]);
      assertEquals(r.provider, "crosstool");
      assertEquals(r.exact, true);
      assertEquals(r.id, `gcc-${VERSION}-nolibc/${TRIPLE}`);
      assertEquals(r.binDir, `${finalDir(`${cache}`)}/bin`);
      assertEquals(r.archiveSha256, mirror.sha256(VERSION, TRIPLE));
      assertEquals(
        r.sourceUrl,
        `${mirror.url}${mirror.archivePath(VERSION, TRIPLE)}`,
      );
      // The verified archive is kept for `cache verify`.
      assert(
        exists(
          `${cache}/archives/x86_64-gcc-${VERSION}-nolibc-${TRIPLE}.tar.xz`,
        ),
        "archive kept",
      );
      // make.cross layout: a relative symlink survived extraction.
      assertEquals(
        Deno.readLinkSync(`${r.binDir}/${TRIPLE}-cc`),
        `${TRIPLE}-gcc`,
      );
      const src = `${cache}/t.c`;
      Deno.writeTextFileSync(src, "int answer(void) { return 42; }\n");
      const cc = await new Deno.Command(`${r.crossCompile}gcc`, {
        args: ["-c", "-O2", "-o", `${cache}/t.o`, src],
        stderr: "piped",
      }).output();
      assert(cc.success, new TextDecoder().decode(cc.stderr));
      const re = await new Deno.Command("readelf", {
        args: ["-h", `${cache}/t.o`],
        stdout: "piped",
      }).output();
      assertMatch(new TextDecoder().decode(re.stdout), /PowerPC64/);
      // A second resolve is a cache hit: no new request.
      const before = mirror.requests.length;
      await fetchGcc(cache, [mirror.url]);
      assertEquals(mirror.requests.length, before);
    } finally {
      await mirror.close();
    }
  },
});

Deno.test("a connection dropped mid-body resumes with an HTTP Range request", async () => {
  await using cache = await tempDir(TMP);
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE, padBytes: 600_000 }],
    faults: { dropAfter: { bytes: 200_000, count: 1 } },
  });
  try {
    const r = await fetchGcc(cache, [mirror.url], { download: FAST });
    assertEquals(r.archiveSha256, mirror.sha256(VERSION, TRIPLE));
    const gets = mirror.archiveGets(VERSION, TRIPLE);
    assertEquals(gets.length, 2);
    assertEquals(gets[0]!.range, null);
    assertMatch(gets[1]!.range ?? "", /^bytes=[1-9][0-9]*-$/);
    assert(
      !exists(
        `${cache}/downloads/x86_64-gcc-${VERSION}-nolibc-${TRIPLE}.tar.xz.part`,
      ),
    );
  } finally {
    await mirror.close();
  }
});

Deno.test("a mirror that ignores Range restarts the download cleanly", async () => {
  await using cache = await tempDir(TMP);
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE, padBytes: 400_000 }],
    faults: { dropAfter: { bytes: 150_000, count: 1 }, noRange: true },
  });
  try {
    const r = await fetchGcc(cache, [mirror.url], { download: FAST });
    assertEquals(r.archiveSha256, mirror.sha256(VERSION, TRIPLE));
    assertEquals(mirror.archiveGets(VERSION, TRIPLE).length, 2);
  } finally {
    await mirror.close();
  }
});

Deno.test("checksum mismatch is rejected and leaves the cache unchanged", async (t) => {
  for (
    const [label, faults] of [
      ["wrong digest in sha256sums.asc", { wrongSums: true }],
      ["tampered archive", { tamper: true }],
    ] as const
  ) {
    await t.step(label, async () => {
      await using cache = await tempDir(TMP);
      const mirror = await startMirror({
        toolchains: [{ version: VERSION, triple: TRIPLE }],
        faults,
      });
      try {
        const before = cacheFiles(`${cache}`);
        const e = await assertRejects(
          () => fetchGcc(cache, [mirror.url], { download: FAST }),
          InfraError,
        );
        assertMatch(e.message, /Checksum mismatch|corrupt|truncated/);
        assert(!exists(finalDir(`${cache}`)), "no install");
        const after = cacheFiles(`${cache}`).filter((f) =>
          !f.endsWith(".lock")
        );
        assertEquals(after, before);
      } finally {
        await mirror.close();
      }
    });
  }
});

const TOP = `gcc-${VERSION}-nolibc/${TRIPLE}`;

/**
 * Links each harmless alone (`deep` points at the top dir, `esc` lexically
 * stays inside) whose chain resolves outside: `esc` → top/../../../../etc.
 */
const CHAIN: TarMember[] = [
  ...["a", "a/b", "a/b/c", "a/b/c/d", "a/b/c/d/e"].map((d): TarMember => ({
    name: `${TOP}/${d}/`,
    type: "dir",
  })),
  {
    name: `${TOP}/a/b/c/d/e/deep`,
    type: "symlink",
    linkname: "../../../../..",
  },
  {
    name: `${TOP}/esc`,
    type: "symlink",
    linkname: "a/b/c/d/e/deep/../../../../etc",
  },
];

const BAD_MEMBERS: [string, TarMember | TarMember[]][] = [
  ["a chain of symlinks resolving outside", CHAIN],
  ["a symlink to a sibling of the installed dir", {
    name: `${TOP}/sibling`,
    type: "symlink",
    linkname: "../powerpc-linux/bin",
  }],
  ["a ../ member", { name: "../escape", content: "x" }],
  ["an absolute member", { name: "/tmp/kcross-abs-escape", content: "x" }],
  ["a symlink to /etc", {
    name: `gcc-${VERSION}-nolibc/${TRIPLE}/etc`,
    type: "symlink",
    linkname: "/etc",
  }],
  ["a relative symlink climbing out", {
    name: `gcc-${VERSION}-nolibc/${TRIPLE}/up`,
    type: "symlink",
    linkname: "../../../../outside",
  }],
  ["a hard link to /etc/hostname", {
    name: `gcc-${VERSION}-nolibc/${TRIPLE}/h`,
    type: "hardlink",
    linkname: "/etc/hostname",
  }],
  ["a device node", {
    name: `gcc-${VERSION}-nolibc/${TRIPLE}/null`,
    type: "chardev",
  }],
];

Deno.test("malicious archive members are rejected and nothing is installed", async (t) => {
  for (const [label, bad] of BAD_MEMBERS) {
    await t.step(label, async () => {
      await using cache = await tempDir(TMP);
      await using work = await tempDir(TMP);
      const archive = await makeTarXz(`${work}/evil.tar.xz`, [
        ...crosstoolMembers(VERSION, TRIPLE),
        ...[bad].flat(),
      ]);
      const mirror = await startMirror({
        toolchains: [{ version: VERSION, triple: TRIPLE, archive }],
      });
      try {
        const e = await assertRejects(
          () => fetchGcc(cache, [mirror.url], { download: FAST }),
          InfraError,
        );
        assertMatch(e.message, /Rejected archive/);
        assert(!exists(finalDir(`${cache}`)), "no install");
        assert(!exists(`${cache}/toolchains/escape`), "no escape");
        assert(!exists("/tmp/kcross-abs-escape"), "no absolute write");
        const staging = `${cache}/toolchains/.kcross-staging`;
        assertEquals([...Deno.readDirSync(staging)].length, 0);
      } finally {
        await mirror.close();
      }
    });
  }
});

Deno.test("an archive unpacking past the size cap (a decompression bomb) is cut off while streaming: exit-3 error, nothing installed", async () => {
  await using cache = await tempDir(TMP);
  await using work = await tempDir(TMP);
  // 8 MiB of zeros compress to a few kB; the cap here is 2 MiB (16 GiB by
  // default).
  const archive = await makeTarXz(`${work}/bomb.tar.xz`, [
    ...crosstoolMembers(VERSION, TRIPLE),
    { name: `${TOP}/zeros`, content: "\0".repeat(8 * 1024 * 1024) },
  ]);
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE, archive }],
  });
  try {
    const e = await assertRejects(
      () =>
        fetchGcc(cache, [mirror.url], {
          download: FAST,
          maxUnpackedBytes: 2 * 1024 * 1024,
        }),
      IntegrityError,
    );
    assertMatch(
      e.message,
      /^Rejected archive ".*": it unpacks to more than 2\.0 MB \(a decompression bomb\?\); nothing was installed$/,
    );
    assertEquals(exitCodeOf(e), 3);
    assert(!exists(finalDir(`${cache}`)), "no install");
    const staging = `${cache}/toolchains/.kcross-staging`;
    assertEquals([...Deno.readDirSync(staging)].length, 0);
    // Only the install lock is left; no download, no staging.
    assertEquals(
      cacheFiles(`${cache}`).filter((f) => !f.includes("/.kcross-locks/")),
      [],
    );
  } finally {
    await mirror.close();
  }
});

Deno.test("setuid, setgid and world-writable modes from an archive are cleared, and cache verify calls the result ok", async () => {
  await using cache = await tempDir(TMP);
  await using work = await tempDir(TMP);
  const archive = await makeTarXz(`${work}/modes.tar.xz`, [
    ...crosstoolMembers(VERSION, TRIPLE),
    { name: `${TOP}/bin/suid`, content: "#!/bin/sh\n", mode: 0o4755 },
    { name: `${TOP}/bin/sgid`, content: "#!/bin/sh\n", mode: 0o2755 },
    { name: `${TOP}/share/`, type: "dir", mode: 0o777 },
    { name: `${TOP}/share/ww`, content: "x", mode: 0o666 },
  ]);
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE, archive }],
  });
  try {
    await fetchGcc(cache, [mirror.url], { download: FAST });
    const mode = (p: string) =>
      (Deno.lstatSync(`${finalDir(`${cache}`)}/${p}`).mode ?? 0) & 0o7777;
    assertEquals(mode("bin/suid"), 0o755);
    assertEquals(mode("bin/sgid"), 0o755);
    assertEquals(mode("share"), 0o775);
    assertEquals(mode("share/ww"), 0o664);
    const [v] = await verifyCache(listCache(`${cache}`));
    assertEquals(v!.status, "ok", JSON.stringify(v!.diff));
    // Set again after install: that is damage.
    Deno.chmodSync(`${finalDir(`${cache}`)}/bin/suid`, 0o4755);
    const [w] = await verifyCache(listCache(`${cache}`));
    assertEquals(w!.status, "modified");
    assertMatch(w!.diff!.unsafe.join("\n"), /bin\/suid: mode 4755 \(setuid\)/);
  } finally {
    await mirror.close();
  }
});

Deno.test("cache verify flags an installed tree that holds a symlink chain resolving outside", async () => {
  await using cache = await tempDir(TMP);
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE }],
  });
  try {
    await fetchGcc(cache, [mirror.url], { download: FAST });
    const dir = finalDir(`${cache}`);
    assertEquals((await verifyCache(listCache(`${cache}`)))[0]!.status, "ok");
    Deno.mkdirSync(`${dir}/a/b/c/d/e`, { recursive: true });
    Deno.symlinkSync("../../../../..", `${dir}/a/b/c/d/e/deep`);
    Deno.symlinkSync("a/b/c/d/e/deep/../../../../etc", `${dir}/esc`);
    const [v] = await verifyCache(listCache(`${cache}`));
    assertEquals(v!.status, "modified");
    assertMatch(v!.diff!.unsafe.join("\n"), /^esc: symlink .* points outside/m);
  } finally {
    await mirror.close();
  }
});

Deno.test("a version the mirror lacks is a UserError naming the nearest it has", async () => {
  await using cache = await tempDir(TMP);
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE }],
  });
  try {
    const e = await assertRejects(
      () => fetchGcc(cache, [mirror.url], { download: FAST }, "gcc-11.3.0"),
      UserError,
    );
    assertMatch(e.message, /No mirror has gcc-11\.3\.0 for "powerpc64-linux"/);
    assertStringIncludes(e.hint ?? "", "12.2.0");
  } finally {
    await mirror.close();
  }
});

Deno.test("server errors and stalls are InfraErrors after retries", async (t) => {
  await t.step("HTTP 500", async () => {
    await using cache = await tempDir(TMP);
    const mirror = await startMirror({
      toolchains: [{ version: VERSION, triple: TRIPLE }],
      faults: { status: { code: 500, count: 100 } },
    });
    try {
      const e = await assertRejects(
        () =>
          fetchGcc(cache, [mirror.url], { download: { ...FAST, retries: 1 } }),
        InfraError,
      );
      assertMatch(e.message, /HTTP 500/);
      assertEquals(mirror.archiveGets(VERSION, TRIPLE).length, 2);
    } finally {
      await mirror.close();
    }
  });
  await t.step("a stalled body times out", async () => {
    await using cache = await tempDir(TMP);
    const mirror = await startMirror({
      toolchains: [{ version: VERSION, triple: TRIPLE }],
      faults: { stall: true },
    });
    try {
      const e = await assertRejects(
        () =>
          fetchGcc(cache, [mirror.url], {
            download: {
              retries: 0,
              headersTimeoutMs: 2000,
              idleTimeoutMs: 300,
            },
          }),
        InfraError,
      );
      assertMatch(e.message, /Download failed/);
      assert(!exists(finalDir(`${cache}`)));
    } finally {
      await mirror.close();
    }
  });
  await t.step("an unreachable mirror", async () => {
    await using cache = await tempDir(TMP);
    const e = await assertRejects(
      () =>
        fetchGcc(cache, ["http://127.0.0.1:9"], {
          download: { ...FAST, retries: 0 },
        }),
      InfraError,
    );
    assertMatch(e.message, /Cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});

Deno.test("the second mirror is used when the first lacks the file", async () => {
  await using cache = await tempDir(TMP);
  await using empty = await startMirror({ toolchains: [] });
  await using full = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE }],
  });
  try {
    const r = await fetchGcc(cache, [empty.url, full.url]);
    assertStringIncludes(r.sourceUrl ?? "", full.url);
  } finally {
    await empty.close();
    await full.close();
  }
});

Deno.test("an unwritable cache is an InfraError that says so", async () => {
  const e = await assertRejects(
    () => fetchGcc("/proc/kcross-cannot-write", ["http://127.0.0.1:9"]),
    InfraError,
  );
  assertMatch(e.message, /Cannot write to the toolchain directory/);
});

Deno.test({
  name:
    "a signed sha256sums.asc is checked with gpgv when a keyring is configured",
  ignore: (() => {
    try {
      Deno.statSync("/usr/bin/gpg");
      Deno.statSync("/usr/bin/gpgv");
      return false;
    } catch {
      return true;
    }
  })(),
  async fn() {
    const good = await makeSigningKey();
    const other = await makeSigningKey();
    const mirror = await startMirror({
      toolchains: [{ version: VERSION, triple: TRIPLE }],
      gpgHome: good.home,
    });
    try {
      await using cache1 = await tempDir(TMP);
      const e = await assertRejects(
        () => fetchGcc(cache1, [mirror.url], { keyring: other.keyring }),
        InfraError,
      );
      assertMatch(e.message, /Bad signature/);
      await using cache2 = await tempDir(TMP);
      const r = await fetchGcc(cache2, [mirror.url], { keyring: good.keyring });
      const marker = JSON.parse(
        Deno.readTextFileSync(`${r.binDir}/../.kcross.json`),
      );
      assertEquals(marker.verifiedBy, "gpgv+sha256sums.asc");
    } finally {
      await mirror.close();
      await removeGpgHome(good.home);
      await removeGpgHome(other.home);
    }
  },
});
