import {
  assert,
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../_support/assert.ts";
import {
  artifactRules,
  isNamedTarget,
  kernelImage,
  listTargets,
  resolveTargets,
  TARGETS,
} from "../../src/build/targets.ts";
import { missingTargetTools } from "../../src/build/_target_tools.ts";
import { supportedArches } from "../../src/toolchain/arch.ts";
import { UserError } from "../../src/errors.ts";

const names = (words: string[], arch = "powerpc") =>
  resolveTargets(words, { arch, artifacts: "default" }).phases.map((p) =>
    p.name
  );

Deno.test("resolveTargets() adds dependencies and runs phases in table order", async (t) => {
  await t.step("modules brings kernel, and both bring config", () => {
    assertEquals(names(["modules"]), ["config", "kernel", "modules"]);
  });
  await t.step("the order on the command line does not matter", () => {
    assertEquals(names(["dtbs", "modules", "kernel"]), [
      "config",
      "kernel",
      "modules",
      "dtbs",
    ]);
    assertEquals(names(["modules", "modules"]), names(["modules"]));
  });
  await t.step("only asked-for targets are not implied", () => {
    const r = resolveTargets(["modules"], {
      arch: "powerpc",
      artifacts: "default",
    });
    assertEquals(r.phases.map((p) => p.implied), [true, true, false]);
    assertEquals(r.phases[2]!.requires, ["config", "kernel"]);
    assertEquals(r.phases[2]!.needs, "CONFIG_MODULES");
  });
  await t.step(
    "headers need no .config; perf and cpupower do (the top Makefile reads it for tools/)",
    () => {
      assertEquals(names(["headers"], "x86_64"), ["headers"]);
      assertEquals(names(["perf", "cpupower"], "x86_64"), [
        "config",
        "perf",
        "cpupower",
      ]);
    },
  );
  await t.step(
    "Kbuild paths beside named targets are one phase after config",
    () => {
      const r = resolveTargets(["kernel", "drivers/vfio/", "fs/"], {
        arch: "arm64",
        artifacts: "none",
      });
      assertEquals(r.phases.map((p) => p.name), ["config", "kbuild", "kernel"]);
      assertEquals(r.phases[1]!.goals, ["drivers/vfio/", "fs/"]);
      assertEquals(r.kbuild, ["drivers/vfio/", "fs/"]);
    },
  );
  await t.step("no named target: no phases (one make call, as before)", () => {
    const r = resolveTargets(["drivers/vfio/", "vmlinux"], {
      arch: "arm64",
      artifacts: "default",
    });
    assertEquals(r.phases, []);
    assertEquals(r.kbuild, ["drivers/vfio/", "vmlinux"]);
  });
});

Deno.test("resolveTargets() gives kernel the arch's default image", () => {
  const goal = (arch: string) =>
    resolveTargets(["kernel"], { arch, artifacts: "default" }).phases[1]!
      .goals;
  assertEquals(goal("arm64"), ["Image.gz"]);
  assertEquals(goal("x86_64"), ["bzImage"]);
  assertEquals(goal("arm"), ["zImage"]);
  assertEquals(goal("powerpc"), ["vmlinux"]);
  assertEquals(goal("mips"), ["vmlinux"]);
});

Deno.test("resolveTargets() refuses a target the arch does not support", () => {
  const e = assertThrows(
    () => resolveTargets(["dtbs"], { arch: "x86_64", artifacts: "default" }),
    UserError,
    'Target "dtbs" is not supported for ARCH "x86_64"',
  );
  assertStringIncludes(e.hint ?? "", "--list-targets --arch x86_64");
});

Deno.test("artifact levels: none collects nothing, all adds to default", () => {
  const kernel = TARGETS.find((t) => t.name === "kernel")!;
  assertEquals(artifactRules(kernel, "arm64", "none"), []);
  assertEquals(
    artifactRules(kernel, "arm64", "default").map((r) =>
      r.kind === "file" ? `${r.from}>${r.name}` : r.kind
    ),
    ["arch/arm64/boot/Image.gz>Image.gz", "System.map>System.map"],
  );
  const all = artifactRules(kernel, "arm64", "all").map((r) =>
    r.kind === "glob" ? r.pattern : r.name
  );
  assertEquals(all, ["Image.gz", "System.map", "vmlinux"]);
  // powerpc's image is vmlinux itself: listed once.
  assertEquals(
    artifactRules(kernel, "powerpc", "all").map((r) =>
      r.kind === "glob" ? r.pattern : r.name
    ),
    ["vmlinux", "System.map"],
  );
  const modules = TARGETS.find((t) => t.name === "modules")!;
  assertEquals(artifactRules(modules, "powerpc", "default"), [{
    kind: "install",
    goal: "modules_install",
    var: "INSTALL_MOD_PATH",
    name: "modules.tar.xz",
  }]);
});

Deno.test("perf and cpupower leave their binaries by default (6.1 builds cpupower at <out>/cpupower) and name the headers they cannot build without", () => {
  const rules = (name: string) =>
    artifactRules(TARGETS.find((t) => t.name === name)!, "x86_64", "default")
      .map((r) => r.kind === "file" ? `${r.from}>${r.name}` : r.kind);
  assertEquals(rules("perf"), ["tools/perf/perf>perf"]);
  assertEquals(rules("cpupower"), ["cpupower>cpupower"]);
  const phases = resolveTargets(["perf", "cpupower"], {
    arch: "x86_64",
    artifacts: "default",
  }).phases;
  const bare = { path: "/nonexistent", exists: () => false };
  assertEquals(
    missingTargetTools(phases, bare).map((m) =>
      `${m.target}: ${m.debian} (${m.lookedFor})`
    ),
    [
      "perf: libelf-dev (/usr/include/libelf.h)",
      "cpupower: libpci-dev (/usr/include/pci/pci.h)",
    ],
  );
});

Deno.test("the target table is consistent: every dependency exists and comes first, every arch has an image", () => {
  const order = TARGETS.map((t) => t.name);
  for (const t of TARGETS) {
    for (const r of t.requires) {
      assert(order.includes(r), `${t.name} requires unknown ${r}`);
      assert(order.indexOf(r) < order.indexOf(t.name), `${r} after ${t.name}`);
    }
    for (const a of t.arches ?? []) {
      assert(supportedArches().includes(a), `${t.name}: unknown arch ${a}`);
    }
  }
  for (const arch of supportedArches()) {
    const img = kernelImage(arch);
    assert(img.path.endsWith(img.image), `${arch}: ${img.path}`);
  }
  for (
    const w of [
      "config",
      "kernel",
      "modules",
      "dtbs",
      "dtbs_check",
      "headers",
      "kselftest",
      "perf",
      "cpupower",
      "bindeb-pkg",
      "targz-pkg",
    ]
  ) assert(isNamedTarget(w), w);
  assert(!isNamedTarget("drivers/vfio/"));
});

Deno.test("listTargets() shows what an arch supports", () => {
  const arm64 = listTargets("arm64");
  assert(arm64.some((l) => /^dtbs\s/.test(l)));
  assert(arm64.some((l) => /^kernel\s.*Image\.gz/.test(l)));
  assert(!listTargets("x86_64").some((l) => /^dtbs/.test(l)));
  const every = listTargets();
  assertEquals(every.length, TARGETS.length);
  assert(every.some((l) => /^dtbs\s.*ARCH .*arm64/.test(l)));
});
