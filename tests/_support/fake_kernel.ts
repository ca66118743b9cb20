/**
 * A fake kernel tree for plan and CLI tests (tuxmake's test/fakelinux idea):
 * a top Makefile with VERSION/PATCHLEVEL/SUBLEVEL that real make can run,
 * honouring `ARCH`, `CROSS_COMPILE`, `O=`, `kernelversion`, config targets
 * and directory goals, with failure knobs; `arch/<srcarch>/boot/dts/Makefile`
 * where asked; `.config` files wherever a test wants them.
 *
 * Knobs (environment of make): `FAKE_FAIL=1` prints a gcc-style error and
 * fails the goal; `FAKE_WARN=1` prints a warning; `FAKE_CONFIG` is the text a
 * config target writes (default `CONFIG_64BIT=y`). Like the real top
 * Makefile it expands `$(CF)` into `CHECKFLAGS` with `:=` whenever it is
 * read, so a `$(shell …)` smuggled into `CF=` runs (the make-word tests).
 *
 * @module
 */

/** Options for `makeFakeKernel`. */
export interface FakeKernelOptions {
  /** `make kernelversion` (default `6.1.0`). */
  version?: string;
  /** srcarches that get `arch/<srcarch>/boot/dts/Makefile`. */
  dts?: string[];
  /** `.config` texts by directory relative to the tree (`.` = the tree). */
  configs?: Record<string, string>;
  /** Empty directories to create, relative to the tree. */
  dirs?: string[];
  /**
   * Read `$(objtree)/.config` as make variables whenever the Makefile is
   * read and expand `CONFIG_EXTRA_FIRMWARE` with `:=`, as kbuild does with
   * `include/config/auto.conf` (drivers/base/firmware_loader/builtin/Makefile):
   * a `$(shell …)` in that value runs (the config-value tests).
   */
  readsConfig?: boolean;
}

/** A fake kernel tree in its own temp dir; `await using` removes it. */
export interface FakeKernel extends AsyncDisposable {
  /** The temp root: `linux/` (the tree), `0day/` (COMPILER_INSTALL_PATH). */
  root: string;
  /** The kernel tree. */
  src: string;
  /** An empty COMPILER_INSTALL_PATH for shims. */
  cip: string;
}

const READS_CONFIG = `
ifneq ($(wildcard $(objtree)/.config),)
$(eval $(file <$(objtree)/.config))
firmware := $(addsuffix .gen.o, $(CONFIG_EXTRA_FIRMWARE))
endif
`;

const makefile = (v: string[], readsConfig = false) =>
  `# fake kernel Makefile (kcross tests)
VERSION = ${v[0]}
PATCHLEVEL = ${v[1]}
SUBLEVEL = ${v[2]}
EXTRAVERSION = ${v[3] ?? ""}
NAME = kcross fake

objtree := $(if $(O),$(O),.)
FAKE_CONFIG ?= CONFIG_64BIT=y
CHECKFLAGS := -D__linux__ $(CF)
${readsConfig ? READS_CONFIG : ""}
kernelversion:
\t@echo $(VERSION).$(PATCHLEVEL).$(SUBLEVEL)$(EXTRAVERSION)

%config: FORCE
\t@mkdir -p $(objtree)
\t@printf '%s\\n' '# fake $@ ARCH=$(ARCH)' '$(FAKE_CONFIG)' > $(objtree)/.config

%/: FORCE
\t@echo 'fake kernel: $@ ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE)'
\t@mkdir -p $(objtree)/$@
\t@if [ -n "$(FAKE_WARN)" ]; then echo '$@fake.c:1:2: warning: fake warning [-Wfake]'; fi
\t@if [ -n "$(FAKE_FAIL)" ]; then echo '$@fake.c:3:4: error: fake error' >&2; exit 1; fi
\t@touch $(objtree)/$@fake.o

FORCE:
.PHONY: FORCE kernelversion
`;

/**
 * Creates a fake kernel tree.
 *
 * @example
 * ```ts
 * import { makeFakeKernel } from "./fake_kernel.ts";
 * await using k = await makeFakeKernel({ version: "5.15.0", configs: { build_dir: "CONFIG_PPC64=y\n" } });
 * if (!(await Deno.readTextFile(`${k.src}/build_dir/.config`)).includes("PPC64")) throw new Error();
 * ```
 */
export async function makeFakeKernel(
  options: FakeKernelOptions = {},
): Promise<FakeKernel> {
  const root = await Deno.realPath(
    await Deno.makeTempDir({ prefix: "kcross-fake-kernel-" }),
  );
  const src = `${root}/linux`;
  const cip = `${root}/0day`;
  await Deno.mkdir(src, { recursive: true });
  await Deno.mkdir(cip, { recursive: true });
  const m = /^(\d+)\.(\d+)\.(\d+)(.*)$/.exec(options.version ?? "6.1.0");
  if (!m) throw new Error(`bad fake kernel version ${options.version}`);
  await Deno.writeTextFile(
    `${src}/Makefile`,
    makefile(m.slice(1), options.readsConfig),
  );
  for (const sa of options.dts ?? []) {
    await Deno.mkdir(`${src}/arch/${sa}/boot/dts`, { recursive: true });
    await Deno.writeTextFile(`${src}/arch/${sa}/boot/dts/Makefile`, "# fake\n");
  }
  for (const d of options.dirs ?? []) {
    await Deno.mkdir(`${src}/${d}`, { recursive: true });
  }
  for (const [d, text] of Object.entries(options.configs ?? {})) {
    await Deno.mkdir(`${src}/${d}`, { recursive: true });
    await Deno.writeTextFile(`${src}/${d}/.config`, text);
  }
  return {
    root,
    src,
    cip,
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}
