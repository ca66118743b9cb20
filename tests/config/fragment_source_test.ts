import { resolveFragment } from "../../src/config/fragment_source.ts";
import { refuseShellValues } from "../../src/config/shell_values.ts";
import { exitCodeOf, InfraError, UserError } from "../../src/errors.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { serveFragments } from "../_support/fragment_server.ts";
import { fakeTree } from "./_fragment_tree.ts";

Deno.test("resolveFragment() reads each form with its digest and tree files", async (t) => {
  await using f = await fakeTree();
  await Deno.writeTextFile(`${f.root}/mine.config`, "CONFIG_MINE=m\n");
  await t.step("a file, relative to cwd or absolute", async () => {
    const a = await resolveFragment("mine.config", f.ctx);
    assertEquals(a?.kind, "file");
    assertEquals(a?.text, "CONFIG_MINE=m\n");
    assertEquals(a?.sha256.length, 64);
    const b = await resolveFragment(`${f.root}/mine.config`, f.ctx);
    assertEquals(b?.sha256, a?.sha256);
  });
  await t.step(
    "an in-tree name: kernel/configs then arch/<srcarch>/configs, as make merges them",
    async () => {
      const x = await resolveFragment("xen.config", f.ctx);
      assertEquals(x?.kind, "tree");
      assertEquals(x?.files, [
        "kernel/configs/xen.config",
        "arch/x86/configs/xen.config",
      ]);
      assertEquals(x?.text, "CONFIG_XEN=y\nCONFIG_XEN_PVH=y\n");
      const p = await resolveFragment("arch/x86/configs/xen.config", f.ctx);
      assertEquals(p?.files, ["arch/x86/configs/xen.config"]);
    },
  );
  await t.step(
    "a file inside the tree given as a cwd path is the tree's",
    async () => {
      const p = await resolveFragment("kvm_guest.config", {
        ...f.ctx,
        cwd: `${f.tree}/kernel/configs`,
      });
      assertEquals(p?.kind, "tree");
      assertEquals(p?.files, ["kernel/configs/kvm_guest.config"]);
    },
  );
  await t.step("make: names the goal and the files it merges", async () => {
    const m = await resolveFragment("make:kvm_guest.config", f.ctx);
    assertEquals(m?.kind, "make");
    assertEquals(m?.target, "kvm_guest.config");
    assertEquals(m?.files, ["kernel/configs/kvm_guest.config"]);
    assertEquals(m?.text, "CONFIG_KVM_GUEST=y\n");
  });
  await t.step("an inline line", async () => {
    const i = await resolveFragment("# CONFIG_X is not set", f.ctx);
    assertEquals(i?.kind, "inline");
    assertEquals(i?.text, "# CONFIG_X is not set\n");
  });
  await t.step("no escape from the tree, no missing name", async () => {
    await assertRejects(
      () => resolveFragment("arch/../../outside.config", f.ctx),
      UserError,
      "Refusing",
    );
    // a symlink out of the tree is not the tree's
    await assertRejects(
      () => resolveFragment("evil.config", f.ctx),
      UserError,
      "No config fragment",
    );
    await assertRejects(
      () => resolveFragment("make:evil.config", f.ctx),
      UserError,
      'No fragment "evil.config"',
    );
    await assertRejects(
      () => resolveFragment("nope.config", f.ctx),
      UserError,
      "kernel/configs or arch/x86/configs",
    );
    await assertRejects(
      () => resolveFragment("/nope/x.config", f.ctx),
      UserError,
      "no such file",
    );
  });
  await t.step(
    "a value with $ or a backtick is refused in every form",
    async () => {
      await Deno.writeTextFile(
        `${f.root}/bad.config`,
        'CONFIG_OK=y\nCONFIG_CMDLINE="$(shell id)"\n',
      );
      const e = await assertRejects(
        () => resolveFragment("bad.config", f.ctx),
        UserError,
        "CONFIG_CMDLINE (line 2)",
      );
      assertEquals(exitCodeOf(e), 2);
      await assertRejects(
        () => resolveFragment('CONFIG_CMDLINE="`id`"', f.ctx),
        UserError,
        "backtick",
      );
      refuseShellValues('CONFIG_S="a b"\n# $ in a comment\n', "x"); // fine
    },
  );
});

Deno.test("resolveFragment() downloads a URL once into the cache, capped and time-limited", async (t) => {
  await using f = await fakeTree();
  await using s = serveFragments({
    "/frag.config": "CONFIG_NET=y\n",
    "/evil.config": 'CONFIG_X="$(shell id)"\n',
  });
  const cacheDir = `${f.root}/cache`;
  // the stand-in server is on loopback: the user's opt-in
  const ctx = { ...f.ctx, cacheDir, allowPrivateUrls: true };
  await t.step("a cache hit the second time: no request", async () => {
    const a = await resolveFragment(`${s.base}/frag.config`, ctx);
    assertEquals(a?.kind, "url");
    assertEquals(a?.text, "CONFIG_NET=y\n");
    const b = await resolveFragment(`${s.base}/frag.config`, ctx);
    assertEquals(b?.sha256, a?.sha256);
    assertEquals(s.hits.get("/frag.config"), 1);
    // offline: the cached text, and null for one never downloaded
    const c = await resolveFragment(`${s.base}/frag.config`, {
      ...ctx,
      offline: true,
    });
    assertEquals(c?.text, "CONFIG_NET=y\n");
    assertEquals(
      await resolveFragment(`${s.base}/other.config`, {
        ...ctx,
        offline: true,
      }),
      null,
    );
    assertEquals(s.hits.get("/other.config"), undefined);
  });
  await t.step(
    "over the cap, stalled, gone: infrastructure errors, nothing cached",
    async () => {
      const big = await assertRejects(
        () => resolveFragment(`${s.base}/big`, ctx),
        InfraError,
        "cap",
      );
      assertEquals(exitCodeOf(big), 3);
      assertStringIncludes(big.message, "Cannot fetch config fragment");
      await assertRejects(
        () => resolveFragment(`${s.base}/stall`, { ...ctx, timeoutMs: 200 }),
        InfraError,
        "stalled",
      );
      const gone = await assertRejects(
        () => resolveFragment(`${s.base}/gone.config`, ctx),
        InfraError,
        "HTTP 404",
      );
      assert(!(gone.hint ?? "").includes("robot"), gone.hint);
      await assertRejects(
        () => resolveFragment(`${s.base}/evil.config`, ctx),
        UserError,
        "CONFIG_X",
      );
      const kept = [...Deno.readDirSync(cacheDir)].map((e) => e.name);
      assertEquals(kept.length, 1, kept.join());
    },
  );
});
