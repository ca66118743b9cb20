import { assertEquals } from "../_support/assert.ts";
import { emptyTargetReason } from "../../src/build/_run_empty.ts";
import { parseConfig } from "../../src/config/merge_config.ts";

async function tree(files: Record<string, string>): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "kcross-empty-" });
  for (const [path, text] of Object.entries(files)) {
    const full = `${root}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  return root;
}

Deno.test("emptyTargetReason() names the outermost switched-off directory from Kbuild's obj- lines", async () => {
  const root = await tree({
    "Makefile": "obj-y += drivers/\n",
    "drivers/Makefile": "obj-$(CONFIG_VFIO)\t\t+= vfio/\nobj-y += base/\n",
    "drivers/vfio/Makefile": "obj-$(CONFIG_VFIO) += vfio.o\n" +
      "obj-$(CONFIG_VFIO_PCI_CORE) += \\\n\tpci/\n",
    "drivers/vfio/pci/Makefile": "obj-$(CONFIG_VFIO_PCI) += vfio-pci.o\n",
    "drivers/base/Makefile": "obj-$(CONFIG_A) += a.o\nobj-$(CONFIG_B) += b.o\n",
    "drivers/base/core.c": "",
  });
  try {
    const off = parseConfig("# CONFIG_VFIO is not set\n");
    assertEquals(
      await emptyTargetReason(root, "drivers/vfio/", off),
      "drivers/vfio/: nothing was built: CONFIG_VFIO is not set",
    );
    assertEquals(
      await emptyTargetReason(root, "drivers/vfio/pci/", off),
      "drivers/vfio/pci/: nothing was built: CONFIG_VFIO is not set",
    );
    const vfioOnly = parseConfig("CONFIG_VFIO=m\n");
    assertEquals(
      await emptyTargetReason(root, "drivers/vfio/pci/", vfioOnly),
      "drivers/vfio/pci/: nothing was built: CONFIG_VFIO_PCI_CORE is not set",
    );
    assertEquals(
      await emptyTargetReason(root, "drivers/vfio/", vfioOnly),
      null,
    );
    // Unconditional in the parent, but every object of its own is off.
    assertEquals(
      await emptyTargetReason(root, "drivers/base/", vfioOnly),
      "drivers/base/: nothing was built: none of CONFIG_A, CONFIG_B is set",
    );
    // Not a directory goal.
    assertEquals(await emptyTargetReason(root, "vmlinux", off), null);
    assertEquals(await emptyTargetReason(root, "drivers/nope/", off), null);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
