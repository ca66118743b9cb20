import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { startMirror } from "../_support/mirror.ts";
import { exists, tempDir } from "../_support/temp.ts";

const TMP = "kcross-proc-";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const VERSION = "12.2.0";
const TRIPLE = "powerpc64-linux";

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

function fetchArgs(url: string): string[] {
  return [
    "toolchain",
    "fetch",
    `gcc-${VERSION}`,
    "powerpc64",
    "--triple",
    TRIPLE,
    "--mirror",
    url,
  ];
}

Deno.test("concurrent fetches of one toolchain cause one download and all succeed", async () => {
  await using cache = await tempDir(TMP);
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE, padBytes: 300_000 }],
    bytesPerSecond: 400_000,
  });
  try {
    const children = Array.from(
      { length: 4 },
      () => kcross(fetchArgs(mirror.url), `${cache}`),
    );
    const results = await Promise.all(children.map((c) => c.output()));
    for (const r of results) {
      assert(r.success, new TextDecoder().decode(r.stderr));
      assertMatch(
        new TextDecoder().decode(r.stdout),
        /CROSS_COMPILE=.*\/gcc-12\.2\.0-nolibc\/powerpc64-linux\/bin\/powerpc64-linux-/,
      );
    }
    assertEquals(mirror.archiveGets(VERSION, TRIPLE).length, 1);
  } finally {
    await mirror.close();
  }
});

Deno.test("a fetch killed mid-download leaves no half entry and the next one resumes", async () => {
  await using cache = await tempDir(TMP);
  const mirror = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE, padBytes: 1_500_000 }],
    bytesPerSecond: 500_000,
  });
  try {
    const child = kcross(fetchArgs(mirror.url), `${cache}`);
    // Mid-download: killed once 300 kB of the 1.5 MB (throttled) went out.
    await Promise.race([
      mirror.whenSent(300_000),
      child.status.then((s) => {
        throw new Error(`the fetch ended (${s.code}) before 300 kB were sent`);
      }),
    ]);
    child.kill("SIGKILL");
    const killed = await child.output();
    assert(!killed.success, "the child was killed");
    const final = `${cache}/toolchains/gcc-${VERSION}-nolibc/${TRIPLE}`;
    assert(!exists(final), "no half entry");
    const part =
      `${cache}/downloads/x86_64-gcc-${VERSION}-nolibc-${TRIPLE}.tar.xz.part`;
    assert(Deno.statSync(part).size > 0, "partial download kept");

    mirror.setThrottle(undefined);
    const again = await kcross(fetchArgs(mirror.url), `${cache}`).output();
    assert(again.success, new TextDecoder().decode(again.stderr));
    assert(exists(`${final}/.kcross.json`), "installed");
    const gets = mirror.archiveGets(VERSION, TRIPLE);
    assertEquals(gets.length, 2);
    assertMatch(gets[1]!.range ?? "", /^bytes=[1-9][0-9]*-$/);
    assert(!exists(part), "partial download removed");
    const marker = JSON.parse(Deno.readTextFileSync(`${final}/.kcross.json`));
    assertEquals(marker.archiveSha256, mirror.sha256(VERSION, TRIPLE));
  } finally {
    await mirror.close();
  }
});

Deno.test("exit codes: 2 for an unknown arch or version, 3 for an unreachable mirror", async () => {
  await using cache = await tempDir(TMP);
  const arch = await kcross(
    ["toolchain", "fetch", "gcc-12.2.0", "ppc9"],
    `${cache}`,
  ).output();
  assertEquals(arch.code, 2);
  assertMatch(new TextDecoder().decode(arch.stderr), /Unknown arch "ppc9"/);
  const version = await kcross(
    ["toolchain", "fetch", "gcc-11.2.7", "powerpc"],
    `${cache}`,
  ).output();
  assertEquals(version.code, 2);
  assertMatch(
    new TextDecoder().decode(version.stderr),
    /Unknown gcc version "gcc-11\.2\.7"[\s\S]*nearest known: gcc-11\.2\.0/,
  );
  // 9.3.0: no distro gcc of that version can stand in.
  const down = await kcross(
    [
      "toolchain",
      "fetch",
      "gcc-9.3.0",
      "m68k",
      "--mirror",
      "http://127.0.0.1:9",
    ],
    `${cache}`,
  ).output();
  assertEquals(down.code, 3);
  assertMatch(new TextDecoder().decode(down.stderr), /Cannot reach/);
});
