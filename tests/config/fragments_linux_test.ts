/**
 * Every fragment form through a real `make olddefconfig` on the linux-6.1
 * tree (x86_64 tinyconfig, the host gcc): what each form sets reaches the
 * final `.config`, each is recorded with its form and digest, and a symbol
 * whose dependency is off is reported as dropped with the reason.
 */
import { runConfig } from "../../src/config/run_config.ts";
import { runProcess } from "../../src/proc/run_process.ts";
import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { ensureKernelSource, haveKernelSource } from "../_support/kernel.ts";
import { serveFragments } from "../_support/fragment_server.ts";

Deno.test({
  name:
    "runConfig() on linux-6.1 merges a file, a URL, an in-tree name, make:NAME and inline lines, and reports the dropped one",
  ignore: !haveKernelSource(),
  async fn() {
    const src = await ensureKernelSource();
    const root = await Deno.makeTempDir({ prefix: "kcross-frag-linux-" });
    await using s = serveFragments({
      "/usb.config": "CONFIG_USB_STORAGE=y\n", // needs USB, which is off
    });
    try {
      const out = `${root}/out`;
      await Deno.writeTextFile(`${root}/mine.config`, "CONFIG_PRINTK=y\n");
      const notes: string[] = [];
      const goals: string[][] = [];
      const ctx = {
        srcTree: src,
        objDir: out,
        arch: "x86_64",
        cwd: root,
        digestExtra: [],
        fragmentCache: `${root}/cache`,
        allowPrivateUrls: true, // the stand-in server is on loopback
        note: (l: string) => notes.push(l),
        make: async (g: string[], env?: Record<string, string>) => {
          goals.push(g);
          return (await runProcess(
            ["make", "-s", "ARCH=x86_64", `O=${out}`, ...g],
            {
              cwd: src,
              env: { PATH: "/usr/bin:/bin", HOME: root, ...env },
              onChunk: () => {},
            },
          )).code;
        },
      };
      const plan = {
        source: { kind: "target" as const, target: "tinyconfig" },
        fragments: [
          "mine.config",
          "kvm_guest.config",
          "make:xen.config",
          `${s.base}/usb.config`,
          "# CONFIG_SERIAL_8250 is not set",
        ],
        sets: [],
        werror: "keep" as const,
      };
      const o = await runConfig(plan, ctx);
      assertEquals(o.failed, null);
      assertEquals(
        goals.map((g) => g.join(" ")),
        ["tinyconfig", "xen.config", "olddefconfig"],
      );
      assertEquals(
        o.inputs.fragments.map((f) => f.kind),
        ["file", "tree", "make", "url", "inline"],
      );
      for (const f of o.inputs.fragments) {
        assertMatch(f.sha256, /^[0-9a-f]{64}$/);
      }
      assertEquals(o.inputs.fragments[1]?.files, [
        "kernel/configs/kvm_guest.config",
      ]);
      assertEquals(o.inputs.fragments[2]?.files, [
        "kernel/configs/xen.config",
        "arch/x86/configs/xen.config",
      ]);
      const config = await Deno.readTextFile(`${out}/.config`);
      assertMatch(config, /^CONFIG_PRINTK=y$/m); // the file
      assertMatch(config, /^CONFIG_VIRTIO_BLK=y$/m); // kvm_guest.config
      assertMatch(config, /^CONFIG_XEN=y$/m); // make xen.config
      assertMatch(config, /^# CONFIG_SERIAL_8250 is not set$/m); // inline wins over kvm_guest
      const usb = o.dropped.find((d) => d.symbol === "CONFIG_USB_STORAGE");
      assert(usb !== undefined, JSON.stringify(o.dropped));
      assertMatch(usb.reason ?? "", /USB/);
      assert(
        notes.some((n) => n.includes("CONFIG_USB_STORAGE requested y")),
        notes.join("\n"),
      );
      // The same inputs again: reused, the URL from the cache.
      const again = await runConfig(plan, ctx);
      assertEquals(again.reused, true);
      assertEquals(s.hits.get("/usb.config"), 1);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});
