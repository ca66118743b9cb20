/**
 * Shared by the named-target e2e tests (`build_outputs_test.ts`,
 * `build_packages_test.ts`): one hard-linked copy of the cached linux-6.1
 * tree and one output dir per arch at fixed paths under the test cache (a
 * second run is incremental), the launcher run with `--json`, and the
 * check that every artifact matches its sha256 and size.
 */
import { assertEquals } from "../_support/assert.ts";
import { ensureKernelSource, TEST_CACHE } from "../_support/kernel.ts";
import type { RecordMetadata } from "../../src/record/types.ts";
import { sha256File } from "../../src/util/sha256_file.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
/** The work dir (tree copy, output dirs, records) under the test cache. */
export const WORK = `${TEST_CACHE}/outputs-e2e`;
/** The hard-linked copy of the 6.1 tree. */
export const TREE = `${WORK}/linux`;
export const PPC_GCC = "/usr/bin/powerpc64-linux-gnu-gcc-12";
export const X86_GCC = "/usr/bin/x86_64-linux-gnu-gcc-12";
export const CLANG = "/usr/bin/clang-15";
/** The powerpc build (tinyconfig + one module); later tests reuse its output dir. */
export const PPC = [
  "--arch",
  "powerpc",
  "--config",
  "tinyconfig",
  "--set",
  "CONFIG_MODULES=y",
  "--set",
  "CONFIG_CRC_CCITT=m",
  "--compiler",
  "gcc-12.2.0",
  "--ccache",
  "--out",
  `${WORK}/out-powerpc`,
];

/** Runs `argv` and returns its stdout; a failure throws with its stderr. */
export async function run(argv: string[]): Promise<string> {
  const r = await new Deno.Command(argv[0]!, {
    args: argv.slice(1),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!r.success) {
    throw new Error(`${argv.join(" ")}: ${new TextDecoder().decode(r.stderr)}`);
  }
  return new TextDecoder().decode(r.stdout);
}

/** The fixed hard-linked copy (made once), arm64's dts list cut to arm/. */
export async function ensureTree(): Promise<void> {
  const done = `${WORK}/.tree-complete`;
  try {
    await Deno.stat(done);
    return;
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const pristine = await ensureKernelSource();
  await Deno.remove(TREE, { recursive: true }).catch(() => {});
  await Deno.mkdir(WORK, { recursive: true });
  await run(["cp", "-al", pristine, TREE]);
  // Unlink before writing: the copy shares inodes with the cache.
  const mk = `${TREE}/arch/arm64/boot/dts/Makefile`;
  await Deno.remove(mk);
  await Deno.writeTextFile(
    mk,
    "# kcross test: one vendor dir\nsubdir-y += arm\n",
  );
  await Deno.writeTextFile(done, "");
}

/** `kcross build --tree TREE --json ARGS…` through the launcher. */
export async function kcross(
  args: string[],
): Promise<{ code: number; meta: RecordMetadata; stderr: string }> {
  const r = await new Deno.Command(`${ROOT}kcross`, {
    args: ["build", "--tree", TREE, "--json", ...args],
    cwd: WORK,
    env: {
      KCROSS_STATE_DIR: `${WORK}/state`,
      // gcc-12.2.0 and clang-15 are Debian's builds here, used when allowed.
      KCROSS_ALLOW_DISTRO: "1",
      NO_COLOR: "1",
      LANG: "C",
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(r.stdout);
  const stderr = new TextDecoder().decode(r.stderr);
  let meta: RecordMetadata;
  try {
    meta = JSON.parse(stdout) as RecordMetadata;
  } catch {
    throw new Error(
      `no JSON on stdout (exit ${r.code}): ${stderr.slice(-3000)}`,
    );
  }
  return { code: r.code, meta, stderr };
}

/** `name:status` of each phase, in order. */
export function statuses(meta: RecordMetadata): string[] {
  return (meta.phases ?? []).map((p) => `${p.name}:${p.status}`);
}

/**
 * Every artifact in metadata.json exists with its size and sha256, and
 * `--json` printed metadata.json; returns the names in `artifacts/`.
 */
export async function checkArtifacts(
  recordDir: string,
  meta: RecordMetadata,
): Promise<string[]> {
  const onDisk = JSON.parse(
    await Deno.readTextFile(`${recordDir}/metadata.json`),
  ) as RecordMetadata;
  assertEquals(onDisk, meta, "--json prints metadata.json");
  for (const a of meta.artifacts ?? []) {
    const path = `${recordDir}/${a.path}`;
    assertEquals((await Deno.stat(path)).size, a.size, a.name);
    assertEquals(await sha256File(path), a.sha256, a.name);
  }
  const names: string[] = [];
  for await (const e of Deno.readDir(`${recordDir}/artifacts`)) {
    names.push(e.name);
  }
  return names.sort();
}

/** `path` is an ELF file for machine `machine` (e_machine: 62 x86-64). */
export function assertElf(path: string, machine: number): void {
  const head = new Uint8Array(20);
  using file = Deno.openSync(path);
  assertEquals(file.readSync(head), 20, path);
  assertEquals([...head.subarray(0, 4)], [0x7f, 0x45, 0x4c, 0x46], path);
  assertEquals(head[18]! | (head[19]! << 8), machine, `${path} e_machine`);
}

/** Removes a record dir left by an earlier run. */
export async function freshRecord(name: string): Promise<string> {
  const rec = `${WORK}/records/${name}`;
  await Deno.remove(rec, { recursive: true }).catch(() => {});
  return rec;
}

/**
 * Opt-in for the e2e builds that cost minutes of CPU (package targets,
 * dtbs_check, perf): `KCROSS_SLOW_TESTS=1`. Off by default so CI stays short.
 */
export const SLOW_TESTS = Deno.env.get("KCROSS_SLOW_TESTS") === "1";
