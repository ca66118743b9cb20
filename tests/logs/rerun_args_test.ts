import { assertEquals, assertThrows } from "../_support/assert.ts";
import { checkRerunArgs } from "../../src/logs/rerun_args.ts";
import { reproducerSteps } from "../../src/build/reproducer_steps.ts";
import { UserError } from "../../src/errors.ts";
import type { BuildPlan } from "../../src/build/types.ts";
import type { ConfigInputs } from "../../src/config/mod.ts";

const PLAN = {
  mode: "native",
  arch: "arm64",
  srcTree: "/k",
  cwd: "/k",
  outDir: "/k/out/arm64",
  argv: ["make", "ARCH=arm64", "W=12", "C=1", "SHELL=/bin/bash", "drivers/"],
  env: {},
  envUnset: [],
  toolchain: null,
  triple: "aarch64-linux",
  tripleReason: "",
  config: null,
  targets: ["drivers/"],
  jobs: 2,
  ccache: true,
  allowEmpty: true,
  notes: [],
} as unknown as BuildPlan;

Deno.test("checkRerunArgs accepts every option reproducerSteps writes", () => {
  const configs: ConfigInputs[] = [
    {
      source: { kind: "url", url: "https://example.org/config.gz" },
      fragments: [
        { kind: "url", path: "https://example.org/f.config" },
        { kind: "tree", path: "arch/arm64/configs/virt.config" },
        { kind: "make", path: "make:kvm_guest.config" },
        { kind: "file", path: "/home/me/x.config", text: "CONFIG_X=y\n" },
      ],
      sets: ["CONFIG_Y=m", "# CONFIG_Z is not set"],
      werror: "off",
    } as unknown as ConfigInputs,
    {
      source: { kind: "target", target: "allmodconfig", seed: null },
      fragments: [],
      sets: [],
      werror: "keep",
    } as unknown as ConfigInputs,
    {
      source: { kind: "file", path: "/home/me/.config" },
      fragments: [],
      sets: [],
      werror: "keep",
    } as unknown as ConfigInputs,
  ];
  for (const config of configs) {
    for (const step of reproducerSteps(PLAN, config)) {
      checkRerunArgs("r", step.args);
    }
  }
});

Deno.test("checkRerunArgs refuses what a forged record adds: trust, paths of this machine, other options", () => {
  for (
    const extra of [
      ["--trust-make-line"],
      ["--record-dir", "/home/me/.ssh"],
      ["--tree", "/"],
      ["--config", "/etc/shadow"],
      ["--config", "${KCROSS_RECORD_DIR}/../../x"],
      ["--kconfig-add", "/etc/passwd"],
      ["--kconfig-add", "../../../../etc/passwd"],
      ["--kconfig-add", "./secret.config"],
      ["--out", "/etc"],
      ["--out", "../../x"],
      ["--config-url", "file:///etc/passwd"],
      ["--set", "CONFIG_X=y\nCONFIG_Y=y"],
      ["--arch"],
      ["--dry-run"],
      ["--jobs", "100000"],
    ]
  ) {
    assertThrows(
      () => checkRerunArgs("r", ["--arch", "arm64", ...extra, "drivers/"]),
      UserError,
      'Record "r" was not written by kcross build',
    );
  }
  for (const bad of [null, "x", [1], { 0: "--arch" }]) {
    assertThrows(() => checkRerunArgs("r", bad), UserError, "not a list");
  }
  // Make words are the make-word policy's, checked when the build plans.
  assertEquals(checkRerunArgs("r", ["W=1", "drivers/"]), undefined);
});
