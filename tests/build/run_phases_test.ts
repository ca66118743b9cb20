/**
 * The phase runner on the fake tree, its Makefile extended with the goals
 * named targets use (vmlinux, modules, modules_install, dtbs, dtbs_install,
 * kernelrelease) and knobs to fail each.
 */
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { InfraError } from "../../src/errors.ts";
import { main } from "../../main.ts";
import { scopedEnv } from "../_support/env.ts";
import { runBuild } from "../../src/build/run_build.ts";
import { resolveTargets } from "../../src/build/targets.ts";
import type { ArtifactLevel, BuildPlan } from "../../src/build/types.ts";
import type { RecordMetadata } from "../../src/record/types.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { sha256File } from "../../src/util/sha256_file.ts";
import { fakePlan, type FakeTree, makeFakeTree } from "./_run_fake_tree.ts";

const GOALS = `
vmlinux: FORCE
\t@if [ -n "$$FAKE_KERNEL_FAIL" ]; then echo "init/main.c:1:1: error: boom" >&2; exit 2; fi
\t@echo "  LD      vmlinux"
\t@printf 'ELF-fake' > $(O)/vmlinux
\t@printf '00000000 T _stext\\n' > $(O)/System.map
modules: FORCE
\t@test -f $(O)/vmlinux || { echo "modules: no vmlinux" >&2; exit 2; }
\t@echo "  LD [M]  drivers/foo/foo.ko"
\t@printf 'KO' > $(O)/foo.ko
\t@printf 'SYMVERS' > $(O)/Module.symvers
modules_install: FORCE
\t@if [ -n "$$FAKE_INSTALL_FAIL" ]; then mkdir -p $(INSTALL_MOD_PATH)/lib; echo "install: boom" >&2; exit 2; fi
\t@if [ -n "$$FAKE_INSTALL_HANG" ]; then mkdir -p $(INSTALL_MOD_PATH)/lib; echo "INSTALL-STARTED"; sleep 60; fi
\t@mkdir -p $(INSTALL_MOD_PATH)/lib/modules/6.1.0-fake/kernel
\t@cp $(O)/foo.ko $(INSTALL_MOD_PATH)/lib/modules/6.1.0-fake/kernel/
dtbs: FORCE
\t@if [ -n "$$FAKE_DTBS_FAIL" ]; then echo "Error: arch/powerpc/boot/dts/bad.dts:3.1-2 syntax error" >&2; exit 2; fi
\t@mkdir -p $(O)/arch/powerpc/boot/dts
\t@printf 'DTB' > $(O)/arch/powerpc/boot/dts/ok.dtb
dtbs_install: FORCE
\t@mkdir -p $(INSTALL_DTBS_PATH)
\t@cp $(O)/arch/powerpc/boot/dts/ok.dtb $(INSTALL_DTBS_PATH)/
kernelrelease:
\t@echo 6.1.0-fake
`;

async function extend(tree: FakeTree): Promise<void> {
  const mk = `${tree.srcTree}/Makefile`;
  const text = await Deno.readTextFile(mk);
  await Deno.writeTextFile(
    mk,
    text.replace(
      ".PHONY: FORCE",
      ".PHONY: FORCE vmlinux modules modules_install dtbs dtbs_install kernelrelease",
    ) + GOALS,
  );
}

function phased(
  tree: FakeTree,
  words: string[],
  opts: { keepGoing?: boolean; artifacts?: ArtifactLevel } = {},
): BuildPlan {
  const level = opts.artifacts ?? "default";
  const r = resolveTargets(words, { arch: "powerpc", artifacts: level });
  const plan = fakePlan(tree, r.kbuild, {
    source: { kind: "target", target: "allmodconfig" },
    fragments: [],
    sets: ["CONFIG_MODULES=y"],
    werror: "keep",
  });
  return {
    ...plan,
    targets: words,
    phases: r.phases,
    artifacts: level,
    keepGoing: opts.keepGoing ?? false,
  };
}

async function run(
  plan: BuildPlan,
  rec: string,
  env: Record<string, string> = {},
) {
  const outcome = await runBuild(plan, {
    out: recordingOutput(),
    signal: new AbortController().signal,
    recordDir: rec,
    echo: false,
    baseEnv: { PATH: "/usr/bin:/bin", ...env },
  });
  const meta = JSON.parse(
    await Deno.readTextFile(`${rec}/metadata.json`),
  ) as RecordMetadata;
  return { outcome, meta };
}

function statuses(meta: RecordMetadata): string[] {
  return (meta.phases ?? []).map((p) => `${p.name}:${p.status}`);
}

async function listDir(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) names.push(e.name);
  return names.sort();
}

Deno.test("named targets run as phases, each with its status and duration, and leave their artifacts with sha256 and size", async () => {
  await using tree = await makeFakeTree();
  await extend(tree);
  const rec = `${tree.root}/rec`;
  const { outcome, meta } = await run(
    phased(tree, ["modules", "dtbs"]),
    rec,
  );
  assertEquals(outcome.result, "pass", meta.reason ?? "");
  assertEquals(statuses(meta), [
    "config:pass",
    "kernel:pass",
    "modules:pass",
    "dtbs:pass",
  ]);
  const kernel = meta.phases!.find((p) => p.name === "kernel")!;
  assertEquals(kernel.goals, ["vmlinux"]);
  assertEquals(kernel.implied, true);
  assertEquals(kernel.exitCode, 0);
  assert(kernel.durationMs > 0);
  assertEquals(kernel.artifacts, ["vmlinux", "System.map"]);
  assertEquals(meta.tree.kernelRelease, "6.1.0-fake");
  assertEquals(
    await listDir(`${rec}/artifacts`),
    ["System.map", "config", "dtbs.tar.xz", "modules.tar.xz", "vmlinux"],
  );
  for (const a of meta.artifacts!) {
    const path = `${rec}/${a.path}`;
    assertEquals(a.sha256, await sha256File(path), a.name);
    assertEquals(a.size, (await Deno.stat(path)).size, a.name);
  }
  assertEquals(
    await Deno.readTextFile(`${rec}/artifacts/vmlinux`),
    "ELF-fake",
  );
  const tar = new Deno.Command("tar", {
    args: ["-tJf", `${rec}/artifacts/modules.tar.xz`],
    stdout: "piped",
  }).outputSync();
  assertStringIncludes(
    new TextDecoder().decode(tar.stdout),
    "./lib/modules/6.1.0-fake/kernel/foo.ko",
  );
  // The reproducer keeps the named targets as given.
  assertStringIncludes(
    await Deno.readTextFile(`${rec}/reproducer.sh`),
    "modules dtbs",
  );
});

Deno.test("--artifacts all adds Module.symvers; kcross logs show <id> --artifacts lists the record's artifacts (name, size, sha256, file)", async () => {
  await using tree = await makeFakeTree();
  await extend(tree);
  await using _env = await scopedEnv({
    KCROSS_STATE_DIR: `${tree.root}/state`,
  });
  const outcome = await runBuild(
    phased(tree, ["modules"], { artifacts: "all" }),
    {
      out: recordingOutput(),
      signal: new AbortController().signal,
      echo: false,
      baseEnv: { PATH: "/usr/bin:/bin" },
    },
  );
  assertEquals(outcome.result, "pass", outcome.reason ?? "");
  const show = async (...args: string[]) => {
    const out = recordingOutput();
    const code = await main(["logs", "show", outcome.id, ...args], { out });
    assertEquals(code, 0, out.stderr.join("\n"));
    return out.stdout.join("\n");
  };
  const listed = JSON.parse(await show("--artifacts", "--json")) as {
    name: string;
    size: number;
    sha256: string;
    file: string;
  }[];
  assertEquals(listed.map((a) => a.name), [
    "config",
    "vmlinux",
    "System.map",
    "modules.tar.xz",
    "Module.symvers",
  ]);
  for (const a of listed) {
    assertEquals(a.sha256, await sha256File(a.file), a.name);
    assertEquals(a.size, (await Deno.stat(a.file)).size, a.name);
  }
  const table = await show("--artifacts");
  assertStringIncludes(table, listed[1]!.sha256);
  assertStringIncludes(table, listed[1]!.file);
});

Deno.test("a failed dtbs does not hide that kernel and modules passed", async () => {
  await using tree = await makeFakeTree();
  await extend(tree);
  const rec = `${tree.root}/rec`;
  const { outcome, meta } = await run(
    phased(tree, ["kernel", "modules", "dtbs"]),
    rec,
    { FAKE_DTBS_FAIL: "1" },
  );
  assertEquals(outcome.result, "fail");
  assertEquals(statuses(meta), [
    "config:pass",
    "kernel:pass",
    "modules:pass",
    "dtbs:fail",
  ]);
  assertEquals(meta.reason, "target dtbs failed: make exited with 2");
  assertEquals(meta.exit?.code, 2);
  const names = meta.artifacts!.map((a) => a.name);
  assert(names.includes("modules.tar.xz") && !names.includes("dtbs.tar.xz"));
  assertStringIncludes(
    await Deno.readTextFile(`${rec}/build.log`),
    "bad.dts:3.1-2 syntax error",
  );
});

Deno.test("after a failed target, dependents are skipped; the others run only with --keep-going", async (t) => {
  await using tree = await makeFakeTree();
  await extend(tree);
  await t.step("without --keep-going the build stops", async () => {
    const { meta } = await run(
      phased(tree, ["modules", "dtbs"]),
      `${tree.root}/rec1`,
      { FAKE_KERNEL_FAIL: "1" },
    );
    assertEquals(statuses(meta), [
      "config:pass",
      "kernel:fail",
      "modules:skipped",
      "dtbs:skipped",
    ]);
    assertStringIncludes(meta.phases![2]!.reason ?? "", '"kernel"');
    assertStringIncludes(meta.phases![3]!.reason ?? "", "--keep-going");
    assertEquals(meta.result, "fail");
  });
  await t.step("with --keep-going dtbs still runs", async () => {
    const { meta } = await run(
      phased(tree, ["modules", "dtbs"], { keepGoing: true }),
      `${tree.root}/rec2`,
      { FAKE_KERNEL_FAIL: "1" },
    );
    assertEquals(statuses(meta), [
      "config:pass",
      "kernel:fail",
      "modules:skipped",
      "dtbs:pass",
    ]);
    assertEquals(meta.reason, "target kernel failed: make exited with 2");
    // The reproducer keeps --keep-going; make.cross gets the make goals.
    const step = meta.reproduce.steps[0]!.args.join(" ");
    assertStringIncludes(step, "--keep-going modules dtbs");
    assert(
      meta.reproduce.makeCross.some((l) => l.endsWith("vmlinux modules dtbs")),
      meta.reproduce.makeCross.join("\n"),
    );
    assertEquals(meta.artifacts!.map((a) => a.name), ["config", "dtbs.tar.xz"]);
  });
});

Deno.test("modules is skipped when CONFIG_MODULES is off; --artifacts none collects nothing", async () => {
  await using tree = await makeFakeTree();
  await extend(tree);
  const plan = phased(tree, ["modules"], { artifacts: "none" });
  plan.config = { ...plan.config!, sets: [] };
  const rec = `${tree.root}/rec`;
  const { outcome, meta } = await run(plan, rec);
  assertEquals(outcome.result, "pass");
  assertEquals(statuses(meta), [
    "config:pass",
    "kernel:pass",
    "modules:skipped",
  ]);
  assertEquals(meta.phases![2]!.reason, "CONFIG_MODULES is not set");
  assertEquals(meta.artifacts, []);
  assertEquals(await listDir(rec).then((n) => n.includes("artifacts")), false);
});

Deno.test("a failed artifact fails its phase and leaves no partial file or staging dir", async () => {
  await using tree = await makeFakeTree();
  await extend(tree);
  const rec = `${tree.root}/rec`;
  const { outcome, meta } = await run(
    phased(tree, ["modules"]),
    rec,
    { FAKE_INSTALL_FAIL: "1" },
  );
  assertEquals(outcome.result, "fail");
  assertEquals(statuses(meta), ["config:pass", "kernel:pass", "modules:fail"]);
  assertEquals(
    meta.phases![2]!.reason,
    "artifacts: make modules_install exited with 2",
  );
  assertEquals(await listDir(`${rec}/artifacts`), [
    "System.map",
    "config",
    "vmlinux",
  ]);
});

Deno.test("a failed config step reports every phase", async () => {
  await using tree = await makeFakeTree();
  await extend(tree);
  const plan = phased(tree, ["kernel"]);
  plan.config = {
    ...plan.config!,
    source: { kind: "target", target: "nonexistentconfig" },
  };
  const { outcome, meta } = await run(plan, `${tree.root}/rec`);
  assertEquals(outcome.result, "fail");
  assertEquals(statuses(meta), ["config:fail", "kernel:skipped"]);
  assertEquals(meta.artifacts, []);
});

Deno.test("an interrupt while artifacts are collected leaves no partial artifact", async () => {
  await using tree = await makeFakeTree();
  await extend(tree);
  const rec = `${tree.root}/rec`;
  const ac = new AbortController();
  const out = recordingOutput();
  // Abort when modules_install says it started (no timer).
  const watching = {
    ...out,
    out: (line: string) => {
      out.out(line);
      if (line === "INSTALL-STARTED") ac.abort();
    },
  };
  const outcome = await runBuild(phased(tree, ["modules"]), {
    out: watching,
    signal: ac.signal,
    recordDir: rec,
    baseEnv: { PATH: "/usr/bin:/bin", FAKE_INSTALL_HANG: "1" },
  });
  assertEquals(outcome.result, "interrupted");
  const meta = JSON.parse(
    await Deno.readTextFile(`${rec}/metadata.json`),
  ) as RecordMetadata;
  assertEquals(statuses(meta), [
    "config:pass",
    "kernel:pass",
    "modules:interrupted",
  ]);
  assertEquals(await listDir(`${rec}/artifacts`), [
    "System.map",
    "config",
    "vmlinux",
  ]);
});

Deno.test("a named target whose host tool is missing is refused before anything runs or is written (exit 3, one line, the package in the hint)", async () => {
  await using tree = await makeFakeTree();
  await extend(tree);
  const empty = `${tree.root}/empty-bin`;
  await Deno.mkdir(empty);
  for (
    const [words, line, pkg] of [
      [
        ["kernel", "dtbs_check"],
        'Target "dtbs_check" needs dt-schema: "dt-doc-validate" not found on PATH',
        "install dt-schema (Debian/Ubuntu)",
      ],
      [
        ["bindeb-pkg"],
        'Target "bindeb-pkg" needs dpkg-dev: "dpkg-buildpackage" not found on PATH',
        "install dpkg-dev",
      ],
    ] as const
  ) {
    const rec = `${tree.root}/rec-${words.at(-1)}`;
    const error = await runBuild(phased(tree, [...words]), {
      out: recordingOutput(),
      signal: new AbortController().signal,
      recordDir: rec,
      echo: false,
      baseEnv: { PATH: empty },
    }).then(() => null, (e: unknown) => e as InfraError);
    assert(error instanceof InfraError, String(error));
    assertEquals(error.exitCode, 3);
    assertEquals(error.message, line);
    assertStringIncludes(error.hint ?? "", pkg);
    assertStringIncludes(error.hint ?? "", "kcross doctor --config .config");
    let made = true;
    await Deno.stat(rec).catch(() => made = false);
    assertEquals(made, false, "no record dir");
    assertEquals(await listDir(tree.outDir).catch(() => []), []);
  }
});
