/**
 * `repro --offline` makes no network request at all: every place kcross
 * could reach (toolchain mirrors, the report's config URL, lore, 01.org,
 * and any proxy) points at one loopback listener that counts connections,
 * and the count stays 0 whether the run succeeds or stops.
 */
import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { makeFakeKernel } from "../_support/fake_kernel.ts";
import { installGccShim } from "../_support/shims.ts";
import { runTool } from "../_support/run_tool.ts";

const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");

/** A TCP listener that counts connections and closes them at once. */
function countingListener(): { url: string; count(): number; close(): void } {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  let n = 0;
  (async () => {
    try {
      for await (const conn of listener) {
        n++;
        conn.close();
      }
    } catch { /* closed */ }
  })();
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    count: () => n,
    close: () => listener.close(),
  };
}

function report(commit: string, compiler: string): string {
  return `tree:   https://git.kernel.org/pub/scm/linux/kernel/git/powerpc/linux.git next-test
head:   ${commit}
commit: ${commit} [1/1] fake: a change
config: powerpc-allmodconfig (https://download.01.org/0day-ci/archive/20211229/202112290015.xhdzgVU5-lkp@intel.com/config)
compiler: powerpc64-linux-gcc (GCC) ${compiler}
reproduce (this is a W=1 build):
        wget https://raw.githubusercontent.com/intel/lkp-tests/master/sbin/make.cross -O ~/bin/make.cross
        chmod +x ~/bin/make.cross
        git checkout ${commit}
        mkdir build_dir
        COMPILER_INSTALL_PATH=$HOME/0day COMPILER=gcc-${compiler} make.cross W=1 O=build_dir ARCH=powerpc SHELL=/bin/bash drivers/foo/

If you fix the issue, kindly add following tag as appropriate
| Reported-by: kernel test robot <lkp@intel.com>
| Closes: https://lore.kernel.org/oe-kbuild-all/202112290015.xhdzgVU5-lkp@intel.com/

All warnings (new ones prefixed by >>):

>> drivers/foo/fake.c:1:2: warning: fake warning [-Wfake]
`;
}

async function run(
  k: { root: string; src: string; cip: string },
  net: string,
  args: string[],
): Promise<{ code: number; stderr: string }> {
  const r = await new Deno.Command(`${ROOT}/kcross`, {
    args,
    cwd: k.src,
    clearEnv: true,
    env: {
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      HOME: k.root,
      COMPILER_INSTALL_PATH: k.cip,
      KCROSS_STATE_DIR: `${k.root}/state`,
      KCROSS_CACHE_DIR: `${k.root}/cache`,
      KCROSS_MIRROR: net,
      KCROSS_LORE_URL: net,
      KCROSS_01ORG_URL: net,
      HTTP_PROXY: net,
      HTTPS_PROXY: net,
      http_proxy: net,
      https_proxy: net,
      FAKE_WARN: "1",
      // The runtime's own module cache: with an empty one Deno itself asks
      // the npm registry at start-up, before kcross runs.
      DENO_DIR: Deno.env.get("DENO_DIR") ??
        `${Deno.env.get("HOME") ?? "/root"}/.cache/deno`,
      DENO_NO_UPDATE_CHECK: "1",
    },
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code: r.code, stderr: new TextDecoder().decode(r.stderr) };
}

async function fakeTree() {
  const k = await makeFakeKernel({ dirs: ["drivers/foo"] });
  await Deno.writeTextFile(`${k.src}/drivers/foo/fake.c`, "int x;\n");
  const git = (...a: string[]) =>
    runTool(["git", "-C", k.src, ...a], {
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@example.org",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@example.org",
    });
  await git("init", "-q");
  await git("add", "-A");
  await git("commit", "-q", "-m", "fake: a change");
  const head = (await git("rev-parse", "HEAD")).trim();
  return Object.assign(k, { head });
}

Deno.test("repro --offline with the compiler installed: the run completes with zero network connections", async () => {
  await using k = await fakeTree();
  // Installed in kcross's cache (a marked install), as a fetch leaves it.
  const root = `${k.root}/cache/toolchains`;
  await installGccShim(root, "12.2.0", "powerpc64-linux");
  await Deno.writeTextFile(
    `${root}/gcc-12.2.0-nolibc/powerpc64-linux/.kcross.json`,
    JSON.stringify({
      schema: 1,
      id: "gcc-12.2.0-nolibc/powerpc64-linux",
      family: "gcc",
      version: "12.2.0",
      provider: "crosstool",
      triple: "powerpc64-linux",
      installedAt: new Date().toISOString(),
    }),
  );
  await Deno.writeTextFile(`${k.root}/report.txt`, report(k.head, "12.2.0"));
  const net = countingListener();
  try {
    const r = await run(k, net.url, [
      "repro",
      "--offline",
      `${k.root}/report.txt`,
    ]);
    assertEquals(net.count(), 0, r.stderr);
    assert(r.code === 0 || r.code === 1, r.stderr);
    assertMatch(r.stderr, /==> build/);
    // The named config is regenerated and that is a setup difference.
    assertMatch(r.stderr, /allmodconfig/);
  } finally {
    net.close();
  }
});

Deno.test("repro --offline with the compiler missing stops (exit 2, one line) with zero network connections", async () => {
  await using k = await fakeTree();
  await Deno.writeTextFile(`${k.root}/report.txt`, report(k.head, "11.3.0"));
  const net = countingListener();
  try {
    const r = await run(k, net.url, [
      "repro",
      "--offline",
      `${k.root}/report.txt`,
    ]);
    assertEquals(net.count(), 0, r.stderr);
    assertEquals(r.code, 2, r.stderr);
    assertMatch(r.stderr, /^error: .*offline/m);
    assert(!/Unexpected failure/.test(r.stderr), r.stderr);
    // The listener does see what kcross asks for: online, the same run
    // reaches it (config URL, mirror listing) and fails there (exit 3).
    const online = await run(k, net.url, ["repro", `${k.root}/report.txt`]);
    assert(net.count() > 0, online.stderr);
    assertEquals(online.code, 3, online.stderr);
  } finally {
    net.close();
  }
});

Deno.test("repro --offline with a lore URL as the report: not cached is exit 2, zero network connections", async () => {
  await using k = await fakeTree();
  const net = countingListener();
  try {
    const r = await run(k, net.url, [
      "repro",
      "--offline",
      "https://lore.kernel.org/oe-kbuild-all/202112290015.xhdzgVU5-lkp@intel.com/",
    ]);
    assertEquals(net.count(), 0, r.stderr);
    assertEquals(r.code, 2, r.stderr);
  } finally {
    net.close();
  }
});

Deno.test("repro --config naming a directory is a one-line user error (exit 2)", async () => {
  await using k = await fakeTree();
  await Deno.writeTextFile(`${k.root}/report.txt`, report(k.head, "12.2.0"));
  const net = countingListener();
  try {
    const r = await run(k, net.url, [
      "repro",
      "--offline",
      "--config",
      k.root,
      `${k.root}/report.txt`,
    ]);
    assertEquals(r.code, 2, r.stderr);
    assertMatch(r.stderr, /^error: ".*" is not a config file$/m);
    assert(!/Unexpected failure/.test(r.stderr), r.stderr);
  } finally {
    net.close();
  }
});
