/**
 * `kcross toolchain prefetch` then `--offline`, `toolchain trust`, and the
 * verification status in `toolchain list --installed`.
 */
import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { removeGpgHome, startMirror } from "../_support/mirror.ts";
import { haveDebianPpc64 } from "../_support/system_gcc.ts";
import { exists, tempDir } from "../_support/temp.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const KEYS = new URL("../../toolchains/keys/", import.meta.url).pathname;

async function kcross(
  cache: string,
  args: string[],
  extra: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: {
      KCROSS_CACHE_DIR: cache,
      KCROSS_STATE_DIR: `${cache}/state`,
      HOME: cache,
      PATH: "/usr/local/bin:/usr/bin:/bin",
      NO_COLOR: "1",
      ...extra,
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

Deno.test({
  name:
    "prefetch --compilers --arches downloads and verifies, then --offline answers from the cache",
  ignore: !haveDebianPpc64,
  async fn() {
    await using cache = await tempDir("kcross-prefetch-");
    const mirror = await startMirror({
      toolchains: [
        { version: "12.2.0", triple: "powerpc-linux" },
        { version: "12.2.0", triple: "powerpc64-linux" },
      ],
      llvm: [{ version: "21.1.8" }],
    });
    try {
      const env = { KCROSS_GPG_KEYRING: mirror.keyring };
      const r = await kcross(`${cache}`, [
        "toolchain",
        "prefetch",
        "--compilers",
        "gcc-12.2.0,clang-21",
        "--arches",
        "powerpc",
        "--mirror",
        mirror.url,
      ], env);
      assertEquals(r.code, 0, r.stderr);
      assertMatch(r.stderr, /prefetch \[#{20}\] 3\/3 done/);
      assertMatch(
        r.stdout,
        /gcc-12\.2\.0 powerpc64-linux: gcc-12\.2\.0-nolibc\/powerpc64-linux \(signature: good/,
      );
      assertMatch(
        r.stdout,
        /clang-21 powerpc-linux: llvm-21\.1\.8-x86_64 \(signature: good/,
      );
      const off = await kcross(`${cache}`, [
        "toolchain",
        "path",
        "gcc-12.2.0",
        "powerpc",
        "--offline",
      ], env);
      assertEquals(off.code, 0, off.stderr);
      assertMatch(
        off.stdout,
        /gcc-12\.2\.0-nolibc\/powerpc-linux\/bin\/powerpc-linux-$/m,
      );
      const list = await kcross(`${cache}`, [
        "toolchain",
        "list",
        "--installed",
      ], env);
      assertMatch(
        list.stdout,
        /gcc-12\.2\.0 .*\[signature: good [0-9A-F]{40}; sha256: ok/,
      );
      const json = JSON.parse(
        (await kcross(`${cache}`, [
          "toolchain",
          "list",
          "--installed",
          "--json",
        ], env)).stdout,
      );
      assertMatch(json[0].verification, /^signature: good/);
    } finally {
      await mirror.close();
    }
  },
});

Deno.test("prefetch --from-reports reads the compiler and arch of each report", async () => {
  await using cache = await tempDir("kcross-prefetch-");
  const reports = `${cache}/reports`;
  Deno.mkdirSync(reports);
  Deno.writeTextFileSync(
    `${reports}/a.eml`,
    "config: powerpc-allmodconfig\ncompiler: powerpc-linux-gcc (GCC) 11.2.0\n",
  );
  const r = await kcross(`${cache}`, [
    "toolchain",
    "prefetch",
    "--from-reports",
    reports,
    "--mirror",
    "http://127.0.0.1:9",
    "--quiet",
  ]);
  // The mirror is unreachable: the plan was right, the fetch failed (exit 3).
  assertEquals(r.code, 3, r.stderr);
  assertMatch(r.stdout, /^gcc-11\.2\.0 powerpc-linux: FAILED: /m);
  assertMatch(r.stderr, /^error: 1 of 1 toolchains could not be prefetched/m);
});

Deno.test("toolchain trust checks the fingerprint against the pinned keys", async () => {
  await using cache = await tempDir("kcross-trust-");
  const arnd = `${KEYS}88AFCD206B1611957187F16B60AB47FFC9095227.asc`;
  const ok = await kcross(`${cache}`, ["toolchain", "trust", arnd]);
  assertEquals(ok.code, 0, ok.stderr);
  assertMatch(
    ok.stdout,
    /^Trusted 88AFCD206B1611957187F16B60AB47FFC9095227 \(pinned by kcross\)/,
  );
  // A key nobody pinned needs its fingerprint named.
  const gpgHome = `${cache}/gpg`;
  Deno.mkdirSync(gpgHome, { mode: 0o700 });
  // gpg leaves an agent running for the home: stopped before it goes.
  await using _agent = {
    [Symbol.asyncDispose]: () => removeGpgHome(gpgHome),
  };
  const gen = await new Deno.Command("gpg", {
    args: [
      "--batch",
      "--passphrase",
      "",
      "--quick-gen-key",
      "t <t@t.invalid>",
      "ed25519",
      "sign",
      "never",
    ],
    env: { GNUPGHOME: gpgHome },
    stderr: "null",
  }).output();
  assertEquals(gen.code, 0);
  const exp = await new Deno.Command("gpg", {
    args: ["--batch", "--armor", "--output", `${cache}/other.asc`, "--export"],
    env: { GNUPGHOME: gpgHome },
  }).output();
  assertEquals(exp.code, 0);
  const refused = await kcross(`${cache}`, [
    "toolchain",
    "trust",
    `${cache}/other.asc`,
  ]);
  assertEquals(refused.code, 2);
  assertMatch(
    refused.stderr,
    /^error: Key in ".*" has fingerprint [0-9A-F]{40}, which kcross does not pin$/m,
  );
  const fpr = /fingerprint ([0-9A-F]{40})/.exec(refused.stderr)![1]!;
  const wrong = await kcross(`${cache}`, [
    "toolchain",
    "trust",
    `${cache}/other.asc`,
    "--fingerprint",
    "0".repeat(40),
  ]);
  assertEquals(wrong.code, 2);
  const named = await kcross(`${cache}`, [
    "toolchain",
    "trust",
    `${cache}/other.asc`,
    "--fingerprint",
    fpr,
  ]);
  assertEquals(named.code, 0, named.stderr);
  assertEquals(
    [...Deno.readDirSync(`${cache}/state/keys`)].map((e) => e.name).sort(),
    [`88AFCD206B1611957187F16B60AB47FFC9095227.asc`, `${fpr}.asc`].sort(),
  );
});

Deno.test("toolchain trust refuses a pinned key with another key appended (gpgv would trust both)", async () => {
  await using cache = await tempDir("kcross-trust-");
  const gpgHome = `${cache}/gpg`;
  Deno.mkdirSync(gpgHome, { mode: 0o700 });
  await using _agent = {
    [Symbol.asyncDispose]: () => removeGpgHome(gpgHome),
  };
  const gpg = async (...args: string[]) => {
    const r = await new Deno.Command("gpg", {
      args: ["--batch", ...args],
      env: { GNUPGHOME: gpgHome },
      stderr: "null",
    }).output();
    assertEquals(r.code, 0, args.join(" "));
  };
  await gpg("--import", `${KEYS}88AFCD206B1611957187F16B60AB47FFC9095227.asc`);
  await gpg(
    "--passphrase",
    "",
    "--quick-gen-key",
    "evil <e@e.invalid>",
    "ed25519",
    "sign",
    "never",
  );
  // One armored block holding both keys, the pinned one first; and the
  // same as binary packets.
  await gpg("--armor", "--output", `${cache}/both.asc`, "--export");
  await gpg("--output", `${cache}/both.gpg`, "--export");
  for (const file of ["both.asc", "both.gpg"]) {
    const r = await kcross(`${cache}`, [
      "toolchain",
      "trust",
      `${cache}/${file}`,
    ]);
    assertEquals(r.code, 2, r.stderr);
    assertMatch(
      r.stderr,
      /^error: Key file ".*" holds 2 keys \(88AFCD206B1611957187F16B60AB47FFC9095227, [0-9A-F]{40}\); kcross trusts one key per file$/m,
    );
    assert(!r.stderr.includes("    at "), r.stderr);
    assert(!exists(`${cache}/state/keys`), "nothing trusted");
  }
});
