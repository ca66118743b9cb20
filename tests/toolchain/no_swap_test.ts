/**
 * An integrity or network failure of a kernel.org gcc is an error, never a
 * quiet answer with Debian's gcc of the same version (issue 10, point 5).
 */
import { assertEquals, assertMatch } from "../_support/assert.ts";
import { type MirrorFaults, startMirror } from "../_support/mirror.ts";
import { haveDebianPpc64 } from "../_support/system_gcc.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

async function kcross(
  cache: string,
  keyring: string,
  args: string[],
): Promise<{ code: number; stderr: string; stdout: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: {
      KCROSS_CACHE_DIR: cache,
      HOME: cache,
      PATH: "/usr/local/bin:/usr/bin:/bin",
      NO_COLOR: "1",
      KCROSS_FETCH_TIMEOUT: "5",
      KCROSS_GPG_KEYRING: keyring,
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code: r.code,
    stderr: new TextDecoder().decode(r.stderr),
    stdout: new TextDecoder().decode(r.stdout),
  };
}

const CASES: [string, MirrorFaults, RegExp][] = [
  ["a checksum mismatch", { tamper: true }, /Checksum mismatch|corrupt/],
  ["a wrong published digest", { wrongSums: true }, /Checksum mismatch/],
  ["a bad .tar.sign", { badSign: true }, /Bad signature for .*\.tar\.sign/],
  [
    "a signature by an untrusted key",
    { foreignKey: true },
    /Bad signature .*does not trust/,
  ],
  [
    "a bad sha256sums.asc signature",
    { badSumsSignature: true },
    /Bad signature on checksum list .*sha256sums\.asc/,
  ],
  [
    "a listing that names files the mirror then 404s",
    { listingLies: true },
    /lists .* but answers 404/,
  ],
  [
    "a 404 on every archive request",
    { status: { code: 404, count: 1000 } },
    /lists .* but answers 404/,
  ],
  ["a 500 on every try", { status: { code: 500, count: 1000 } }, /HTTP 500/],
];

for (const [what, faults, message] of CASES) {
  Deno.test({
    name:
      `toolchain fetch gcc-12.2.0 with ${what} exits 3 and never answers with Debian's gcc`,
    ignore: !haveDebianPpc64,
    async fn() {
      const cache = await Deno.makeTempDir({ prefix: "kcross-noswap-" });
      const mirror = await startMirror({
        toolchains: [{ version: "12.2.0", triple: "powerpc-linux" }],
        faults,
      });
      try {
        const r = await kcross(cache, mirror.keyring, [
          "toolchain",
          "fetch",
          "gcc-12.2.0",
          "powerpc",
          "--mirror",
          mirror.url,
          "--allow-unverified",
        ]);
        assertEquals(r.code, 3, r.stderr);
        assertMatch(r.stderr, /^error: /m);
        assertMatch(r.stderr, /nothing was installed/);
        assertMatch(r.stderr, message);
        assertEquals(
          [...Deno.readDirSync(cache)].some((e) => e.name === "toolchains") &&
            [...Deno.readDirSync(`${cache}/toolchains`)].some((e) =>
              e.name.startsWith("gcc-")
            ),
          false,
          "nothing installed",
        );
        assertEquals(
          /system|Debian|powerpc64-linux-gnu/.test(
            r.stderr.split("\n").filter((l) => l.startsWith("error:")).join(
              "\n",
            ),
          ),
          false,
          r.stderr,
        );
      } finally {
        await mirror.close();
        await Deno.remove(cache, { recursive: true });
      }
    },
  });
}

Deno.test({
  name:
    "even with --allow-distro an integrity failure exits 3, while an unreachable build may use the distro gcc, recorded as exactness version",
  ignore: !haveDebianPpc64,
  async fn() {
    await using mirror = await startMirror({
      toolchains: [{ version: "12.2.0", triple: "powerpc-linux" }],
      faults: { badSign: true },
    });
    const cache = await Deno.makeTempDir({ prefix: "kcross-noswap-" });
    const args = [
      "toolchain",
      "fetch",
      "gcc-12.2.0",
      "powerpc",
      "--mirror",
      mirror.url,
      "--allow-distro",
      "--json",
    ];
    try {
      const bad = await kcross(cache, mirror.keyring, args);
      assertEquals(bad.code, 3, bad.stderr);
      assertMatch(bad.stderr, /Bad signature/);
      mirror.setFaults({ status: { code: 500, count: 1000 } });
      const down = await kcross(cache, mirror.keyring, args);
      assertEquals(down.code, 0, down.stderr);
      assertMatch(
        down.stderr,
        /a distro build of the same version, not the kernel\.org build/,
      );
      assertMatch(down.stdout, /"exactness": "version"/);
    } finally {
      await mirror.close();
      await Deno.remove(cache, { recursive: true });
    }
  },
});
