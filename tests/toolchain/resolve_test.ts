import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
} from "../_support/assert.ts";
import { resolveToolchain } from "../../src/toolchain/mod.ts";
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";
import { UserError } from "../../src/errors.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { tempDir } from "../_support/temp.ts";
import { haveDebianPpc64 } from "../_support/system_gcc.ts";

const TMP = "kcross-resolve-";

function fakeGcc(root: string, version: string, triple: string): string {
  const bin = `${root}/gcc-${version}-nolibc/${triple}/bin`;
  Deno.mkdirSync(bin, { recursive: true });
  Deno.mkdirSync(
    `${root}/gcc-${version}-nolibc/${triple}/libexec/gcc/${triple}/${version}`,
    { recursive: true },
  );
  Deno.writeTextFileSync(`${bin}/${triple}-gcc`, "#!/bin/sh\necho fake\n", {
    mode: 0o755,
  });
  return bin;
}

Deno.test("an existing COMPILER_INSTALL_PATH install is reused as is", async () => {
  await using cache = await tempDir(TMP);
  await using zero = await tempDir(TMP);
  const bin = fakeGcc(`${zero}`, "11.2.0", "powerpc64-linux");
  const r = await resolveToolchain({
    compiler: "gcc-11.2.0",
    triple: "powerpc64-linux",
    installPath: `${zero}`,
    offline: true,
  }, { cacheDir: `${cache}` });
  assertEquals(r.provider, "crosstool");
  assertEquals(r.exact, true);
  assertEquals(r.version, "11.2.0");
  assertEquals(r.binDir, bin);
  assertEquals(r.crossCompile, `${bin}/powerpc64-linux-`);
  assertEquals(
    r.libexecDir,
    `${zero}/gcc-11.2.0-nolibc/powerpc64-linux/libexec/gcc/powerpc64-linux/11.2.0`,
  );
});

/** Resolves gcc-9.3.0 for m68k offline from `cache`, with no system compilers. */
function resolveOfflineM68k(cache: string): Promise<ResolvedToolchain> {
  return resolveToolchain({
    compiler: "gcc-9.3.0",
    triple: "m68k-linux",
    offline: true,
  }, { cacheDir: `${cache}`, path: "/nonexistent" });
}

Deno.test("kcross's own cache needs the completion marker", async () => {
  await using cache = await tempDir(TMP);
  fakeGcc(`${cache}/toolchains`, "9.3.0", "m68k-linux");
  await assertRejects(
    () => resolveOfflineM68k(cache),
    UserError,
  );
});

Deno.test("offline miss says what to fetch and from where", async () => {
  await using cache = await tempDir(TMP);
  const e = await assertRejects(
    () => resolveOfflineM68k(cache),
    UserError,
  );
  assertMatch(e.message, /not installed and kcross is offline/);
  assertMatch(
    e.hint ?? "",
    /https:\/\/cdn\.kernel\.org\/pub\/tools\/crosstool\/files\/bin\/x86_64\/9\.3\.0\/x86_64-gcc-9\.3\.0-nolibc-m68k-linux\.tar\.xz/,
  );
  assertMatch(e.hint ?? "", /sha256sums\.asc/);
});

Deno.test("offline miss of a clang major names no file that cannot exist (the newest x.y.z is listed)", async () => {
  await using cache = await tempDir(TMP);
  for (
    const [compiler, file] of [
      [
        "clang-99",
        /the newest llvm-99\.\*-x86_64\.tar\.xz listed at https:\/\/cdn\.kernel\.org\/pub\/tools\/llvm\/files\//,
      ],
      [
        "llvm-99.1.2",
        /https:\/\/cdn\.kernel\.org\/pub\/tools\/llvm\/files\/llvm-99\.1\.2-x86_64\.tar\.xz/,
      ],
    ] as const
  ) {
    const e = await assertRejects(
      () =>
        resolveToolchain({
          compiler,
          triple: "x86_64-linux",
          offline: true,
        }, { cacheDir: `${cache}`, host: "x86_64", path: "/nonexistent" }),
      UserError,
    );
    assertMatch(e.hint ?? "", file);
  }
});

Deno.test({
  name:
    "a Debian cross gcc of the same version is another build: used only with allowDistro, as exactness version",
  ignore: !haveDebianPpc64,
  async fn() {
    await using cache = await tempDir(TMP);
    const e = await assertRejects(
      () =>
        resolveToolchain({
          compiler: "gcc-12.2.0",
          triple: "powerpc64-linux",
          offline: true,
        }, { cacheDir: `${cache}` }),
      UserError,
    );
    assertMatch(e.hint ?? "", /--allow-distro/);
    const r = await resolveToolchain({
      compiler: "gcc-12.2.0",
      triple: "powerpc64-linux",
      offline: true,
      allowDistro: true,
    }, { cacheDir: `${cache}` });
    assertEquals(r.provider, "system");
    assertEquals(r.exact, true);
    assertEquals(r.exactness, "version");
    assertEquals(r.version, "12.2.0");
    assertMatch(r.crossCompile, /\/bin\/powerpc64-linux-$/);
    const link = Deno.readLinkSync(`${r.crossCompile}gcc`);
    assertEquals(link, "/usr/bin/powerpc64-linux-gnu-gcc-12");
    const v = await new Deno.Command(`${r.crossCompile}gcc`, {
      args: ["-dumpfullversion"],
      stdout: "piped",
    }).output();
    assertEquals(new TextDecoder().decode(v.stdout).trim(), "12.2.0");
    assert(Deno.statSync(`${r.crossCompile}ld`).isFile, "ld shim");
  },
});

Deno.test({
  name: "a different version is an error unless a substitute is allowed",
  ignore: !haveDebianPpc64,
  async fn() {
    await using cache = await tempDir(TMP);
    const e = await assertRejects(
      () =>
        resolveToolchain({
          compiler: "gcc-11.2.0",
          triple: "powerpc64-linux",
          offline: true,
        }, { cacheDir: `${cache}` }),
      UserError,
    );
    assertMatch(e.hint ?? "", /--allow-substitute/);
    assertMatch(e.hint ?? "", /gcc-12\.2\.0 \(system/);
    const out = recordingOutput();
    const r = await resolveToolchain({
      compiler: "gcc-11.2.0",
      triple: "powerpc64-linux",
      offline: true,
      allowSubstitute: true,
    }, { cacheDir: `${cache}`, out });
    assertEquals(r.exact, false);
    assertEquals(r.requested, "gcc-11.2.0");
    assertMatch(out.stderr.join("\n"), /substitute/);
  },
});

Deno.test({
  name: "the system provider serves a distro gcc with no unversioned name",
  ignore: (() => {
    try {
      Deno.statSync("/usr/bin/powerpc64le-linux-gnu-gcc-11");
      return false;
    } catch {
      return true;
    }
  })(),
  async fn() {
    await using cache = await tempDir(TMP);
    const r = await resolveToolchain({
      compiler: "gcc-11",
      triple: "powerpc64le-linux",
      provider: "system",
    }, { cacheDir: `${cache}` });
    assertEquals(r.provider, "system");
    assertEquals(r.exact, true);
    assertMatch(r.version, /^11\./);
    assertEquals(
      Deno.readLinkSync(`${r.crossCompile}gcc`),
      "/usr/bin/powerpc64le-linux-gnu-gcc-11",
    );
  },
});

Deno.test({
  name:
    "a report naming the very distro build gets it as exactness build; another build of the version stays version",
  ignore: (() => {
    try {
      Deno.statSync("/usr/bin/powerpc64-linux-gnu-gcc");
      return false;
    } catch {
      return true;
    }
  })(),
  async fn() {
    await using cache = await tempDir(TMP);
    const line = new TextDecoder().decode(
      (await new Deno.Command("/usr/bin/powerpc64-linux-gnu-gcc", {
        args: ["--version"],
        stdout: "piped",
        stderr: "null",
      }).output()).stdout,
    ).split("\n", 1)[0]!;
    const build = /\(([^)]*)\)/.exec(line)![1]!;
    const version = line.slice(line.lastIndexOf(" ") + 1);
    const ask = (distroBuild: string) =>
      resolveToolchain({
        compiler: `gcc-${version}`,
        triple: "powerpc64-linux",
        provider: "system",
        distroBuild,
      }, { cacheDir: `${cache}` });
    assertEquals((await ask(build)).exactness, "build");
    assertEquals((await ask(`${build}+other1`)).exactness, "version");
  },
});
