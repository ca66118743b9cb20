import {
  assert,
  assertEquals,
  assertMatch,
  assertStringIncludes,
} from "../_support/assert.ts";
import { buildCrosstoolArchive, startMirror } from "../_support/mirror.ts";
import { main } from "../../main.ts";
import { recordingOutput } from "../../src/cli/output.ts";

const FAST_PATH = new URL("../../src/toolchain/fast_path.bash", import.meta.url)
  .pathname;

async function withCache(
  fn: (cache: string) => Promise<void>,
): Promise<void> {
  const cache = await Deno.makeTempDir({ prefix: "kcross-tccli-" });
  const saved = Deno.env.get("KCROSS_CACHE_DIR");
  const savedCip = Deno.env.get("COMPILER_INSTALL_PATH");
  Deno.env.set("KCROSS_CACHE_DIR", cache);
  Deno.env.delete("COMPILER_INSTALL_PATH");
  try {
    await fn(cache);
  } finally {
    if (saved === undefined) Deno.env.delete("KCROSS_CACHE_DIR");
    else Deno.env.set("KCROSS_CACHE_DIR", saved);
    if (savedCip !== undefined) Deno.env.set("COMPILER_INSTALL_PATH", savedCip);
    await Deno.remove(cache, { recursive: true });
  }
}

async function fastPath(
  cache: string,
  compiler: string,
  arch: string,
): Promise<string> {
  const r = await new Deno.Command("bash", {
    args: ["-c", `source "$0" "$1" "$2"; echo MISS`, FAST_PATH, compiler, arch],
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
    const out = recordingOutput();
    assertEquals(await main(["toolchain", "import", archive], { out }), 0);
    assertMatch(out.stdout.join("\n"), /gcc-12\.2\.0 for powerpc64-linux: /);
    const marker = JSON.parse(Deno.readTextFileSync(
      `${cache}/toolchains/gcc-12.2.0-nolibc/powerpc64-linux/.kcross.json`,
    ));
    assertEquals(marker.provider, "import");
    assertEquals(marker.verifiedBy, "import");
    const path = recordingOutput();
    assertEquals(
      await main([
        "toolchain",
        "path",
        "gcc-12.2.0",
        "powerpc64",
        "--triple",
        "powerpc64-linux",
        "--offline",
      ], { out: path }),
      0,
    );
    assertEquals(path.stdout, [
      `${cache}/toolchains/gcc-12.2.0-nolibc/powerpc64-linux/bin/powerpc64-linux-`,
    ]);
    const again = recordingOutput();
    assertEquals(
      await main(["toolchain", "import", archive], { out: again }),
      0,
    );
    assertStringIncludes(again.stdout.join("\n"), "already installed");
  });
});

Deno.test("toolchain import rejects an archive that is not a toolchain", async () => {
  await withCache(async (cache) => {
    Deno.mkdirSync(`${cache}/x/junk`, { recursive: true });
    Deno.writeTextFileSync(`${cache}/x/junk/a`, "a");
    await new Deno.Command("tar", {
      args: ["-cJf", `${cache}/junk.tar.xz`, "-C", `${cache}/x`, "junk"],
    }).output();
    const out = recordingOutput();
    assertEquals(
      await main(["toolchain", "import", `${cache}/junk.tar.xz`], { out }),
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
      const out = recordingOutput();
      assertEquals(
        await main([
          "toolchain",
          "path",
          "gcc-12.2.0",
          "powerpc",
          "--mirror",
          mirror.url,
        ], { out }),
        0,
      );
      const prefix =
        `${cache}/toolchains/gcc-12.2.0-nolibc/powerpc-linux/bin/powerpc-linux-`;
      assertEquals(out.stdout, [prefix]);
      assertEquals(await fastPath(cache, "gcc-12.2.0", "powerpc"), prefix);
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
    const out = recordingOutput();
    assertEquals(await main(["toolchain", "list", "--json"], { out }), 0);
    const rows = JSON.parse(out.stdout.join("\n")) as {
      compiler: string;
      source: string;
    }[];
    const g = rows.find((r) => r.compiler === "gcc-11.2.0");
    assertEquals(g?.source, "crosstool, cross-package");
    assert(rows.some((r) => r.compiler === "llvm-15.0.7"), "llvm listed");
    const inst = recordingOutput();
    assertEquals(
      await main(["toolchain", "list", "--installed"], { out: inst }),
      0,
    );
    assertEquals(inst.stdout, []);
  });
});

Deno.test("a partial version prints what it resolved to", async () => {
  await withCache(async () => {
    const out = recordingOutput();
    const code = await main(
      ["toolchain", "fetch", "gcc-9", "m68k", "--offline"],
      { out },
    );
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
    const out = recordingOutput();
    assertEquals(await main(args, { out }), 2, args.join(" "));
    assertMatch(out.stderr[0] ?? "", /^error: /);
  }
});
