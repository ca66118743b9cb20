/**
 * A tiny stand-in kernel tree for the runner's tests: a Makefile with config
 * targets, Kconfig files, a Kbuild-style `drivers/Makefile`, and knobs in the
 * environment (`FAKE_FAIL`, `FAKE_SLEEP`, `FAKE_NOSPACE`, and
 * `FAKE_SYNCCONFIG`: a line the build appends to `.config` after 0.2 s, as
 * syncconfig rewrites it when Kconfig changed).
 *
 * @module
 */
import type { BuildPlan, ConfigPlan } from "../../src/build/types.ts";
import type { ResolvedToolchain } from "../../src/toolchain/types.ts";

const MAKEFILE = `VERSION = 6
PATCHLEVEL = 1
SUBLEVEL = 0
EXTRAVERSION = -fake
O ?= .
.PHONY: FORCE allmodconfig allnoconfig olddefconfig randconfig kernelversion
allmodconfig:
\t@mkdir -p $(O)
\t@printf 'CONFIG_BAR=y\\nCONFIG_FOO=y\\nCONFIG_WERROR=y\\nCONFIG_CC_VERSION_TEXT="fake-gcc (Fake) 1.0"\\n' > $(O)/.config
\t@echo "# configuration written to .config"
allnoconfig:
\t@mkdir -p $(O)
\t@printf '# CONFIG_BAR is not set\\n# CONFIG_FOO is not set\\nCONFIG_WERROR=y\\n' > $(O)/.config
randconfig:
\t@mkdir -p $(O)
\t@printf 'CONFIG_BAR=y\\nCONFIG_SEED="%s"\\n' "$$KCONFIG_SEED" > $(O)/.config
olddefconfig:
\t@sh scripts/olddefconfig.sh $(O)/.config
\t@echo "olddefconfig ran" >> $(O)/olddefconfig.count
%/: FORCE
\t@sh scripts/build.sh $@ $(O) $(CROSS_COMPILE) "$(CC)"
FORCE:
`;

const OLDDEFCONFIG = `#!/bin/sh
# Drop FOO when BAR is off, as Kconfig's "depends on BAR" would.
cfg=$1
if ! grep -q '^CONFIG_BAR=y' "$cfg"; then
  grep -v '^CONFIG_FOO=' "$cfg" > "$cfg.new"; mv "$cfg.new" "$cfg"
fi
`;

const BUILD = `#!/bin/sh
target=$1; obj=$2; cross=$3; cc=$4
if [ -n "$FAKE_NOSPACE" ]; then
  echo "\${target}main.o: No space left on device" >&2; exit 2
fi
"\${cross}gcc" --version > /dev/null || exit 2
if [ -n "$FAKE_SYNCCONFIG" ]; then
  sleep 0.2; printf '%s\n' "$FAKE_SYNCCONFIG" >> "$obj/.config"
fi
case "$target" in
  drivers/foo/) grep -q '^CONFIG_FOO=[ym]' "$obj/.config" || exit 0 ;;
  drivers/bar/) grep -q '^CONFIG_BAR=[ym]' "$obj/.config" || exit 0 ;;
esac
echo "  CC      \${target}main.o"
echo "env: LANG=$LANG TS=$KBUILD_BUILD_TIMESTAMP USER=$KBUILD_BUILD_USER HOST=$KBUILD_BUILD_HOST"
if [ -n "$FAKE_SLEEP" ]; then
  sleep "$FAKE_SLEEP" & echo $! >> "$FAKE_PIDS"
  sh -c "sleep $FAKE_SLEEP" & echo $! >> "$FAKE_PIDS"
  echo $$ >> "$FAKE_PIDS"
  # Only now: a test that interrupts on this line finds every pid written.
  echo "sleeping"
  wait
fi
echo "\${target}main.c:5:1: warning: unused thing [-Wunused]" >&2
if [ -n "$FAKE_FAIL" ]; then
  echo "\${target}main.c:12:3: error: boom [-Werror=unused]" >&2
  exit 2
fi
mkdir -p "$obj/$target"
if [ -n "$cc" ]; then
  $cc -c "\${target}main.c" -o "$obj/\${target}main.o" || exit 2
else
  touch "$obj/\${target}main.o"
fi
`;

const KCONFIG = `mainmenu "Fake"
source "drivers/Kconfig"
`;

const DRIVERS_KCONFIG = `menu "Drivers"
config BAR
\tbool "bar"
\thelp
\t  depends on NOTHING: this is help text, not a dependency

config FOO
\ttristate "foo"
\tdepends on BAR
endmenu

if BAR
config BAZ
\tbool "baz"
endif
`;

const GCC_SHIM = `#!/bin/sh
# Prints a fake version; anything else is the host gcc (so ccache can cache).
if [ "$1" = --version ]; then echo "fake-gcc (Fake) 1.0"; exit 0; fi
exec gcc "$@"
`;

/** A fake kernel tree; remove it with `await using` or `cleanup()`. */
export interface FakeTree extends AsyncDisposable {
  /** Temp root holding `src/`, `out/`, `bin/`, `state/`. */
  root: string;
  srcTree: string;
  outDir: string;
  toolchain: ResolvedToolchain;
  cleanup(): Promise<void>;
}

/** Creates a fake tree in a new temp dir. */
export async function makeFakeTree(): Promise<FakeTree> {
  const root = await Deno.makeTempDir({ prefix: "kcross-fake-" });
  const srcTree = `${root}/src`;
  const files: Record<string, string> = {
    "Makefile": MAKEFILE,
    "Kconfig": KCONFIG,
    "scripts/olddefconfig.sh": OLDDEFCONFIG,
    "scripts/build.sh": BUILD,
    "drivers/Kconfig": DRIVERS_KCONFIG,
    "drivers/Makefile":
      "obj-$(CONFIG_FOO)\t+= foo/\nobj-$(CONFIG_BAR) += bar/\n",
    "drivers/foo/Makefile": "obj-$(CONFIG_FOO) += main.o\n",
    "drivers/foo/main.c": "int x;\n",
    "drivers/bar/Makefile": "obj-$(CONFIG_BAR) += main.o\n",
    "drivers/bar/main.c": "int y;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    const full = `${srcTree}/${path}`;
    await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(full, text);
  }
  await Deno.mkdir(`${root}/bin`);
  await Deno.writeTextFile(`${root}/bin/fake-linux-gcc`, GCC_SHIM, {
    mode: 0o755,
  });
  const cleanup = () => Deno.remove(root, { recursive: true });
  return {
    root,
    srcTree,
    outDir: `${root}/out`,
    toolchain: {
      id: "gcc-1.0-fake/fake-linux",
      family: "gcc",
      requested: "gcc-1.0",
      version: "1.0",
      provider: "system",
      exact: true,
      triple: "fake-linux",
      binDir: `${root}/bin`,
      crossCompile: `${root}/bin/fake-linux-`,
    },
    cleanup,
    [Symbol.asyncDispose]: cleanup,
  };
}

/** A native-mode plan for `targets` in `tree`. */
export function fakePlan(
  tree: FakeTree,
  targets: string[],
  config: ConfigPlan | null = {
    source: { kind: "target", target: "allmodconfig" },
    fragments: [],
    sets: [],
    werror: "keep",
  },
): BuildPlan {
  return {
    mode: "native",
    arch: "fake",
    srcTree: tree.srcTree,
    cwd: tree.srcTree,
    outDir: tree.outDir,
    argv: [
      "make",
      "--jobs=2",
      "ARCH=fake",
      `CROSS_COMPILE=${tree.toolchain.crossCompile}`,
      `O=${tree.outDir}`,
      "W=1",
      ...targets,
    ],
    env: {},
    envUnset: [],
    toolchain: tree.toolchain,
    triple: "fake-linux",
    tripleReason: "default",
    config,
    targets,
    jobs: 2,
    ccache: false,
    allowEmpty: false,
    notes: [],
  };
}
