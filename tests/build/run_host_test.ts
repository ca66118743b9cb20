import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { runBuild } from "../../src/build/run_build.ts";
import { hostSection, prefetchHostFacts } from "../../src/build/_run_host.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { runProcess } from "../../src/proc/run_process.ts";
import { formatRecordSummary } from "../../src/logs/logs_show.ts";
import type { RecordMetadata } from "../../src/record/types.ts";
import { fakePlan, makeFakeTree } from "./_run_fake_tree.ts";

const BASE_ENV = { PATH: "/usr/bin:/bin", HOME: "/nonexistent" };

function isStringOrNull(v: unknown): boolean {
  return v === null || typeof v === "string";
}

Deno.test("a build record's host section: OS, kernel, CPU, memory, tool versions and out dir use, typed", async () => {
  await using tree = await makeFakeTree();
  const rec = `${tree.root}/rec`;
  const outcome = await runBuild(fakePlan(tree, ["drivers/foo/"]), {
    out: recordingOutput(),
    signal: new AbortController().signal,
    recordDir: rec,
    baseEnv: BASE_ENV,
  });
  assertEquals(outcome.result, "pass");
  const meta: RecordMetadata = JSON.parse(
    await Deno.readTextFile(`${rec}/metadata.json`),
  );
  const host = meta.host!;
  assert(host !== null && host !== undefined, "host section");
  assert(isStringOrNull(host.os.id) && isStringOrNull(host.os.versionId));
  assert(isStringOrNull(host.os.prettyName));
  assertEquals(host.os.id, "debian"); // this machine's /etc/os-release
  assertMatch(host.kernel.release, /^\d+\.\d+/);
  assertEquals(typeof host.kernel.machine, "string");
  assert(Number.isInteger(host.cpu.count) && host.cpu.count > 0);
  assert(isStringOrNull(host.cpu.model));
  assert(typeof host.memoryBytes === "number" && host.memoryBytes > 0);
  // native build with an out dir: measured
  assert(
    typeof host.outDirBytes === "number" && host.outDirBytes > 0,
    String(host.outDirBytes),
  );
  for (const name of ["make", "git", "bison", "flex", "bc", "perl"]) {
    const t = host.tools[name];
    assert(t !== undefined, `${name} recorded`);
    assertMatch(t.path ?? "", /^\//, name);
    assertMatch(t.version ?? "", /^\d+\.\d+/, name);
  }
  for (const name of ["pahole", "sparse", "ccache"]) {
    const t = host.tools[name];
    assert(t !== undefined, `${name} recorded (maybe absent)`);
    assert(isStringOrNull(t.path) && isStringOrNull(t.version), name);
  }
  // no CONFIG_RUST: no rust tools
  assertEquals(host.tools.rustc, undefined);
  assertEquals(typeof meta.timings["finish.host"], "number");
  // kcross logs show prints it
  const summary = formatRecordSummary(meta, rec);
  assert(
    summary.some((l) => l.startsWith("host:       Debian")),
    summary.join("\n"),
  );
  assert(
    summary.some((l) => /^host tools: .*make \d/.test(l)),
    summary.join("\n"),
  );
});

Deno.test("hostSection() adds rustc and bindgen for CONFIG_RUST=y and leaves disk use out in make.cross mode", async () => {
  await using tree = await makeFakeTree();
  const plan = { ...fakePlan(tree, []), mode: "make.cross" as const };
  const h = await hostSection({
    plan,
    path: "/usr/bin:/bin",
    finalConfig: {
      text: () => Promise.resolve("CONFIG_RUST=y\n"),
      get: (s) => Promise.resolve(s === "CONFIG_RUST" ? "y" : undefined),
    },
  });
  assert(h.tools.rustc !== undefined && h.tools.bindgen !== undefined);
  assertEquals(h.outDirBytes, null);
});

Deno.test("hostSection() narrows facts gathered while make ran to the final config's tools", async () => {
  await using tree = await makeFakeTree();
  const plan = { ...fakePlan(tree, []), mode: "make.cross" as const };
  const prefetched = prefetchHostFacts("/usr/bin:/bin");
  const section = (rust: boolean) =>
    hostSection({
      plan,
      path: "/usr/bin:/bin",
      finalConfig: {
        text: () => Promise.resolve(rust ? "CONFIG_RUST=y\n" : ""),
        get: (s) =>
          Promise.resolve(rust && s === "CONFIG_RUST" ? "y" : undefined),
      },
      prefetched,
    });
  const [plain, rust] = await Promise.all([section(false), section(true)]);
  assertEquals(plain.tools.rustc, undefined);
  assertEquals(plain.tools.bindgen, undefined);
  assert(plain.tools.make?.version, JSON.stringify(plain.tools));
  assert(rust.tools.rustc !== undefined && rust.tools.bindgen !== undefined);
  assertEquals(
    Object.keys(rust.tools).filter((n) => !(n in plain.tools)).sort(),
    ["bindgen", "rustc"],
  );
});

Deno.test("a make.cross record measures the out dir's disk use only with KCROSS_DISK_USAGE=1", async () => {
  await using tree = await makeFakeTree();
  const plan = {
    ...fakePlan(tree, ["drivers/foo/"]),
    mode: "make.cross" as const,
  };
  const bytes = async (name: string, env: Record<string, string>) => {
    const outcome = await runBuild(plan, {
      out: recordingOutput(),
      signal: new AbortController().signal,
      recordDir: `${tree.root}/${name}`,
      baseEnv: env,
    });
    assertEquals(outcome.result, "pass");
    return outcome.record.host?.outDirBytes;
  };
  assertEquals(await bytes("plain", BASE_ENV), null);
  const measured = await bytes("asked", {
    ...BASE_ENV,
    KCROSS_DISK_USAGE: "1",
  });
  assert(typeof measured === "number" && measured > 0, String(measured));
});

Deno.test("reproducer.sh checks the recorded tool versions and only warns on a difference", async () => {
  await using tree = await makeFakeTree();
  const rec = `${tree.root}/rec`;
  const outcome = await runBuild(fakePlan(tree, ["drivers/foo/"]), {
    out: recordingOutput(),
    signal: new AbortController().signal,
    recordDir: rec,
    baseEnv: BASE_ENV,
  });
  assertEquals(outcome.result, "pass");
  const meta: RecordMetadata = JSON.parse(
    await Deno.readTextFile(`${rec}/metadata.json`),
  );
  const script = await Deno.readTextFile(`${rec}/reproducer.sh`);
  assertMatch(script, /^kcross_check_tool '?4\.3'? make make --version$/m);
  // A fake make of another version first on PATH, and a stand-in kcross.
  const bin = `${tree.root}/fakebin`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(
    `${bin}/make`,
    '#!/bin/sh\necho "GNU Make 9.9"\n',
    { mode: 0o755 },
  );
  await Deno.writeTextFile(
    `${bin}/kcross`,
    '#!/bin/sh\necho "kcross $*" > "$KCROSS_ARGS_FILE"\n',
    { mode: 0o755 },
  );
  const stderr: string[] = [];
  const r = await runProcess(["sh", `${rec}/reproducer.sh`], {
    cwd: tree.srcTree,
    env: {
      PATH: `${bin}:/usr/bin:/bin`,
      KCROSS_ARGS_FILE: `${tree.root}/args`,
    },
    onLine: (l) => stderr.push(l),
  });
  assertEquals(r.code, 0, stderr.join("\n"));
  const make = meta.host!.tools.make!.version;
  assert(
    stderr.includes(
      `reproducer.sh: warning: make 9.9 here, the build used ${make}`,
    ),
    stderr.join("\n"),
  );
  // The tools that match say nothing; the build step still ran.
  assertEquals(stderr.filter((l) => l.includes("warning")).length, 1);
  assertMatch(await Deno.readTextFile(`${tree.root}/args`), /^kcross build /);
});
