/**
 * Resolution against a loopback mirror with the real structure (autoindex
 * listings, per-version names, .tar.sign + sha256sums.asc signed by a
 * throwaway key, LLVM point releases and an rc, 01.org clang): versions come
 * from the listing, every download is verified, every failure mode has its
 * own one-line error and exit code, and nothing is installed on failure.
 */
import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
} from "../_support/assert.ts";
import {
  type MirrorFaults,
  type MirrorOptions,
  startMirror,
} from "../_support/mirror.ts";
import { resolveToolchain } from "../../src/toolchain/mod.ts";
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";
import { exitCodeOf, InfraError, UserError } from "../../src/errors.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { tempDir } from "../_support/temp.ts";

const TMP = "kcross-mirror-t-";

async function withMirror(
  options: MirrorOptions,
  fn: (
    m: Awaited<ReturnType<typeof startMirror>>,
    cache: string,
  ) => Promise<void>,
): Promise<void> {
  await using cache = await tempDir(TMP);
  const m = await startMirror(options);
  try {
    await fn(m, `${cache}`);
  } finally {
    await m.close();
  }
}

function installedAnything(cache: string): boolean {
  try {
    return [...Deno.readDirSync(`${cache}/toolchains`)].some((e) =>
      !e.name.startsWith(".")
    );
  } catch {
    return false;
  }
}

const noSystem = { path: "/nonexistent" };

Deno.test("gcc: underscore and hyphen names, .tar.gz, and a version only on the mirror, all verified by .tar.sign", async (t) => {
  await withMirror({
    toolchains: [
      { version: "7.3.0", triple: "powerpc-linux" },
      { version: "12.2.0", triple: "powerpc64-linux", ext: ".tar.gz" },
      { version: "16.2.0", triple: "powerpc64-linux" },
      { version: "16.1.0", triple: "powerpc64-linux" },
    ],
  }, async (m, cache) => {
    const get = (compiler: string, triple: string) => {
      const out = recordingOutput();
      return resolveToolchain({ compiler, triple }, {
        cacheDir: cache,
        mirrors: [m.url],
        out,
        ...noSystem,
      }).then((r) => ({ r, err: out.stderr.join("\n") }));
    };
    await t.step(
      "7.3.0 is published as …nolibc_powerpc-linux.tar.xz",
      async () => {
        const { r } = await get("gcc-7.3.0", "powerpc-linux");
        assertEquals(r.exactness, "build");
        assertMatch(
          r.sourceUrl ?? "",
          /x86_64-gcc-7\.3\.0-nolibc_powerpc-linux\.tar\.xz$/,
        );
        assertMatch(
          r.verification ?? "",
          /^signature: good [0-9A-F]{40}; sha256: ok/,
        );
      },
    );
    await t.step("a .tar.gz streams through gzip, tar and gpgv", async () => {
      const { r } = await get("gcc-12.2.0", "powerpc64-linux");
      assertMatch(r.sourceUrl ?? "", /\.tar\.gz$/);
      assertMatch(r.verification ?? "", /^signature: good/);
      const v = await new Deno.Command(`${r.crossCompile}gcc`, {
        args: ["-dumpversion"],
        stdout: "piped",
      }).output();
      assert(v.success);
    });
    await t.step(
      "gcc-16 resolves to the newest 16.x the listing has, printed",
      async () => {
        const { r, err } = await get("gcc-16", "powerpc64-linux");
        assertEquals(r.version, "16.2.0");
        assertMatch(err, /Resolved gcc-16 to gcc-16\.2\.0 \(newest listed at /);
        const marker = JSON.parse(
          Deno.readTextFileSync(`${r.binDir}/../.kcross.json`),
        );
        assertEquals(marker.version, "16.2.0");
        assertMatch(marker.verification, /signature: good/);
      },
    );
  });
});

Deno.test("clang: newest point release of a major, an rc only when no release exists, …git as a named substitute", async (t) => {
  await withMirror({
    toolchains: [],
    llvm: [
      { version: "21.1.0" },
      { version: "21.1.8" },
      { version: "21.1.0-rc3" },
      { version: "22.1.8" },
      { version: "23.1.0-rc1" },
      { version: "21.1.8", host: "aarch64" },
    ],
  }, async (m, cache) => {
    const get = (compiler: string, host?: string) => {
      const out = recordingOutput();
      return resolveToolchain({ compiler, triple: "x86_64-linux" }, {
        // Another host's builds go into a cache of their own.
        cacheDir: host ? `${cache}/${host}` : cache,
        mirrors: [m.url],
        out,
        ...(host ? { host } : {}),
      }).then((r) => ({ r, err: out.stderr.join("\n") }));
    };
    await t.step("clang-21 is 21.1.8, not 21.1.0", async () => {
      const { r } = await get("clang-21");
      assertEquals([r.version, r.exactness], ["21.1.8", "build"]);
      assertMatch(r.verification ?? "", /^signature: good/);
    });
    await t.step("clang-23 is the rc, the only build of 23", async () => {
      assertEquals((await get("clang-23")).r.version, "23.1.0-rc1");
    });
    await t.step(
      "clang-22.0.0git is llvm-22.1.8, said in one line and recorded as a substitute",
      async () => {
        const { r, err } = await get("clang-22.0.0git");
        assertEquals([r.version, r.exactness, r.exact], [
          "22.1.8",
          "substitute",
          false,
        ]);
        assertMatch(
          err,
          /development snapshot nobody can download; using llvm-22\.1\.8/,
        );
      },
    );
    await t.step("an arm64 host gets the aarch64 build", async () => {
      const { r } = await get("clang-21", "aarch64");
      assertMatch(r.sourceUrl ?? "", /llvm-21\.1\.8-aarch64\.tar\.xz$/);
      assertMatch(r.binDir, /llvm-21\.1\.8-aarch64\/bin$/);
    });
  });
});

Deno.test("--allow-substitute finds the nearest usable clang for a release the mirror does not list (clang 15.0.0)", async () => {
  await withMirror({
    toolchains: [],
    llvm: [{ version: "15.0.7" }, { version: "16.0.6" }, { version: "14.0.6" }],
  }, async (m, cache) => {
    const request = { compiler: "clang-15.0.0", triple: "x86_64-linux" };
    const e = await assertRejects(
      () => resolveToolchain(request, { cacheDir: cache, mirrors: [m.url] }),
      UserError,
    );
    assertMatch(e.hint ?? "", /15\.0\.7/);
    const out = recordingOutput();
    const r = await resolveToolchain({ ...request, allowSubstitute: true }, {
      cacheDir: cache,
      mirrors: [m.url],
      out,
    });
    // The nearest usable: Debian's clang 15.0.6 when installed, else the
    // mirror's 15.0.7; never another major while 15 exists.
    assertMatch(r.version, /^15\.0\.[67]$/);
    assertEquals(r.exactness, "substitute");
    assertMatch(out.stderr.join("\n"), /using substitute clang 15\.0\.[67]/);
  });
});

Deno.test("01.org cross-package clang-<N> installs as clang-<N>/bin/clang, and only verified or allowed", async () => {
  await withMirror(
    { toolchains: [], crossPackageClang: [{ major: "15" }] },
    async (m, cache) => {
      const opts = { cacheDir: cache, mirrors: [m.crossPackageUrl] };
      const request = { compiler: "clang-15", triple: "x86_64-linux" };
      const e = await assertRejects(
        () => resolveToolchain(request, opts),
        InfraError,
      );
      assertMatch(
        e.message,
        /No checksum for "clang-15\.tar\.xz".*nothing was installed/,
      );
      assertEquals(installedAnything(cache), false);
      const r = await resolveToolchain(request, {
        ...opts,
        allowUnverified: true,
      });
      assertMatch(r.binDir, /\/clang-15\/bin$/);
      assertEquals(r.provider, "cross-package");
      assertMatch(r.verification ?? "", /^unverified \(/);
    },
  );
});

const FAILURES: [string, MirrorFaults, RegExp, number][] = [
  [
    "listing missing",
    { noListing: true },
    /No directory listing at .*\/bin\/x86_64\/ \(HTTP 404\)/,
    3,
  ],
  [
    "listing malformed",
    { malformedListing: true },
    /Unreadable directory listing at .*: not an HTML index/,
    3,
  ],
  [
    "unsigned mirror",
    { unsigned: true },
    /No checksum for ".*": the mirror publishes no \.tar\.sign or sha256sums\.asc .*nothing was installed/,
    3,
  ],
  [
    "bad .tar.sign",
    { badSign: true },
    /Bad signature for ".*" \(.*\.tar\.sign\): BAD signature/,
    3,
  ],
  [
    "bad sha256sums.asc signature",
    { badSumsSignature: true },
    /Bad signature on checksum list .*sha256sums\.asc/,
    3,
  ],
  [
    "listing disagrees with the files",
    { listingLies: true },
    /lists .* but answers 404/,
    3,
  ],
];

for (const [what, faults, message, code] of FAILURES) {
  Deno.test(`a mirror with ${what}: one-line error, exit ${code}, nothing installed, no fallback`, async () => {
    await withMirror({
      toolchains: [{ version: "12.2.0", triple: "powerpc64-linux" }],
      faults,
    }, async (m, cache) => {
      const e = await assertRejects(() =>
        resolveToolchain(
          {
            compiler: "gcc-12.2.0",
            triple: "powerpc64-linux",
          },
          { cacheDir: cache, mirrors: [m.url] },
        )
      );
      assertEquals(exitCodeOf(e), code, String(e));
      assertMatch((e as Error).message, message);
      assertEquals((e as Error).message.includes("\n"), false);
      assertEquals(installedAnything(cache), false);
      // Nor a partial download kept for a resume (the sums file is checked
      // while the archive downloads: a bad one stops it).
      let parts: string[] = [];
      try {
        parts = [...Deno.readDirSync(`${cache}/downloads`)].map((d) => d.name)
          .filter((n) => n.endsWith(".part"));
      } catch { /* no downloads dir */ }
      assertEquals(parts, []);
    });
  });
}

Deno.test("a bad sha256sums.asc signature found while the archive downloads stops it: that error, no partial download kept", async () => {
  await withMirror({
    toolchains: [{ version: "12.2.0", triple: "powerpc64-linux" }],
    bytesPerSecond: 20_000,
    faults: { badSumsSignature: true },
  }, async (m, cache) => {
    const e = await assertRejects(() =>
      resolveToolchain(
        { compiler: "gcc-12.2.0", triple: "powerpc64-linux" },
        { cacheDir: cache, mirrors: [m.url] },
      )
    );
    assertEquals(exitCodeOf(e), 3, String(e));
    assertMatch(String(e), /Bad signature on checksum list .*sha256sums\.asc/);
    assertEquals(installedAnything(cache), false);
    const left = [...Deno.readDirSync(`${cache}/downloads`)].map((d) => d.name);
    assertEquals(left.filter((n) => n.endsWith(".part")), []);
  });
});

Deno.test("an unsigned mirror installs with allowUnverified and says so in the marker", async () => {
  await withMirror({
    toolchains: [{ version: "12.2.0", triple: "powerpc64-linux" }],
    faults: { unsigned: true },
  }, async (m, cache) => {
    const r: ResolvedToolchain = await resolveToolchain(
      { compiler: "gcc-12.2.0", triple: "powerpc64-linux" },
      { cacheDir: cache, mirrors: [m.url], allowUnverified: true, ...noSystem },
    );
    assertMatch(
      r.verification ?? "",
      /^unverified \(the mirror publishes no \.tar\.sign/,
    );
  });
});

Deno.test("the test mirror removes its temp dir when it cannot start and when it is closed (once, however often)", async () => {
  await using parent = await tempDir(TMP);
  const left = () => [...Deno.readDirSync(`${parent}`)].map((e) => e.name);
  await assertRejects(() =>
    startMirror({
      toolchains: [{
        version: "12.2.0",
        triple: "powerpc64-linux",
        archive: `${parent}/missing.tar.xz`,
      }],
      parent: `${parent}`,
    })
  );
  assertEquals(left(), []);
  {
    await using m = await startMirror({ toolchains: [], parent: `${parent}` });
    assertEquals(left().length, 1);
    await m.close();
  }
  assertEquals(left(), []);
});
