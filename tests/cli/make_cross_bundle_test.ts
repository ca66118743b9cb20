/**
 * The make.cross fast start: tools/bundle.ts builds a bundle named by its
 * sources' digest, the launcher runs it and it plans exactly what the
 * sources plan, and a bundle the sources no longer match is never run (it is
 * rebuilt in the background).
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim } from "../_support/shims.ts";
import {
  type BundleManifest,
  sourcesDigest,
  staleBecause,
} from "../../src/cli/bundle_manifest.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function run(
  argv: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
) {
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    cwd: options.cwd ?? ROOT,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: Deno.env.get("HOME") ?? "/root",
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      ...options.env,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, stdout: decode(r.stdout), stderr: decode(r.stderr) };
}

/** Builds the bundle of this checkout (what tools/test does first). */
async function buildBundle(root = ROOT): Promise<BundleManifest> {
  const r = await run(
    [Deno.execPath(), "run", "-A", `${root}/tools/bundle.ts`],
    {
      cwd: root,
    },
  );
  assertEquals(r.code, 0, r.stderr);
  return JSON.parse(
    await Deno.readTextFile(`${root}/src/cli/make_cross.bundle.json`),
  );
}

Deno.test("tools/bundle.ts builds a bundle named by its sources' digest, and the manifest matches them", async () => {
  const manifest = await buildBundle();
  assertEquals(
    manifest.bundle,
    `make_cross.bundle.${manifest.sha256.slice(0, 16)}.js`,
  );
  assert(Deno.statSync(`${ROOT}/src/cli/${manifest.bundle}`).size > 100_000);
  assertEquals(await staleBecause(new URL(`file://${ROOT}/`), manifest), null);
  assert(manifest.files.includes("src/build/cli.ts"));
  // The same sources give the same bundle.
  assertEquals((await buildBundle()).bundle, manifest.bundle);
});

Deno.test("the launcher runs the bundle for make.cross, and it plans what the sources plan", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "aarch64-linux");
  await buildBundle();
  const env = {
    KCROSS_NO_BUNDLE_REBUILD: "1",
    COMPILER_INSTALL_PATH: k.cip,
    COMPILER: "gcc-13.2.0",
    KCROSS_ENTRY_TRACE: "1",
    KCROSS_STATE_DIR: `${k.root}/state`,
    KCROSS_CACHE_DIR: `${k.root}/cache`,
  };
  const args = [
    "--kcross-dry-run",
    "--kcross-json",
    "O=build_dir",
    "ARCH=arm64",
    "W=1",
  ];
  // The same words through the launcher (the bundle) and through main.ts.
  const viaBundle = (words: string[]) =>
    run([`${ROOT}/kcross`, "make.cross", ...words], { cwd: k.src, env });
  const viaSources = (words: string[]) =>
    run([
      Deno.execPath(),
      "run",
      "-A",
      "--quiet",
      "--config",
      `${ROOT}/deno.json`,
      `${ROOT}/main.ts`,
      "make.cross",
      ...words,
    ], { cwd: k.src, env });
  const bundled = await viaBundle(args);
  assertEquals(bundled.code, 0, bundled.stderr);
  assertStringIncludes(bundled.stderr, "make.cross from its bundle");
  const source = await viaSources(args);
  assertEquals(source.code, 0, source.stderr);
  const plan = (text: string) => {
    const p = JSON.parse(text);
    delete p.timings;
    return p;
  };
  assertEquals(plan(bundled.stdout), plan(source.stdout));
  assertEquals(plan(bundled.stdout).arch, "arm64");
  // The bundle is minified: its errors are still the sources' errors.
  const bad = ["--kcross-dry-run", "--kcross-bogus", "O=build_dir"];
  const bundledBad = await viaBundle(bad);
  const sourceBad = await viaSources(bad);
  assertEquals(bundledBad.code, 2, bundledBad.stderr);
  const errors = (text: string) =>
    text.split("\n").filter((l) => !l.startsWith("kcross: make.cross from"));
  assertEquals(errors(bundledBad.stderr), errors(sourceBad.stderr));
  assertEquals(sourceBad.code, 2);
});

Deno.test("a bundle the sources no longer match is not run: the sources are, and the bundle is rebuilt in the background", async () => {
  await buildBundle();
  const dir = await Deno.makeTempDir({ prefix: "kcross-stale-bundle-" });
  try {
    for (const name of ["src", "toolchains", "configs"]) {
      const r = await run(["cp", "-r", `${ROOT}/${name}`, `${dir}/${name}`]);
      assertEquals(r.code, 0, r.stderr);
    }
    for (const name of ["kcross", "main.ts", "deno.json", "deno.lock"]) {
      await Deno.copyFile(`${ROOT}/${name}`, `${dir}/${name}`);
    }
    await Deno.chmod(`${dir}/kcross`, 0o755);
    // tools/ for real (bundle.ts finds the tree by its own path), its
    // node_modules shared.
    await Deno.mkdir(`${dir}/tools`);
    await Deno.copyFile(`${ROOT}/tools/bundle.ts`, `${dir}/tools/bundle.ts`);
    await Deno.symlink(
      `${ROOT}/tools/node_modules`,
      `${dir}/tools/node_modules`,
    );
    await Deno.symlink(`${ROOT}/node_modules`, `${dir}/node_modules`);
    const edited = `${dir}/src/build/makecross_args.ts`;
    await Deno.writeTextFile(
      edited,
      (await Deno.readTextFile(edited)).replace(
        'Unknown kcross option "',
        'Unknown kcross option (edited) "',
      ),
    );
    const cache = `${dir}/cache`;
    const makeCross = (env: Record<string, string> = {}) =>
      run([`${dir}/kcross`, "make.cross", "--kcross-nope"], {
        cwd: dir,
        env: { KCROSS_ENTRY_TRACE: "1", KCROSS_CACHE_DIR: cache, ...env },
      });
    const stale = await makeCross({ KCROSS_NO_BUNDLE_REBUILD: "1" });
    assertEquals(stale.code, 2, stale.stderr);
    assertStringIncludes(
      stale.stderr,
      "make.cross from the sources (the bundle: the sources changed since)",
    );
    assertStringIncludes(stale.stderr, "Unknown kcross option (edited)");
    // Without KCROSS_NO_BUNDLE_REBUILD the bundle is rebuilt after the run.
    const manifestPath = `${dir}/src/cli/make_cross.bundle.json`;
    const before = await Deno.readTextFile(manifestPath);
    assertEquals((await makeCross()).code, 2);
    const old = `${dir}/src/cli/${JSON.parse(before).bundle}`;
    const gone = () => {
      try {
        Deno.statSync(old);
        return false;
      } catch {
        return true;
      }
    };
    // The rebuild writes the new manifest, then removes the old bundle.
    for (let i = 0; i < 600; i++) {
      if (await Deno.readTextFile(manifestPath) !== before && gone()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const rebuilt = JSON.parse(await Deno.readTextFile(manifestPath));
    assert(rebuilt.bundle !== JSON.parse(before).bundle, "rebuilt");
    const fresh = await makeCross({ KCROSS_NO_BUNDLE_REBUILD: "1" });
    assertStringIncludes(fresh.stderr, "make.cross from its bundle");
    assertStringIncludes(fresh.stderr, "Unknown kcross option (edited)");
    // The old bundle is gone, the new one is the only one.
    const bundles = [...Deno.readDirSync(`${dir}/src/cli`)].map((e) => e.name)
      .filter((n) => /^make_cross\.bundle\..*\.js$/.test(n));
    assertEquals(bundles, [rebuilt.bundle]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("staleBecause(): another Deno, a missing file, changed bytes", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcross-manifest-" });
  try {
    await Deno.writeTextFile(`${dir}/a.ts`, "export const a = 1;\n");
    const root = new URL(`file://${dir}/`);
    const manifest: BundleManifest = {
      bundle: "make_cross.bundle.0000000000000000.js",
      deno: Deno.version.deno,
      files: ["a.ts"],
      sha256: (await sourcesDigest(root, ["a.ts"]))!,
    };
    assertEquals(await staleBecause(root, manifest), null);
    assertStringIncludes(
      (await staleBecause(root, { ...manifest, deno: "0.0.1" }))!,
      "built with Deno 0.0.1",
    );
    assertStringIncludes(
      (await staleBecause(root, { ...manifest, files: ["a.ts", "b.ts"] }))!,
      "missing",
    );
    // A match is remembered by the files' identities; a change is still seen.
    const stamps = `${dir}/stamps`;
    assertEquals(await staleBecause(root, manifest, stamps), null);
    assertEquals([...Deno.readDirSync(stamps)].length, 1);
    assertEquals(await staleBecause(root, manifest, stamps), null);
    await Deno.writeTextFile(`${dir}/a.ts`, "export const a = 2;\n");
    assert((await staleBecause(root, manifest))?.includes("changed"));
    assert((await staleBecause(root, manifest, stamps))?.includes("changed"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
