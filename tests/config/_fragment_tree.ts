/** A small kernel tree with in-tree fragments (and one escaping symlink). */
export async function fakeTree() {
  const root = await Deno.makeTempDir({ prefix: "kcross-frag-" });
  const tree = `${root}/linux`;
  await Deno.mkdir(`${tree}/kernel/configs`, { recursive: true });
  await Deno.mkdir(`${tree}/arch/x86/configs`, { recursive: true });
  await Deno.writeTextFile(
    `${tree}/kernel/configs/xen.config`,
    "CONFIG_XEN=y\n",
  );
  await Deno.writeTextFile(
    `${tree}/arch/x86/configs/xen.config`,
    "CONFIG_XEN_PVH=y", // no final newline: kept apart from the next file
  );
  await Deno.writeTextFile(
    `${tree}/kernel/configs/kvm_guest.config`,
    "CONFIG_KVM_GUEST=y\n",
  );
  await Deno.writeTextFile(`${root}/outside.config`, "CONFIG_OUT=y\n");
  await Deno.symlink(
    `${root}/outside.config`,
    `${tree}/kernel/configs/evil.config`,
  );
  return {
    root,
    tree,
    ctx: { cwd: root, srcTree: tree, arch: "x86_64" },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}
