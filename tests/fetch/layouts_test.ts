import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
} from "../_support/assert.ts";
import { buildCrosstoolArchive, startMirror } from "../_support/mirror.ts";
import { resolveToolchain } from "../../src/toolchain/mod.ts";
import { InfraError } from "../../src/errors.ts";
import { tempDir } from "../_support/temp.ts";

const TMP = "kcross-layouts-";

const haveLlvm15 = (() => {
  try {
    Deno.statSync("/usr/lib/llvm-15/bin/clang");
    return true;
  } catch {
    return false;
  }
})();

Deno.test({
  name:
    "clang-15 resolves to kernel.org's llvm-15.0.7 build, fetched and verified",
  ignore: !haveLlvm15,
  async fn() {
    await using cache = await tempDir(TMP);
    const mirror = await startMirror({
      toolchains: [],
      llvm: [{ version: "15.0.7" }],
    });
    try {
      const r = await resolveToolchain(
        { compiler: "clang-15", triple: "s390-linux" },
        { cacheDir: `${cache}`, mirrors: [mirror.url] },
      );
      assertEquals(r.family, "clang");
      assertEquals(r.provider, "llvm");
      assertEquals(r.version, "15.0.7");
      assertEquals(r.exact, true);
      assertEquals(r.binDir, `${cache}/toolchains/llvm-15.0.7-x86_64/bin`);
      // make.cross uses s390x-linux- for clang builds.
      assertEquals(r.crossCompile, "s390x-linux-");
      const v = await new Deno.Command(`${r.binDir}/clang`, {
        args: ["--version"],
        stdout: "piped",
      }).output();
      assertMatch(new TextDecoder().decode(v.stdout), /clang version 15\./);
    } finally {
      await mirror.close();
    }
  },
});

Deno.test("the 01.org cross-package layout needs a pin or --allow-unverified", async () => {
  await using cache = await tempDir(TMP);
  const mirror = await startMirror({
    toolchains: [{
      version: "7.4.0",
      triple: "powerpc64-linux",
      crossPackage: true,
    }],
  });
  try {
    const e = await assertRejects(
      () =>
        resolveToolchain(
          { compiler: "gcc-7.4.0", triple: "powerpc64-linux" },
          {
            cacheDir: `${cache}`,
            mirrors: [mirror.crossPackageUrl],
            path: "/nonexistent",
          },
        ),
      InfraError,
    );
    assertMatch(
      e.message,
      /No checksum for "x86_64-gcc-7\.4\.0-nolibc_powerpc64-linux\.tar\.xz"/,
    );
    assertMatch(e.hint ?? "", /pins\.json/);
    const r = await resolveToolchain(
      { compiler: "gcc-7.4.0", triple: "powerpc64-linux" },
      {
        cacheDir: `${cache}`,
        mirrors: [mirror.crossPackageUrl],
        path: "/nonexistent",
        allowUnverified: true,
      },
    );
    assertEquals(r.provider, "cross-package");
    assertEquals(
      r.binDir,
      `${cache}/toolchains/gcc-7.4.0-nolibc/powerpc64-linux/bin`,
    );
  } finally {
    await mirror.close();
  }
});

Deno.test("a truncated archive on the mirror is rejected and the partial file dropped", async () => {
  await using cache = await tempDir(TMP);
  await using work = await tempDir(TMP);
  const good = await buildCrosstoolArchive(`${work}`, {
    version: "12.2.0",
    triple: "powerpc64-linux",
    padBytes: 200_000,
  });
  const bytes = Deno.readFileSync(good);
  const cut = `${work}/cut.tar.xz`;
  Deno.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
  const mirror = await startMirror({
    toolchains: [{
      version: "12.2.0",
      triple: "powerpc64-linux",
      archive: cut,
    }],
  });
  try {
    const e = await assertRejects(
      () =>
        resolveToolchain(
          { compiler: "gcc-12.2.0", triple: "powerpc64-linux" },
          { cacheDir: `${cache}`, mirrors: [mirror.url], path: "/nonexistent" },
        ),
      InfraError,
    );
    assertMatch(e.message, /truncated|corrupt/);
    let entries: string[] = [];
    try {
      entries = [...Deno.readDirSync(`${cache}/downloads`)].map((d) => d.name);
    } catch { /* none */ }
    assertEquals(entries, []);
    let installed = true;
    try {
      Deno.statSync(`${cache}/toolchains/gcc-12.2.0-nolibc/powerpc64-linux`);
    } catch {
      installed = false;
    }
    assert(!installed, "nothing installed");
  } finally {
    await mirror.close();
  }
});
