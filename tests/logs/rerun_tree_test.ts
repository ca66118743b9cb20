/**
 * `logs rerun` of a record someone sent: the record cannot pick the tree
 * whose Makefile runs. A record that ships a Makefile and names its own
 * directory as the tree is refused; a record named by a path builds in the
 * current directory, not in the tree it recorded.
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { type FakeKernel, makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim } from "../_support/shims.ts";
import { exists } from "../_support/temp.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

async function kcross(k: FakeKernel, cwd: string, args: string[]) {
  const r = await new Deno.Command(`${ROOT}/kcross`, {
    args,
    cwd,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: k.root,
      COMPILER_INSTALL_PATH: k.cip,
      KCROSS_STATE_DIR: `${k.root}/state`,
      KCROSS_CACHE_DIR: `${k.root}/cache`,
    },
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

Deno.test("logs rerun never runs the Makefile a forged record ships and names as its tree", async () => {
  await using k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  await installGccShim(k.cip, "13.2.0", "aarch64-linux");
  const built = await kcross(k, k.src, [
    "build",
    "--arch",
    "arm64",
    "--compiler",
    "gcc-13.2.0",
    "drivers/",
  ]);
  assertEquals(built.code, 0, built.stderr);
  const [id] = (await Array.fromAsync(Deno.readDir(`${k.root}/state/builds`)))
    .map((e) => e.name);
  // The record as someone would send it: copied out of their store, with a
  // kernel-looking Makefile of its own that touches a marker when read.
  const rec = `${k.root}/mail/rec`;
  await Deno.mkdir(`${k.root}/mail`);
  await Deno.rename(`${k.root}/state/builds/${id}`, rec);
  const marker = `${k.root}/pwned`;
  await Deno.writeTextFile(
    `${rec}/Makefile`,
    `$(shell touch ${marker})\n${await Deno.readTextFile(`${k.src}/Makefile`)}`,
  );
  const metaFile = `${rec}/metadata.json`;
  const meta = JSON.parse(await Deno.readTextFile(metaFile));
  meta.reproduce.outDir = null;
  const forge = async (cwd: string) => {
    meta.reproduce.cwd = cwd;
    await Deno.writeTextFile(metaFile, JSON.stringify(meta));
  };

  for (const tree of [rec, `${rec}/.`, `${k.root}/mail/../mail/rec`]) {
    await forge(tree);
    for (const arg of [rec, "./rec"]) {
      const r = await kcross(k, `${k.root}/mail`, ["logs", "rerun", arg]);
      assertEquals(r.code, 2, r.stderr);
      assert(
        /names its own directory as the kernel tree|not an absolute path/
          .test(r.stderr),
        r.stderr,
      );
      assert(!r.stderr.includes("    at "), r.stderr);
      assert(!(await exists(marker)), "the record's Makefile never ran");
    }
  }

  // Any other recorded tree: a record named by a path builds where you are.
  await forge(k.src);
  const elsewhere = await kcross(k, `${k.root}/mail`, ["logs", "rerun", rec]);
  assertEquals(elsewhere.code, 2, elsewhere.stderr);
  assertStringIncludes(
    elsewhere.stderr,
    `building in ${k.root}/mail, not its recorded tree ${k.src}`,
  );
  const here = await kcross(k, k.src, ["logs", "rerun", rec]);
  assertEquals(here.code, 0, here.stderr);
  assert(!(await exists(marker)));
});
