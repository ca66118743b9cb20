import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../_support/assert.ts";
import { buildCrosstoolArchive, startMirror } from "../_support/mirror.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

const FAST_PATH = new URL("../../src/toolchain/fast_path.bash", import.meta.url)
  .pathname;

interface Run {
  code: number;
  stdout: string[];
  stderr: string[];
}

/** Runs kcross in its own process (the environment is per process). */
let currentCache = "";
async function kcross(args: string[]): Promise<Run> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: {
      KCROSS_CACHE_DIR: currentCache,
      HOME: currentCache,
      // Checked empty after each test: kcross leaves nothing in $TMPDIR.
      TMPDIR: `${currentCache}/tmp`,
      PATH: "/usr/local/bin:/usr/bin:/bin",
      NO_COLOR: "1",
      // The loopback mirror's throwaway signing key (set by startMirror).
      KCROSS_GPG_KEYRING: Deno.env.get("KCROSS_GPG_KEYRING") ?? "",
    },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const lines = (b: Uint8Array) =>
    new TextDecoder().decode(b).split("\n").filter((l) => l);
  return { code: r.code, stdout: lines(r.stdout), stderr: lines(r.stderr) };
}

async function withCache(
  fn: (cache: string) => Promise<void>,
): Promise<void> {
  const cache = await Deno.makeTempDir({ prefix: "kcross-tccli-" });
  currentCache = cache;
  try {
    Deno.mkdirSync(`${cache}/tmp`);
    await fn(cache);
    const left = [...Deno.readDirSync(`${cache}/tmp`)].map((e) => e.name);
    assertEquals(left, [], "kcross left files in $TMPDIR");
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
}

async function fastPath(
  cache: string,
  compiler: string,
  arch: string,
): Promise<string> {
  const r = await new Deno.Command("bash", {
    args: ["-c", `bash "$0" "$1" "$2" || echo MISS`, FAST_PATH, compiler, arch],
    env: { KCROSS_CACHE_DIR: cache },
    stdout: "piped",
  }).output();
  return new TextDecoder().decode(r.stdout).trim();
}

Deno.test("toolchain import installs a local crosstool tarball, usable offline", async () => {
  await withCache(async (cache) => {
    const archive = await buildCrosstoolArchive(`${cache}/in`, {
      version: "12.2.0",
      triple: "powerpc64-linux",
    });
    let out: Run;
    assertEquals(
      (out = await kcross(["toolchain", "import", archive])).code,
      0,
    );
    assertMatch(out.stdout.join("\n"), /gcc-12\.2\.0 for powerpc64-linux: /);
    const marker = JSON.parse(Deno.readTextFileSync(
      `${cache}/toolchains/gcc-12.2.0-nolibc/powerpc64-linux/.kcross.json`,
    ));
    assertEquals(marker.provider, "import");
    assertEquals(marker.verifiedBy, "import");
    let path: Run;
    assertEquals(
      (path = await kcross([
        "toolchain",
        "path",
        "gcc-12.2.0",
        "powerpc64",
        "--triple",
        "powerpc64-linux",
        "--offline",
      ])).code,
      0,
    );
    assertEquals(path.stdout, [
      `${cache}/toolchains/gcc-12.2.0-nolibc/powerpc64-linux/bin/powerpc64-linux-`,
    ]);
    let again: Run;
    assertEquals(
      (again = await kcross(["toolchain", "import", archive])).code,
      0,
    );
    assertStringIncludes(again.stdout.join("\n"), "already installed");
  });
});

Deno.test("toolchain path --triple-from picks the triple from a .config; --config is its deprecated spelling", async () => {
  await withCache(async (cache) => {
    const archive = await buildCrosstoolArchive(`${cache}/in`, {
      version: "12.2.0",
      triple: "powerpc64-linux",
    });
    assertEquals((await kcross(["toolchain", "import", archive])).code, 0);
    const config = `${cache}/dot-config`;
    Deno.writeTextFileSync(config, "CONFIG_PPC64=y\n");
    const prefix =
      `${cache}/toolchains/gcc-12.2.0-nolibc/powerpc64-linux/bin/powerpc64-linux-`;
    const words = ["toolchain", "path", "gcc-12.2.0", "powerpc", "--offline"];
    const now = await kcross([...words, "--triple-from", config]);
    assertEquals([now.code, now.stdout], [0, [prefix]]);
    assert(!now.stderr.some((l) => l.includes("deprecated")), now.stderr[0]);
    const old = await kcross([...words, "--config", config]);
    assertEquals([old.code, old.stdout], [0, [prefix]]);
    assertEquals(
      old.stderr.filter((l) => l.includes("deprecated")),
      [
        "kcross: --config is deprecated, use --triple-from (the old spelling goes away in the next release)",
      ],
    );
  });
});

Deno.test("toolchain import rejects an archive that is not a toolchain", async () => {
  await withCache(async (cache) => {
    Deno.mkdirSync(`${cache}/x/junk`, { recursive: true });
    Deno.writeTextFileSync(`${cache}/x/junk/a`, "a");
    await new Deno.Command("tar", {
      args: ["-cJf", `${cache}/junk.tar.xz`, "-C", `${cache}/x`, "junk"],
    }).output();
    let out: Run;
    assertEquals(
      (out = await kcross(["toolchain", "import", `${cache}/junk.tar.xz`]))
        .code,
      2,
    );
    assertMatch(out.stderr.join("\n"), /not a toolchain archive/);
  });
});

Deno.test("toolchain path records an index entry the bash fast path answers from", async () => {
  await withCache(async (cache) => {
    const mirror = await startMirror({
      toolchains: [{ version: "12.2.0", triple: "powerpc-linux" }],
    });
    try {
      assertEquals(await fastPath(cache, "gcc-12.2.0", "powerpc"), "MISS");
      let out: Run;
      assertEquals(
        (out = await kcross([
          "toolchain",
          "path",
          "gcc-12.2.0",
          "powerpc",
          "--mirror",
          mirror.url,
        ])).code,
        0,
      );
      const prefix =
        `${cache}/toolchains/gcc-12.2.0-nolibc/powerpc-linux/bin/powerpc-linux-`;
      assertEquals(out.stdout, [prefix]);
      // An answer stamps the install's marker, as a full resolve does:
      // `cache gc` ranks installs by its mtime.
      const marker =
        `${cache}/toolchains/gcc-12.2.0-nolibc/powerpc-linux/.kcross.json`;
      const old = new Date("2001-01-01T00:00:00Z");
      Deno.utimeSync(marker, old, old);
      assertEquals(await fastPath(cache, "gcc-12.2.0", "powerpc"), prefix);
      const stamped = Deno.statSync(marker).mtime!.getTime();
      assert(stamped > old.getTime() + 86_400_000, `marker not stamped`);
      // Other words are never answered by the fast path.
      assertEquals(await fastPath(cache, "gcc-12", "powerpc"), "MISS");
      assertEquals(await fastPath(cache, "gcc-12.2.0", "powerpc64"), "MISS");
      // A removed toolchain makes the entry stale: the fast path steps aside.
      Deno.removeSync(`${cache}/toolchains/gcc-12.2.0-nolibc`, {
        recursive: true,
      });
      assertEquals(await fastPath(cache, "gcc-12.2.0", "powerpc"), "MISS");
    } finally {
      await mirror.close();
    }
  });
});

Deno.test("toolchain list shows releases, sources and installs", async () => {
  await withCache(async () => {
    let out: Run;
    assertEquals((out = await kcross(["toolchain", "list", "--json"])).code, 0);
    const rows = JSON.parse(out.stdout.join("\n")) as {
      compiler: string;
      source: string;
    }[];
    const g = rows.find((r) => r.compiler === "gcc-11.2.0");
    assertEquals(g?.source, "crosstool, cross-package");
    assert(rows.some((r) => r.compiler === "llvm-15.0.7"), "llvm listed");
    let inst: Run;
    assertEquals(
      (inst = await kcross(["toolchain", "list", "--installed"])).code,
      0,
    );
    assertEquals(inst.stdout, []);
  });
});

Deno.test("a partial version prints what it resolved to", async () => {
  await withCache(async () => {
    let out: Run;
    const code =
      (out = await kcross(["toolchain", "fetch", "gcc-9", "m68k", "--offline"]))
        .code;
    assertEquals(code, 2);
    assertMatch(out.stderr.join("\n"), /Resolved gcc-9 to gcc-9\.5\.0/);
    assertMatch(out.stderr.join("\n"), /not installed and kcross is offline/);
  });
});

Deno.test("bad toolchain command lines are user errors", async () => {
  for (
    const args of [
      ["toolchain"],
      ["toolchain", "frob"],
      ["toolchain", "fetch", "gcc-12.2.0"],
      ["toolchain", "fetch", "icc", "powerpc"],
      ["toolchain", "path", "gcc-12.2.0", "vax"],
    ]
  ) {
    let out: Run;
    assertEquals((out = await kcross(args)).code, 2, args.join(" "));
    assertMatch(out.stderr[0] ?? "", /^error: /);
  }
});

Deno.test({
  name:
    "--system --install-package installs the distro gcc package, then uses it",
  ignore: Deno.uid() !== 0,
  async fn() {
    await withCache(async (cache) => {
      const bin = `${cache}/fakebin`;
      Deno.mkdirSync(bin);
      // A stand-in apt-get: "installing" gcc-13-m68k-linux-gnu puts a gcc on PATH.
      const gcc = `${bin}/m68k-linux-gnu-gcc-13`;
      Deno.writeTextFileSync(
        `${bin}/apt-get`,
        `#!/bin/sh\necho "apt-get $*" >> "${cache}/apt.log"\n` +
          `printf '#!/bin/sh\\necho 13.2.0\\n' > "${gcc}"\nchmod +x "${gcc}"\n`,
        { mode: 0o755 },
      );
      const r = await new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          "--quiet",
          MAIN,
          "toolchain",
          "path",
          "gcc-13",
          "m68k",
          "--system",
          "--install-package",
        ],
        env: {
          KCROSS_CACHE_DIR: cache,
          HOME: cache,
          PATH: `${bin}:/usr/bin:/bin`,
        },
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const err = new TextDecoder().decode(r.stderr);
      assertEquals(r.code, 0, err);
      assertEquals(
        Deno.readTextFileSync(`${cache}/apt.log`).trim(),
        "apt-get install -y --no-install-recommends gcc-13-m68k-linux-gnu",
      );
      const prefix = new TextDecoder().decode(r.stdout).trim();
      assertMatch(
        prefix,
        /\/system\/m68k-linux-gnu-gcc-13-13\.2\.0\/m68k-linux\/bin\/m68k-linux-$/,
      );
      assertEquals(Deno.readLinkSync(`${prefix}gcc`), gcc);
    });
  },
});
