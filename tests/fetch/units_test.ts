import { assertEquals, assertMatch, assertThrows } from "../_support/assert.ts";
import { parseSha256Sums } from "../../src/fetch/checksums.ts";
import { classifyTarFailure, unsafeEntries } from "../../src/fetch/extract.ts";
import {
  mirrorsFor,
  parseMirror,
  planFetch,
} from "../../src/toolchain/plan_fetch.ts";
import { formatBytes, progressFor } from "../../src/fetch/progress.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { UserError } from "../../src/errors.ts";

Deno.test("parseSha256Sums() reads clear-signed kernel.org lists", () => {
  const a = "a".repeat(64);
  const b = "B".repeat(64);
  const text = [
    "-----BEGIN PGP SIGNED MESSAGE-----",
    "Hash: SHA256",
    "",
    `${a}  x86_64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz`,
    `${b} *x86_64-gcc-12.2.0-nolibc-m68k-linux.tar.xz`,
    "-----BEGIN PGP SIGNATURE-----",
    `${a}  not-a-real-line.tar.xz`,
    "-----END PGP SIGNATURE-----",
  ].join("\n");
  const m = parseSha256Sums(text);
  assertEquals(m.size, 2);
  assertEquals(
    m.get("x86_64-gcc-12.2.0-nolibc-m68k-linux.tar.xz"),
    "b".repeat(64),
  );
});

Deno.test("unsafeEntries() flags escaping links and special files only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    Deno.mkdirSync(`${dir}/a/b`, { recursive: true });
    Deno.symlinkSync("../b", `${dir}/a/b/ok`);
    Deno.symlinkSync("../../..", `${dir}/a/b/up`);
    Deno.symlinkSync("/etc/passwd", `${dir}/a/abs`);
    await new Deno.Command("mkfifo", { args: [`${dir}/a/fifo`] }).output();
    // A chain: "deep" resolves to the top, "esc" looks inside as text.
    Deno.mkdirSync(`${dir}/c/d`, { recursive: true });
    Deno.symlinkSync("../..", `${dir}/c/d/deep`);
    Deno.symlinkSync("c/d/deep/../../x", `${dir}/esc`);
    Deno.symlinkSync("loop2", `${dir}/loop1`);
    Deno.symlinkSync("loop1", `${dir}/loop2`);
    Deno.symlinkSync("missing/../../..", `${dir}/c/dangling`);
    const found = unsafeEntries(dir).sort();
    assertEquals(found.length, 7, found.join("\n"));
    assertMatch(
      found.join("\n"),
      /^esc: symlink "c\/d\/deep\/\.\.\/\.\.\/x" points outside/m,
    );
    assertMatch(found.join("\n"), /^loop1: symlink "loop2" loops/m);
    assertMatch(found.join("\n"), /^c\/dangling: symlink/m);
    assertMatch(found.join("\n"), /a\/abs: symlink to absolute path/);
    assertMatch(
      found.join("\n"),
      /a\/b\/up: symlink "\.\.\/\.\.\/\.\." points outside/,
    );
    assertMatch(found.join("\n"), /a\/fifo: special file/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("classifyTarFailure() tells disk full, unsafe, truncated and corrupt apart", () => {
  assertEquals(
    classifyTarFailure("tar: x: Cannot write: No space left on device"),
    "disk-full",
  );
  assertEquals(
    classifyTarFailure("tar: Removing leading `/' from member names"),
    "unsafe",
  );
  assertEquals(
    classifyTarFailure("xz: (stdin): Unexpected end of input"),
    "truncated",
  );
  assertEquals(
    classifyTarFailure("xz: (stdin): File format not recognized"),
    "corrupt",
  );
  assertEquals(classifyTarFailure(""), undefined);
});

Deno.test("parseMirror() accepts base URLs and make.cross URL= values", () => {
  assertEquals(parseMirror("http://127.0.0.1:8080/", "gcc"), {
    name: "http://127.0.0.1:8080",
    base: "http://127.0.0.1:8080",
    layout: "crosstool",
  });
  assertEquals(
    parseMirror("https://download.01.org/0day-ci/cross-package", "gcc").layout,
    "cross-package",
  );
  assertEquals(
    parseMirror("https://cdn.kernel.org/pub/tools/llvm/files", "clang"),
    {
      name: "https://cdn.kernel.org",
      base: "https://cdn.kernel.org",
      layout: "llvm",
    },
  );
  assertThrows(() => parseMirror("ftp.example.org", "gcc"), UserError);
});

Deno.test("mirrorsFor() prefers explicit mirrors, then KCROSS_MIRROR, then data", () => {
  const env = (n: string) =>
    n === "KCROSS_MIRROR" ? "http://a, http://b" : undefined;
  assertEquals(mirrorsFor("gcc", [], env).map((m) => m.base), [
    "http://a",
    "http://b",
  ]);
  assertEquals(mirrorsFor("gcc", ["http://c"], env).map((m) => m.base), [
    "http://c",
  ]);
  assertEquals(
    mirrorsFor("gcc", undefined, () => undefined).map((m) => m.layout),
    ["crosstool", "cross-package"],
  );
});

Deno.test("planFetch() lays out 01.org and LLVM archives and the cache paths", () => {
  const p = planFetch({
    family: "gcc",
    version: "7.4.0",
    triple: "arm-linux-gnueabi",
    mirrors: mirrorsFor("gcc", undefined, () => undefined),
    root: "/r",
    cacheDir: "/c",
  });
  // 7.4.0 only exists on 01.org: that mirror goes first.
  assertEquals(
    p.sources[0]!.url,
    "https://download.01.org/0day-ci/cross-package/gcc-7.4.0-nolibc/x86_64-gcc-7.4.0-nolibc_arm-linux-gnueabi.tar.xz",
  );
  assertEquals(p.sources[0]!.sumsUrl, null);
  // The install lock is in the install root (shared by every cache), the
  // download lock next to the partial download in the cache.
  assertEquals(
    p.lockFile,
    "/r/.kcross-locks/gcc-7.4.0-nolibc__arm-linux-gnueabi.lock",
  );
  assertEquals(
    p.downloadLockFile,
    "/c/locks/gcc-7.4.0-nolibc__arm-linux-gnueabi.lock",
  );
  assertEquals(p.stagingParent, "/r/.kcross-staging");
  const l = planFetch({
    family: "clang",
    version: "15.0.7",
    mirrors: mirrorsFor("clang", undefined, () => undefined),
    root: "/r",
    cacheDir: "/c",
  });
  assertEquals(
    l.sources[0]!.url,
    "https://cdn.kernel.org/pub/tools/llvm/files/llvm-15.0.7-x86_64.tar.xz",
  );
  assertEquals(l.finalDir, "/r/llvm-15.0.7-x86_64");
  assertEquals(l.checkFile, "bin/clang");
});

Deno.test("progress prints plain periodic lines without a TTY and nothing when quiet", () => {
  let t = 0;
  const out = recordingOutput();
  const p = progressFor(out, "a.tar.xz", { now: () => t, intervalMs: 1000 });
  p.update(1024 * 1024, 4 * 1024 * 1024);
  t = 500;
  p.update(2 * 1024 * 1024, 4 * 1024 * 1024);
  t = 2000;
  p.update(3 * 1024 * 1024, 4 * 1024 * 1024);
  p.finish();
  assertEquals(out.stderr.length, 2);
  assertMatch(
    out.stderr[1]!,
    /^a\.tar\.xz 3\.0 MB\/4\.0 MB \(75%\) 1\.5 MB\/s ETA 1s$/,
  );
  const quiet = progressFor(undefined, "x");
  quiet.update(1, 2);
  quiet.finish();
  assertEquals(formatBytes(1536), "1.5 kB");
});
