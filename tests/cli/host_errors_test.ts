/**
 * A state or cache dir the machine will not let kcross write (a read-only
 * mount, a full disk) ends in one `error:` line, a hint and exit 3, never
 * a stack trace.
 */
import { assert, assertEquals, assertMatch } from "../_support/assert.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const MAIL =
  new URL("../fixtures/robot-mail/034.eml", import.meta.url).pathname;

/** A tmpfs mounted with `options`, or undefined where mounting is refused. */
async function tmpfs(options: string): Promise<string | undefined> {
  const dir = await Deno.makeTempDir({ prefix: "kcross-mnt-" });
  const r = await new Deno.Command("mount", {
    args: ["-t", "tmpfs", "-o", options, "tmpfs", dir],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  if (!r?.success) {
    await Deno.remove(dir);
    return undefined;
  }
  return dir;
}

async function unmount(dir: string): Promise<void> {
  await new Deno.Command("umount", { args: [dir] }).output();
  await Deno.remove(dir, { recursive: true });
}

async function kcross(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, ...args],
    env: { NO_COLOR: "1", ...env },
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr) };
}

function oneLine(r: { code: number; stderr: string }, pattern: RegExp) {
  assertEquals(r.code, 3, r.stderr);
  const lines = r.stderr.split("\n").filter((l) => /^(error|hint):/.test(l));
  assertEquals(lines.length, 2, r.stderr);
  assertMatch(lines[0]!, pattern);
  assert(!/Unexpected failure| {4}at /.test(r.stderr), r.stderr);
}

Deno.test({
  name: "a state and cache dir on a read-only mount: one line, exit 3",
  // Mounting needs root (CAP_SYS_ADMIN); elsewhere there is nothing to mount.
  ignore: Deno.uid() !== 0,
  async fn() {
    const ro = await tmpfs("ro,size=1m");
    if (ro === undefined) return;
    try {
      const env = {
        KCROSS_STATE_DIR: `${ro}/state`,
        KCROSS_CACHE_DIR: `${ro}/cache`,
      };
      oneLine(
        await kcross(["repro", "--offline", MAIL], env),
        /^error: Cannot create the directory ".*": read-only file system$/,
      );
      oneLine(
        await kcross(["cache", "gc", "--keep-newest", "0"], env),
        /read-only file system$/,
      );
    } finally {
      await unmount(ro);
    }
  },
});

Deno.test({
  name: "a full disk under the state dir: one line, exit 3",
  ignore: Deno.uid() !== 0,
  async fn() {
    const full = await tmpfs("size=64k");
    if (full === undefined) return;
    try {
      await Deno.mkdir(`${full}/state/repro/configs`, { recursive: true });
      // Fill it: the attached config no longer fits.
      try {
        Deno.writeFileSync(`${full}/filler`, new Uint8Array(1 << 20));
      } catch { /* full, as wanted */ }
      oneLine(
        await kcross(["repro", "--offline", MAIL], {
          KCROSS_STATE_DIR: `${full}/state`,
          KCROSS_CACHE_DIR: `${full}/cache`,
        }),
        /no space left on device$/,
      );
    } finally {
      await unmount(full);
    }
  },
});
