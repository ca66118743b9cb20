import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import {
  checkHost,
  detectPackageManager,
  type HostProbe,
  installArgv,
  requirements,
} from "../../src/doctor/mod.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

/** Runs kcross doctor in its own process with only `path` on PATH. */
async function doctor(
  args: string[],
  path: string,
): Promise<{ code: number; stdout: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", MAIN, "doctor", ...args],
    env: { PATH: path, HOME: path },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: r.code, stdout: new TextDecoder().decode(r.stdout) };
}

function fakeHost(present: string[]): HostProbe {
  const set = new Set(present);
  return { path: "/bin:/usr/bin", exists: (p) => set.has(p) };
}

Deno.test("checkHost() reports what is missing and what satisfied the rest", () => {
  const host = fakeHost([
    "/usr/bin/make",
    "/usr/bin/cc",
    "/usr/include/gelf.h",
    "/usr/bin/apt-get",
  ]);
  const findings = checkHost(host);
  const by = Object.fromEntries(findings.map((f) => [f.requirement.name, f]));
  assertEquals(by["make"]!.ok, true);
  assertEquals(by["host C compiler"]!.foundAt, "/usr/bin/cc");
  assertEquals(by["libelf headers"]!.foundAt, "/usr/include/gelf.h");
  assertEquals(by["flex"]!.ok, false);
  assertEquals(detectPackageManager(host), "apt-get");
  const argv = installArgv(findings, "apt-get")!;
  assertEquals(argv.slice(0, 4), [
    "apt-get",
    "install",
    "-y",
    "--no-install-recommends",
  ]);
  assert(argv.includes("flex") && argv.includes("libssl-dev"), argv.join(" "));
  assert(!argv.includes("ccache"), "optional packages only with --optional");
  assert(installArgv(findings, "apt-get", true)!.includes("ccache"));
  assertEquals(installArgv(findings, "dnf")!.includes("openssl-devel"), true);
});

Deno.test("nothing missing means no install command", () => {
  const all = requirements().flatMap((r) => [
    ...(r.commands ?? []).map((c) => c.startsWith("/") ? c : `/usr/bin/${c}`),
    ...(r.files ?? []),
  ]);
  assertEquals(
    installArgv(checkHost(fakeHost(all)), "apt-get", true),
    undefined,
  );
});

Deno.test("kcross doctor prints the exact install command for a bare PATH", async () => {
  const dir = await Deno.makeTempDir();
  try {
    Deno.symlinkSync("/usr/bin/make", `${dir}/make`);
    Deno.writeTextFileSync(`${dir}/apt-get`, "#!/bin/sh\nexit 0\n", {
      mode: 0o755,
    });
    const out = await doctor([], dir);
    assertEquals(out.code, 1);
    assertMatch(out.stdout, /ok\s+make/);
    assertMatch(out.stdout, /MISSING\s+flex/);
    assertMatch(
      out.stdout,
      /Install with: (sudo )?apt-get install -y --no-install-recommends .*flex/,
    );
    const json = await doctor(["--json"], dir);
    assertEquals(json.code, 1);
    const parsed = JSON.parse(json.stdout);
    assertEquals(parsed.ok, false);
    assertEquals(parsed.packageManager, "apt-get");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("kcross doctor --config says what that config needs, why, and what is missing", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (
      const t of [
        "make",
        "gcc",
        "flex",
        "bison",
        "bc",
        "perl",
        "git",
        "xz",
        "tar",
      ]
    ) {
      Deno.symlinkSync(`/usr/bin/${t}`, `${dir}/${t}`);
    }
    Deno.writeTextFileSync(
      `${dir}/config`,
      "CONFIG_DEBUG_INFO_BTF=y\n# CONFIG_RUST is not set\n",
    );
    const out = await doctor(["--config", `${dir}/config`, "C=1"], dir);
    assertEquals(out.code, 1);
    assertMatch(out.stdout, /MISSING\s+pahole .*\[CONFIG_DEBUG_INFO_BTF=y\]/);
    assertMatch(out.stdout, /MISSING\s+sparse .*\[C=1\]/);
    assertMatch(out.stdout, /ok\s+make .*\[always\]/);
    assert(!/rustc/.test(out.stdout), "CONFIG_RUST is off: no rustc");
    const json = JSON.parse(
      (await doctor(["--config", `${dir}/config`, "--json"], dir)).stdout,
    );
    assertEquals(
      json.needed.find((n: { name: string }) => n.name === "pahole").because,
      "CONFIG_DEBUG_INFO_BTF=y",
    );
    const bad = await doctor(["--config", `${dir}/nope`], dir);
    assertEquals(bad.code, 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
