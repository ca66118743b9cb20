/**
 * The make.cross fast start: the committed bundle is the sources' (else the
 * check fails and says how to rebuild it), the launcher runs it and it plans
 * exactly what the sources plan, and a bundle the sources no longer match is
 * never run.
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

Deno.test("the committed make.cross bundle is built from the sources as they are", async () => {
  const r = await run([
    Deno.execPath(),
    "run",
    "-A",
    "tools/bundle.ts",
    "--check",
  ]);
  assertEquals(r.code, 0, r.stderr);
});

Deno.test("the launcher runs the bundle for make.cross, and it plans what the sources plan", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "aarch64-linux");
  const env = {
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
  const bundled = await run([`${ROOT}/kcross`, "make.cross", ...args], {
    cwd: k.src,
    env,
  });
  assertEquals(bundled.code, 0, bundled.stderr);
  assertStringIncludes(bundled.stderr, "make.cross from make_cross.bundle.js");
  const source = await run([
    Deno.execPath(),
    "run",
    "-A",
    "--quiet",
    "--config",
    `${ROOT}/deno.json`,
    `${ROOT}/main.ts`,
    "make.cross",
    ...args,
  ], { cwd: k.src, env });
  assertEquals(source.code, 0, source.stderr);
  const plan = (text: string) => {
    const p = JSON.parse(text);
    delete p.timings;
    return p;
  };
  assertEquals(plan(bundled.stdout), plan(source.stdout));
  assertEquals(plan(bundled.stdout).arch, "arm64");
});

Deno.test("a bundle the sources no longer match is not run: the sources are", async () => {
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
    await Deno.symlink(`${ROOT}/tools`, `${dir}/tools`);
    await Deno.symlink(`${ROOT}/node_modules`, `${dir}/node_modules`);
    const edited = `${dir}/src/build/makecross_args.ts`;
    await Deno.writeTextFile(
      edited,
      (await Deno.readTextFile(edited)).replace(
        'Unknown kcross option "',
        'Unknown kcross option (edited) "',
      ),
    );
    const r = await run([`${dir}/kcross`, "make.cross", "--kcross-nope"], {
      cwd: dir,
      env: { KCROSS_ENTRY_TRACE: "1" },
    });
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(
      r.stderr,
      "make.cross from the sources (the bundle is stale: the sources changed since)",
    );
    assertStringIncludes(r.stderr, "Unknown kcross option (edited)");
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
