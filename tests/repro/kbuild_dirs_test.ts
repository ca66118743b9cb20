/**
 * The directory-target rule against the real linux 6.1 tree layout
 * (`tests/_support/kernel.ts`): read only, nothing is built.
 */
import { assertEquals, assertStringIncludes } from "../_support/assert.ts";
import { ensureKernelSource, haveKernelSource } from "../_support/kernel.ts";
import { buildableTargets, kbuildTreeAt } from "../../src/repro/kbuild_dirs.ts";

const ignore = !haveKernelSource();

Deno.test({
  name:
    "buildableTargets() keeps 6.1 directories whose Kbuild or Makefile assigns build goals",
  ignore,
}, async () => {
  const tree = kbuildTreeAt(await ensureKernelSource());
  const kept = [
    "drivers/mfd/",
    "drivers/spi/",
    "drivers/usb/dwc2/",
    "arch/powerpc/mm/nohash/",
    "arch/arm64/kvm/",
    "arch/arm64/kvm/hyp/nvhe/",
    "arch/x86/",
    "kernel/",
    "drivers/gpu/drm/amd/amdgpu/",
    "arch/arm64/boot/dts/apple/",
    "drivers/mfd/atc260x-i2c.o",
  ];
  for (const t of kept) {
    assertEquals(buildableTargets([t], tree), { targets: [t], notes: [] }, t);
  }
});

Deno.test({
  name:
    "buildableTargets() builds the nearest 6.1 parent for a directory with no kbuild file of its own, or one that only lists files",
  ignore,
}, async () => {
  const tree = kbuildTreeAt(await ensureKernelSource());
  const moved: [string, string][] = [
    // no Makefile: fs/xfs/Makefile lists scrub/*.o
    ["fs/xfs/scrub/", "fs/xfs/"],
    ["fs/xfs/libxfs/", "fs/xfs/"],
    ["arch/x86/kvm/vmx/", "arch/x86/kvm/"],
    ["drivers/gpu/drm/i915/gt/", "drivers/gpu/drm/i915/"],
    // dc/ and display/ Makefiles only set file lists that amdgpu includes;
    // drivers/gpu/drm/amd/ has none: drm/Makefile names amd/amdgpu/
    ["drivers/gpu/drm/amd/display/dc/core/", "drivers/gpu/drm/"],
    ["drivers/gpu/drm/amd/display/dc/", "drivers/gpu/drm/"],
    ["drivers/gpu/drm/amd/display/dc/dcn32/", "drivers/gpu/drm/"],
    // only subdir-ccflags-y: mlx5/core/Makefile lists esw/*.o
    [
      "drivers/net/ethernet/mellanox/mlx5/core/esw/",
      "drivers/net/ethernet/mellanox/mlx5/core/",
    ],
  ];
  for (const [from, to] of moved) {
    const r = buildableTargets([from], tree);
    assertEquals(r.targets, [to], from);
    assertEquals(r.notes.length, 1);
    assertStringIncludes(
      r.notes[0]!,
      `target ${from} has no Makefile or Kbuild of its own with build goals (its objects are listed by a parent's): building ${to}, the nearest parent that has one`,
    );
  }
});

Deno.test({
  name:
    "buildableTargets() merges targets that land in the same or an enclosing 6.1 directory",
  ignore,
}, async () => {
  const tree = kbuildTreeAt(await ensureKernelSource());
  const r = buildableTargets(
    ["fs/xfs/scrub/", "fs/xfs/libxfs/", "fs/xfs/", "fs/xfs/xfs_buf.o"],
    tree,
  );
  assertEquals(r.targets, ["fs/xfs/", "fs/xfs/xfs_buf.o"]);
  assertEquals(r.notes.length, 2);
  // a directory that is not in the tree at all is left for make to refuse
  assertEquals(buildableTargets(["no/such/dir/"], tree).targets, [
    "no/such/dir/",
  ]);
});
