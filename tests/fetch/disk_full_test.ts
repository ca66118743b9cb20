import { assertMatch, assertRejects } from "../_support/assert.ts";
import { startMirror } from "../_support/mirror.ts";
import { resolveToolchain } from "../../src/toolchain/mod.ts";
import { InfraError } from "../../src/errors.ts";

/** A 512 KiB tmpfs, or undefined where mounting is not allowed. */
async function smallDisk(): Promise<string | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "kcross-full-" });
  const r = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", "size=512k", "tmpfs", dir],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  if (!r?.success) {
    await Deno.remove(dir);
    return undefined;
  }
  return dir;
}

Deno.test({
  name:
    "a full disk is an InfraError that says so, with nothing half installed",
  // Needs root to mount a small tmpfs; where mounting is refused (a container
  // without CAP_SYS_ADMIN) there is nothing to check.
  ignore: Deno.uid() !== 0,
  async fn() {
    const mounted = await smallDisk();
    if (mounted === undefined) return;
    const disk: string = mounted;
    const mirror = await startMirror({
      toolchains: [{
        version: "12.2.0",
        triple: "powerpc64-linux",
        padBytes: 2_000_000,
      }],
    });
    try {
      const e = await assertRejects(
        () =>
          resolveToolchain(
            { compiler: "gcc-12.2.0", triple: "powerpc64-linux" },
            { cacheDir: disk, mirrors: [mirror.url], path: "/nonexistent" },
          ),
        InfraError,
      );
      assertMatch(e.message, /Disk full/);
      assertMatch(e.hint ?? "", /kcross cache gc|KCROSS_CACHE_DIR/);
      let installed = true;
      try {
        Deno.statSync(`${disk}/toolchains/gcc-12.2.0-nolibc/powerpc64-linux`);
      } catch {
        installed = false;
      }
      if (installed) throw new Error("half install left behind");
    } finally {
      await mirror.close();
      await new Deno.Command("umount", { args: [disk] }).output();
      await Deno.remove(disk, { recursive: true });
    }
  },
});
