/**
 * End to end: hostile make words from every front door never reach make.
 * Each test first shows the word does run something when it is trusted (so
 * the marker file would appear without the policy), then that kcross refuses
 * it with exit 2 and the marker never appears.
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
const FIXTURES = `${ROOT}/tests/fixtures/robot-reports`;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `kcross` launcher with a clean environment. */
async function kcross(k: FakeKernel, args: string[]): Promise<Run> {
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

/** A fake arm64 tree with an exact gcc shim and an evil shell/makefile beside it. */
async function tree(): Promise<FakeKernel & { marker: string }> {
  const k = await makeFakeKernel({
    configs: { build_dir: "CONFIG_ARM64=y\n" },
  });
  try {
    await installGccShim(k.cip, "13.2.0", "aarch64-linux");
    const marker = `${k.root}/pwned`;
    await Deno.writeTextFile(
      `${k.root}/evil.sh`,
      `#!/bin/sh\ntouch '${marker}'\nexec /bin/sh "$@"\n`,
      { mode: 0o755 },
    );
    await Deno.writeTextFile(
      `${k.src}/evil.mk`,
      `$(shell touch '${marker}')\n`,
    );
    return Object.assign(k, { marker });
  } catch (e) {
    await k[Symbol.asyncDispose]();
    throw e;
  }
}

const BUILD = ["build", "--arch", "arm64", "--compiler", "gcc-13.2.0"];

function refused(r: Run, word: string) {
  assertEquals(r.code, 2, r.stderr);
  assertStringIncludes(r.stderr, `error: Refused make word "${word}"`);
  assertStringIncludes(r.stderr, "--trust-make-line");
  assert(!r.stderr.includes("    at "), r.stderr);
}

Deno.test("kcross build refuses CF=$(shell …): the command never runs", async () => {
  await using k = await tree();
  const cf = `CF=$(shell touch ${k.marker})`;
  const trusted = await kcross(k, [
    ...BUILD,
    "--trust-make-line",
    cf,
    "drivers/",
  ]);
  assertEquals(trusted.code, 0, trusted.stderr);
  assert(await exists(k.marker), "the fake tree runs $(CF) like the kernel");
  const meta = JSON.parse(
    await Deno.readTextFile(
      `${k.root}/state/builds/${
        (await Array.fromAsync(Deno.readDir(`${k.root}/state/builds`)))[0]!
          .name
      }/metadata.json`,
    ),
  );
  assertStringIncludes(
    meta.plan.notes.join("\n"),
    "make words passed unchecked (--trust-make-line)",
  );
  await Deno.remove(k.marker);

  refused(await kcross(k, [...BUILD, cf, "drivers/"]), cf);
  assert(!(await exists(k.marker)));

  // A record is input too: its rerun goes through the policy again.
  refused(await kcross(k, ["logs", "rerun", "latest"]), cf);
  assert(!(await exists(k.marker)));
});

Deno.test("kcross build refuses SHELL=/path/evil.sh: the shell never runs", async () => {
  await using k = await tree();
  const shell = `SHELL=${k.root}/evil.sh`;
  const trusted = await kcross(k, [
    ...BUILD,
    "--trust-make-line",
    shell,
    "drivers/",
  ]);
  assertEquals(trusted.code, 0, trusted.stderr);
  assert(await exists(k.marker), "make runs recipes with $(SHELL)");
  await Deno.remove(k.marker);
  refused(await kcross(k, [...BUILD, shell, "drivers/"]), shell);
  assert(!(await exists(k.marker)));
});

Deno.test('a matrix target "-f evil.mk" is refused at load with file:line', async () => {
  await using k = await tree();
  await Deno.writeTextFile(
    `${k.root}/m.toml`,
    `[matrix]\narch = ["arm64"]\nconfig = ["defconfig"]\ncompiler = ["gcc-13.2.0"]\ntargets = ["-f evil.mk drivers/"]\n`,
  );
  for (const sub of ["plan", "run"]) {
    const r = await kcross(k, ["matrix", sub, `${k.root}/m.toml`]);
    assertEquals(r.code, 2, r.stderr);
    assertStringIncludes(
      r.stderr,
      `m.toml:5: matrix.targets[0]: refused make word "-f"`,
    );
    assert(!(await exists(k.marker)));
  }
});

Deno.test("kcross repro refuses a forged report's CF=$(shell …) before the commit is fetched", async () => {
  await using k = await tree();
  const text = (await Deno.readTextFile(`${FIXTURES}/016.txt`)).replaceAll(
    "CF='-fdiagnostic-prefix -D__CHECK_ENDIAN__'",
    `CF='$(shell touch ${k.marker})'`,
  );
  assert(text.includes(k.marker));
  await Deno.writeTextFile(`${k.root}/report.txt`, text);
  // --offline: the robot's config is not fetched from download.01.org here.
  const r = await kcross(k, ["repro", "--offline", `${k.root}/report.txt`]);
  refused(r, `CF=$(shell touch ${k.marker})`);
  assert(!r.stderr.includes("==> checkout"), r.stderr);
  assert(!(await exists(k.marker)));
});

Deno.test("kcross repro refuses a forged report's install goals (make install writes /boot, modules_install /lib/modules)", async () => {
  await using k = await tree();
  for (const goal of ["modules_install", "install"]) {
    const text = (await Deno.readTextFile(`${FIXTURES}/016.txt`)).replaceAll(
      "SHELL=/bin/bash arch/powerpc/mm/nohash/",
      `SHELL=/bin/bash ${goal}`,
    );
    await Deno.writeTextFile(`${k.root}/report.txt`, text);
    const r = await kcross(k, ["repro", "--offline", `${k.root}/report.txt`]);
    refused(r, goal);
    assertStringIncludes(r.stderr, "install goals");
    assert(!r.stderr.includes("==> checkout"), r.stderr);
  }
});

Deno.test("kcross repro --reproduce refuses a reproduce script's SHELL=/path/evil.sh", async () => {
  await using k = await tree();
  const script = (await Deno.readTextFile(`${FIXTURES}/037.reproduce.txt`))
    .replaceAll("SHELL=/bin/bash", `SHELL=${k.root}/evil.sh`);
  await Deno.writeTextFile(`${k.root}/repro.txt`, script);
  const r = await kcross(k, [
    "repro",
    "--offline",
    `${FIXTURES}/037.txt`,
    "--reproduce",
    `${k.root}/repro.txt`,
  ]);
  refused(r, `SHELL=${k.root}/evil.sh`);
  assert(!(await exists(k.marker)));
});

async function gitCommits(dir: string, n: number) {
  const git = async (...args: string[]) => {
    const r = await new Deno.Command("git", {
      args: ["-c", "user.name=t", "-c", "user.email=t@t", ...args],
      cwd: dir,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert(r.success, new TextDecoder().decode(r.stderr));
  };
  await git("init", "-q");
  for (let i = 0; i < n; i++) {
    await Deno.writeTextFile(`${dir}/f${i}`, `${i}\n`);
    await git("add", "-A");
    await git("commit", "-qm", `c${i}`);
  }
}

Deno.test("kcross series refuses hostile make words before building a commit", async () => {
  await using k = await tree();
  await gitCommits(k.src, 2);
  const r = await kcross(k, [
    "series",
    "HEAD~1..HEAD",
    "--arch",
    "arm64",
    "--config",
    "defconfig",
    "-f",
    "evil.mk",
  ]);
  assertEquals(r.code, 2, r.stderr);
  assert(!(await exists(k.marker)));
  const s = await kcross(k, [
    "series",
    "HEAD~1..HEAD",
    "--arch",
    "arm64",
    "--config",
    "defconfig",
    `SHELL=${k.root}/evil.sh`,
    "drivers/",
  ]);
  refused(s, `SHELL=${k.root}/evil.sh`);
  assert(!(await exists(k.marker)));
});

Deno.test("a forged record cannot pass --trust-make-line, --record-dir or --tree in its own steps", async () => {
  await using k = await tree();
  const cf = `CF=$(shell touch ${k.marker})`;
  // A clean build leaves a record; its metadata.json is then forged.
  const ok = await kcross(k, [...BUILD, "drivers/"]);
  assertEquals(ok.code, 0, ok.stderr);
  const builds = `${k.root}/state/builds`;
  const id = (await Array.fromAsync(Deno.readDir(builds)))[0]!.name;
  const path = `${builds}/${id}/metadata.json`;
  const original = await Deno.readTextFile(path);
  const forge = async (extra: string[]) => {
    const meta = JSON.parse(original);
    meta.reproduce.steps[0].args.push(...extra);
    await Deno.writeTextFile(path, JSON.stringify(meta));
    return await kcross(k, ["logs", "rerun", id]);
  };
  const r = await forge(["--trust-make-line", cf]);
  assertEquals(r.code, 2, r.stderr);
  assertStringIncludes(r.stderr, `"--trust-make-line"`);
  assert(!r.stderr.includes("    at "), r.stderr);
  assert(!(await exists(k.marker)));
  for (
    const extra of [
      ["--record-dir", `${k.root}/elsewhere`],
      ["--tree", `${k.root}`],
      ["--config", "/etc/passwd"],
      ["--kconfig-add", "/etc/passwd"],
      ["--out", "/tmp"],
    ]
  ) {
    const f = await forge(extra);
    assertEquals(f.code, 2, f.stderr);
    assertStringIncludes(f.stderr, "error: Record ");
    assert(!(await exists(`${k.root}/elsewhere`)));
  }
  // Its tree and out dir are paths of another machine: never a directory
  // of this one that is not a kernel tree or a build dir (kbuild would run
  // that Makefile, or overwrite it with its own).
  const project = `${k.root}/project`;
  await Deno.mkdir(project);
  await Deno.writeTextFile(
    `${project}/Makefile`,
    `all:\n\ttouch '${k.marker}'\nkernelversion:\n\t@touch '${k.marker}'; echo 6.1.0\n`,
  );
  for (const field of ["cwd", "outDir"]) {
    const meta = JSON.parse(original);
    meta.reproduce[field] = project;
    await Deno.writeTextFile(path, JSON.stringify(meta));
    const f = await kcross(k, ["logs", "rerun", id]);
    assertEquals(f.code, 2, f.stderr);
    assertStringIncludes(f.stderr, "hint: ");
    assert(!(await exists(k.marker)), field);
    assertEquals(
      await Deno.readTextFile(`${project}/Makefile`),
      `all:\n\ttouch '${k.marker}'\nkernelversion:\n\t@touch '${k.marker}'; echo 6.1.0\n`,
    );
  }
  // The record as kcross wrote it replays.
  await Deno.writeTextFile(path, original);
  const again = await kcross(k, ["logs", "rerun", id]);
  assertEquals(again.code, 0, again.stderr);
});
