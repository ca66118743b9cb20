import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { gzipSync } from "node:zlib";
import type { ConfigPlan } from "../../src/build/types.ts";
import {
  runConfig,
  type RunConfigContext,
} from "../../src/config/run_config.ts";
import { InfraError, UserError } from "../../src/errors.ts";
import { runProcess } from "../../src/proc/run_process.ts";
import { type FakeTree, makeFakeTree } from "../build/_run_fake_tree.ts";

function context(tree: FakeTree, notes: string[] = []): RunConfigContext {
  return {
    srcTree: tree.srcTree,
    objDir: tree.outDir,
    arch: "fake",
    cwd: tree.root,
    digestExtra: ["CROSS_COMPILE=x"],
    note: (l) => notes.push(l),
    make: async (goals, env) =>
      (await runProcess(["make", `O=${tree.outDir}`, ...goals], {
        cwd: tree.srcTree,
        env: { PATH: "/usr/bin:/bin", ...env },
      })).code,
  };
}

function plan(over: Partial<ConfigPlan> = {}): ConfigPlan {
  return {
    source: { kind: "target", target: "allmodconfig" },
    fragments: [],
    sets: [],
    werror: "keep",
    ...over,
  };
}

async function olddefconfigRuns(tree: FakeTree): Promise<number> {
  try {
    return (await Deno.readTextFile(`${tree.outDir}/olddefconfig.count`))
      .trim().split("\n").length;
  } catch {
    return 0;
  }
}

Deno.test("runConfig() reuses a build dir whose .config matches the inputs and reconfigures when they change", async (t) => {
  await using tree = await makeFakeTree();
  const ctx = context(tree);
  await t.step("first run configures", async () => {
    const o = await runConfig(plan({ sets: ["CONFIG_BAZ=y"] }), ctx);
    assertEquals(o.reused, false);
    assertEquals(o.failed, null);
    assertEquals(await olddefconfigRuns(tree), 1);
  });
  await t.step("same inputs reuse it", async () => {
    const o = await runConfig(plan({ sets: ["CONFIG_BAZ=y"] }), ctx);
    assertEquals(o.reused, true);
    assertEquals(await olddefconfigRuns(tree), 1);
  });
  await t.step("a hand-edited .config is reconfigured", async () => {
    await Deno.writeTextFile(`${tree.outDir}/.config`, "CONFIG_BAR=y\n", {
      append: true,
    });
    const o = await runConfig(plan({ sets: ["CONFIG_BAZ=y"] }), ctx);
    assertEquals(o.reused, false);
  });
  await t.step("changed overrides reconfigure", async () => {
    const o = await runConfig(plan({ sets: ["CONFIG_BAZ=n"] }), ctx);
    assertEquals(o.reused, false);
    assertStringIncludes(
      await Deno.readTextFile(`${tree.outDir}/.config`),
      "# CONFIG_BAZ is not set",
    );
  });
  await t.step("a changed toolchain reconfigures", async () => {
    const o = await runConfig(plan({ sets: ["CONFIG_BAZ=n"] }), {
      ...ctx,
      digestExtra: ["CROSS_COMPILE=y"],
    });
    assertEquals(o.reused, false);
  });
});

Deno.test("runConfig() reports a dropped symbol with its unmet dependency", async () => {
  await using tree = await makeFakeTree();
  const notes: string[] = [];
  const frag = `${tree.root}/frag.config`;
  await Deno.writeTextFile(frag, "# CONFIG_BAR is not set\n");
  const o = await runConfig(
    plan({ fragments: ["frag.config"], sets: ["CONFIG_FOO=m"] }),
    context(tree, notes),
  );
  assertEquals(o.dropped, [{
    symbol: "CONFIG_FOO",
    requested: "m",
    actual: null,
    reason: "depends on BAR (BAR=n)",
  }]);
  assert(
    notes.some((n) =>
      n ===
        "kcross: warning: CONFIG_FOO requested m but .config has n: depends on BAR (BAR=n)"
    ),
    notes.join("\n"),
  );
  // Reused later: the dropped list comes back from the stamp.
  const again = await runConfig(
    plan({ fragments: ["frag.config"], sets: ["CONFIG_FOO=m"] }),
    context(tree),
  );
  assertEquals(again.reused, true);
  assertEquals(again.dropped.length, 1);
});

Deno.test("werror off turns CONFIG_WERROR off through the config", async () => {
  await using tree = await makeFakeTree();
  const o = await runConfig(plan({ werror: "off" }), context(tree));
  assertEquals(o.werrorEnabled, false);
  assertEquals(o.inputs.sets, ["# CONFIG_WERROR is not set"]);
  assertStringIncludes(
    await Deno.readTextFile(`${tree.outDir}/.config`),
    "# CONFIG_WERROR is not set",
  );
  const keep = await runConfig(plan(), context(tree));
  assertEquals(keep.werrorEnabled, true);
});

Deno.test("runConfig() takes a config from a URL, plain or gzipped, then runs olddefconfig", async () => {
  await using tree = await makeFakeTree();
  const text = "CONFIG_BAR=y\nCONFIG_FOO=m\n";
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/config") return new Response(text);
      if (path === "/config.gz") {
        return new Response(new Uint8Array(gzipSync(text)));
      }
      return new Response("nope", { status: 404 });
    },
  );
  try {
    const base = `http://127.0.0.1:${server.addr.port}`;
    // the stand-in server is on loopback: the user's opt-in
    const ctx = { ...context(tree), allowPrivateUrls: true };
    for (const name of ["config", "config.gz"]) {
      await Deno.remove(`${tree.outDir}/olddefconfig.count`).catch(() => {});
      const o = await runConfig(
        plan({ source: { kind: "url", url: `${base}/${name}` } }),
        ctx,
      );
      assertEquals(o.failed, null);
      assertEquals(await Deno.readTextFile(`${tree.outDir}/.config`), text);
      assertEquals(await olddefconfigRuns(tree), 1);
    }
    await assertRejects(
      () =>
        runConfig(
          plan({ source: { kind: "url", url: `${base}/missing` } }),
          ctx,
        ),
      InfraError,
      "HTTP 404",
    );
  } finally {
    await server.shutdown();
  }
});

Deno.test("runConfig() passes KCONFIG_SEED to randconfig and records it", async () => {
  await using tree = await makeFakeTree();
  const o = await runConfig(
    plan({ source: { kind: "target", target: "randconfig", seed: "0x1234" } }),
    context(tree),
  );
  assertEquals(o.inputs.source, {
    kind: "target",
    target: "randconfig",
    seed: "0x1234",
  });
  assertStringIncludes(
    await Deno.readTextFile(`${tree.outDir}/.config`),
    'CONFIG_SEED="0x1234"',
  );
});

Deno.test("runConfig() copies a config file and applies overrides to it", async () => {
  await using tree = await makeFakeTree();
  await Deno.writeTextFile(`${tree.root}/my.config`, "CONFIG_BAR=y\n");
  const o = await runConfig(
    plan({ source: { kind: "file", path: "my.config" }, sets: ["FOO=y"] }),
    context(tree),
  );
  assertEquals(o.dropped, []);
  assertEquals(
    await Deno.readTextFile(`${tree.outDir}/.config`),
    "CONFIG_BAR=y\nCONFIG_FOO=y\n",
  );
});

Deno.test("runConfig() reports a failing config target and missing inputs", async () => {
  await using tree = await makeFakeTree();
  const o = await runConfig(
    plan({ source: { kind: "target", target: "nosuch_defconfig" } }),
    context(tree),
  );
  assertEquals(o.failed?.goal, "nosuch_defconfig");
  assert((o.failed?.code ?? 0) !== 0);
  await assertRejects(
    () => runConfig(plan({ fragments: ["missing.config"] }), context(tree)),
    UserError,
    'No config fragment "missing.config"',
  );
  await assertRejects(
    () =>
      runConfig(
        plan({ source: { kind: "existing" } }),
        { ...context(tree), objDir: `${tree.root}/empty` },
      ),
    UserError,
    "No .config",
  );
});

Deno.test("runConfig() accepts the build dir's own .config as the config file", async () => {
  await using tree = await makeFakeTree();
  await Deno.mkdir(tree.outDir, { recursive: true });
  await Deno.writeTextFile(`${tree.outDir}/.config`, "CONFIG_BAR=y\n");
  const o = await runConfig(
    plan({ source: { kind: "file", path: `${tree.outDir}/.config` } }),
    context(tree),
  );
  assertEquals(o.failed, null);
  assertEquals(
    await Deno.readTextFile(`${tree.outDir}/.config`),
    "CONFIG_BAR=y\n",
  );
});
