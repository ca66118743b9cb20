import { assert, assertEquals } from "../_support/assert.ts";
import {
  neededRequirements,
  parseDotConfig,
  requirements,
} from "../../src/host/mod.ts";

function names(shape: Parameters<typeof neededRequirements>[1]) {
  return Object.fromEntries(
    neededRequirements(requirements(), shape).map((
      n,
    ) => [n.requirement.name, n.because]),
  );
}

Deno.test("neededRequirements(): a plain build needs the base tools and nothing optional", () => {
  const got = names({ config: new Map(), makeWords: [], targets: [] });
  for (const base of ["make", "flex", "bison", "bc", "perl", "git"]) {
    assertEquals(got[base], "always", base);
  }
  for (const opt of ["sparse", "pahole", "rustc", "bindgen", "dt-schema"]) {
    assertEquals(got[opt], undefined, opt);
  }
});

Deno.test("neededRequirements(): each config symbol, make word and target says why", () => {
  const config = parseDotConfig(
    [
      "CONFIG_RUST=y",
      "CONFIG_DEBUG_INFO_BTF=y",
      "CONFIG_MODULE_SIG=y",
      "CONFIG_IKHEADERS=m",
      "# CONFIG_KERNEL_LZ4 is not set",
    ].join("\n"),
  );
  const got = names({
    config,
    makeWords: ["C=1", "W=1"],
    targets: ["dtbs_check", "headers_install"],
  });
  assertEquals(got["pahole"], "CONFIG_DEBUG_INFO_BTF=y");
  assertEquals(got["rustc"], "CONFIG_RUST=y");
  assertEquals(got["bindgen"], "CONFIG_RUST=y");
  assertEquals(got["rust-src"], "CONFIG_RUST=y");
  assertEquals(got["openssl"], "CONFIG_MODULE_SIG=y");
  assertEquals(got["cpio"], "CONFIG_IKHEADERS=m");
  assertEquals(got["sparse"], "C=1");
  assertEquals(got["dt-schema"], "target dtbs_check");
  assertEquals(got["rsync"], "target headers_install");
  assertEquals(got["lz4"], undefined, "a symbol that is not set needs nothing");
});

Deno.test("the host tool table is well formed: packages, a reason, known condition keys", () => {
  const seen = new Set<string>();
  for (const r of requirements()) {
    assert(!seen.has(r.name), `duplicate ${r.name}`);
    seen.add(r.name);
    assert(r.debian && r.fedora && r.why, r.name);
    assert((r.commands?.length ?? 0) + (r.files?.length ?? 0) > 0, r.name);
    for (const k of Object.keys(r.needed ?? {})) {
      assert(["config", "make", "targets"].includes(k), `${r.name}: ${k}`);
    }
    for (const s of r.needed?.config ?? []) {
      assert(/^CONFIG_[A-Z0-9_]+$/.test(s), `${r.name}: ${s}`);
    }
    if (r.record) {
      assert(r.version, `${r.name} records a version it cannot ask`);
    }
  }
});
