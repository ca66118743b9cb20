/**
 * End to end on real robot mails (tests/fixtures/real-reports/, verbatim):
 * `kcross repro <mail> --commit <linux 6.1 base>` through the launcher, with
 * the report's own config (attached) or its named config regenerated (the
 * robot's files at download.01.org are never fetched: --offline), the
 * report's make targets, a substitute compiler named in the verdict. Every `>>` line of these mails exists in 6.1 (see the
 * README there). State lives in the test cache, so a second run reuses the
 * worktree, build dir and ccache and only rebuilds what changed.
 */
import {
  cloneKernelRepo,
  haveKernelSource,
  TEST_CACHE,
  withTestLock,
} from "../_support/kernel.ts";
import {
  assert,
  assertEquals,
  assertStringIncludes,
} from "../_support/assert.ts";
import { findExecutable } from "../../src/proc/mod.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURES = `${ROOT}tests/fixtures/real-reports`;
const HOME = `${TEST_CACHE}/real-reports`;

interface RealReport {
  /** File under tests/fixtures/real-reports/. */
  file: string;
  arch: string;
  /** Executables the build needs on PATH. */
  needs: string[];
  /** The substitute named in the verdict's setup differences. */
  substitute: string;
  /** Further text the verdict's setup differences must name. */
  differences?: string[];
  /** Text the verdict's notes must name. */
  notes?: string[];
}

const REPORTS: RealReport[] = [
  {
    file: "powerpc-randconfig-e500-clang.eml",
    arch: "powerpc",
    needs: ["clang-15", "ld.lld-15"],
    substitute: "system/clang-15",
  },
  {
    // Old format, attached 5.12-era config without CONFIG_WERROR: 6.1's
    // olddefconfig turns it on, the warning comes out as an error.
    file: "arm64-randconfig-va_layout-clang.eml",
    arch: "arm64",
    needs: ["clang-15", "ld.lld-15"],
    substitute: "system/clang-15",
  },
  {
    // Old format with a named board config only at download.01.org: regenerated
    // from its name; "clang version 15.0.0 (<sha>)" gets the same major.
    file: "powerpc-mpc5200_defconfig-spi-clang.eml",
    arch: "powerpc",
    needs: ["clang-15", "ld.lld-15"],
    substitute: "system/clang-15",
    differences: [
      "regenerated powerpc-mpc5200_defconfig with make mpc5200_defconfig",
    ],
  },
  {
    // New format: config and reproduce only at download.01.org; --offline
    // makes the named config regenerate with the robot's WERROR policy.
    file: "m68k-allmodconfig-dwc2-kerneldoc-gcc.eml",
    arch: "m68k",
    needs: ["m68k-linux-gnu-gcc-12"],
    substitute: "system/m68k-linux-gnu-gcc-12-12.2.0",
    differences: [
      "regenerated m68k-allmodconfig with make allmodconfig and CONFIG_WERROR off (robot policy)",
    ],
  },
  {
    // Old format, clang long form on s390 (no LLVM=1 before clang 18): the
    // binutils are Debian's s390x-linux-gnu-, named instead of s390x-linux-.
    file: "s390-randconfig-atc260x-clang.eml",
    arch: "s390",
    needs: ["clang-15", "ld.lld-15", "s390x-linux-gnu-ld"],
    substitute: "system/clang-15",
    notes: [
      "binutils: CROSS_COMPILE=s390x-linux-gnu- (the distro's binutils on PATH) instead of make.cross's s390x-linux-",
    ],
  },
  {
    // Old format, gcc, a named allyesconfig only at download.01.org and a
    // small directory target on the make.cross line.
    file: "mips-allyesconfig-renesas_usbhs-gcc.eml",
    arch: "mips",
    needs: ["mips-linux-gnu-gcc-12"],
    substitute: "system/mips-linux-gnu-gcc-12-12.2.0",
    differences: [
      "regenerated mips-allyesconfig with make allyesconfig and CONFIG_WERROR off (robot policy)",
    ],
  },
  {
    // Old format, clang on x86_64, attached 2020 randconfig (no targets:
    // drivers/hwspinlock/ from the diagnostic), the line moved by one.
    file: "x86_64-randconfig-hwspinlock-clang.eml",
    arch: "x86_64",
    needs: ["clang-15", "ld.lld-15"],
    substitute: "system/clang-15",
  },
];

/** The user's checkout for every report: a clone of the 6.1 base, made once. */
function realReportsTree(): Promise<{ tree: string; base: string }> {
  return withTestLock("real-reports-tree", async () => {
    const tree = `${HOME}/linux`;
    try {
      await Deno.stat(`${tree}/.git`);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
      await Deno.mkdir(HOME, { recursive: true });
      await Deno.remove(tree, { recursive: true }).catch(() => {});
      await cloneKernelRepo(tree);
    }
    const o = await new Deno.Command("git", {
      args: ["rev-parse", "base^{commit}"],
      cwd: tree,
      stdout: "piped",
    }).output();
    return { tree, base: new TextDecoder().decode(o.stdout).trim() };
  });
}

async function kcross(args: string[]) {
  const o = await new Deno.Command(`${ROOT}kcross`, {
    args,
    cwd: "/",
    env: { KCROSS_STATE_DIR: `${HOME}/state`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return {
    code: o.code,
    stdout: d.decode(o.stdout),
    stderr: d.decode(o.stderr),
  };
}

interface Row {
  status: string;
  new: boolean;
  file: string;
  line: number;
  message: string;
}

const PATH = Deno.env.get("PATH") ?? "";

for (const r of REPORTS) {
  Deno.test({
    name:
      `kcross repro reproduces the real ${r.arch} report ${r.file} on the linux 6.1 base, naming the substitute compiler`,
    ignore: !haveKernelSource() ||
      r.needs.some((x) => findExecutable(x, PATH) === null),
  }, async () => {
    const { tree, base } = await realReportsTree();
    const res = await withTestLock(
      "real-reports-build",
      () =>
        kcross([
          "repro",
          `${FIXTURES}/${r.file}`,
          "--tree",
          tree,
          "--commit",
          base,
          "--allow-substitute",
          "--offline",
          "--json",
        ]),
    );
    assertEquals(res.code, 0, res.stderr.slice(-3000));
    const v = JSON.parse(res.stdout);
    assertEquals(v.verdict, "reproduced");
    assertEquals(v.commit, base);
    assertEquals(v.arch, r.arch);
    const fresh = (v.rows as Row[]).filter((x) => x.new);
    assert(fresh.length > 0, res.stdout);
    for (const row of fresh) {
      assert(
        row.status === "reproduced" || row.status === "moved",
        `${row.file}:${row.line} ${row.message}: ${row.status}`,
      );
    }
    const differences = (v.differences as string[]).join("\n");
    assertStringIncludes(differences, "compiler substituted");
    assertStringIncludes(differences, r.substitute);
    assertStringIncludes(differences, `built commit ${base.slice(0, 12)}`);
    for (const d of r.differences ?? []) assertStringIncludes(differences, d);
    const notes = (v.notes as string[]).join("\n");
    for (const n of r.notes ?? []) assertStringIncludes(notes, n);
  });
}
