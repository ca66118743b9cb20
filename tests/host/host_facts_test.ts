import { assert, assertEquals } from "../_support/assert.ts";
import { tempDir } from "../_support/temp.ts";
import {
  cpuModel,
  diskUsage,
  gatherHostFacts,
  parseOsRelease,
  recordedTools,
  requirements,
  toolVersions,
  versionFromOutput,
  type VersionProbe,
} from "../../src/host/mod.ts";

Deno.test("versionFromOutput() takes the first version of real tools' --version lines", () => {
  const cases: [string, string | null][] = [
    ["GNU Make 4.3\nBuilt for x86_64-pc-linux-gnu", "4.3"],
    ["git version 2.39.5", "2.39.5"],
    ["bison (GNU Bison) 3.8.2\nWritten by Robert Corbett", "3.8.2"],
    ["flex 2.6.4", "2.6.4"],
    ["bc 1.07.1\nCopyright 1991-1994", "1.07.1"],
    ["v5.36.0", "5.36.0"],
    ["v0.6.4", "0.6.4"],
    ["ccache version 4.8+ds", "4.8"],
    ["rustc 1.63.0 (4b91a6ea7 2022-08-08)", "1.63.0"],
    ["gcc (Debian 12.2.0-14+deb12u1) 12.2.0", "12.2.0"],
    ["", null],
  ];
  for (const [text, want] of cases) {
    assertEquals(versionFromOutput(text), want, text);
  }
});

Deno.test("parseOsRelease() and cpuModel() read the files as the kernel and systemd write them", () => {
  const os = parseOsRelease(
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n',
  );
  assertEquals(os, {
    id: "debian",
    versionId: "12",
    prettyName: "Debian GNU/Linux 12 (bookworm)",
  });
  assertEquals(
    cpuModel(
      "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel name\t: Intel(R) Xeon(R) CPU @ 2.20GHz\n",
    ),
    "Intel(R) Xeon(R) CPU @ 2.20GHz",
  );
  assertEquals(cpuModel("processor : 0\n"), null);
});

Deno.test("recordedTools(): rustc and bindgen only for a CONFIG_RUST build", () => {
  const plain = recordedTools(new Map()).map((r) => r.name);
  for (
    const t of [
      "make",
      "git",
      "bison",
      "flex",
      "bc",
      "perl",
      "pahole",
      "sparse",
      "ccache",
    ]
  ) {
    assert(plain.includes(t), t);
  }
  assert(!plain.includes("rustc") && !plain.includes("bindgen"));
  const rust = recordedTools(new Map([["CONFIG_RUST", "y"]])).map((r) =>
    r.name
  );
  assert(rust.includes("rustc") && rust.includes("bindgen"));
});

Deno.test("toolVersions() asks each binary once and answers from its cache until the binary changes", async () => {
  await using dir = await tempDir("kcross-host-");
  const bin = `${dir}/bin`;
  await Deno.mkdir(bin);
  await Deno.writeTextFile(`${bin}/make`, "#!/bin/sh\necho 'GNU Make 4.3'\n", {
    mode: 0o755,
  });
  let calls = 0;
  const probe: VersionProbe = {
    async run(argv, env) {
      calls++;
      const out = await new Deno.Command(argv[0]!, {
        args: argv.slice(1),
        env,
        clearEnv: true,
        stdout: "piped",
      }).output();
      return new TextDecoder().decode(out.stdout);
    },
  };
  const reqs = requirements().filter((r) =>
    r.name === "make" || r.name === "sparse"
  );
  const cacheFile = `${dir}/cache/host-tools.json`;
  const first = await toolVersions(reqs, { path: bin, cacheFile, probe });
  assertEquals(first["make"], { path: `${bin}/make`, version: "4.3" });
  assertEquals(first["sparse"], { path: null, version: null });
  assertEquals(calls, 1);
  await toolVersions(reqs, { path: bin, cacheFile, probe });
  assertEquals(calls, 1, "a warm cache spawns nothing");
  await Deno.writeTextFile(`${bin}/make`, "#!/bin/sh\necho 'GNU Make 4.4.1'\n");
  await Deno.utime(`${bin}/make`, new Date(), new Date(Date.now() + 5000));
  const changed = await toolVersions(reqs, { path: bin, cacheFile, probe });
  assertEquals(changed["make"]!.version, "4.4.1");
  assertEquals(calls, 2);
});

Deno.test("gatherHostFacts() and diskUsage() on this machine", async () => {
  await using dir = await tempDir("kcross-host-");
  await Deno.writeFile(`${dir}/f`, new Uint8Array(64 * 1024));
  const facts = await gatherHostFacts({ path: "/usr/bin:/bin" });
  assert(facts.cpu.count >= 1);
  assert((facts.memoryBytes ?? 0) > 0);
  assertEquals(facts.kernel.release, Deno.osRelease());
  assertEquals(facts.tools["make"]?.path, "/usr/bin/make");
  assert(/^\d+\.\d+/.test(facts.tools["make"]?.version ?? ""));
  const du = await diskUsage(dir);
  assert(du !== null && du >= 64 * 1024, String(du));
  assertEquals(await diskUsage(`${dir}/missing`), null);
});
