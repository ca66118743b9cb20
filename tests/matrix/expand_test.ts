import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { parseMatrix } from "../../src/matrix/load_matrix.ts";
import { cellDigest, expandCells } from "../../src/matrix/expand.ts";
import type { TreeSpec } from "../../src/matrix/types.ts";
import { UserError } from "../../src/errors.ts";
import { MINIMAL } from "./_helpers.ts";

const TREE: TreeSpec = {
  url: "/src",
  commit: "a".repeat(40),
  useWorkingTree: false,
  workingTree: null,
  dirtyDigest: null,
};
const readFile = (p: string) =>
  p.endsWith("/frag.config")
    ? Promise.resolve(new TextEncoder().encode("CONFIG_VFIO=y\n"))
    : Promise.reject(new Deno.errors.NotFound(p));

async function cells(text: string) {
  return await expandCells(parseMatrix(text, "/cfg/m.toml"), {
    tree: TREE,
    readFile,
  });
}

const BASE = MINIMAL;

Deno.test("expandCells() expands the minimal form to arch x config cells in file order", async () => {
  const c = await cells(BASE);
  assertEquals(c.map((x) => x.key), [
    "powerpc/allmodconfig/gcc-12.2.0",
    "powerpc/defconfig/gcc-12.2.0",
    "arm64/allmodconfig/gcc-12.2.0",
    "arm64/defconfig/gcc-12.2.0",
  ]);
  assertEquals(c[0]!.inputs.targets, ["drivers/vfio/"]);
  assertEquals(c[0]!.inputs.make, { W: "1" });
  assertEquals(c[0]!.inputs.werror, "keep");
  assertEquals(c.map((x) => x.index), [0, 1, 2, 3]);
  assertEquals(new Set(c.map((x) => x.digest)).size, 4);
});

Deno.test("expandCells() applies exclude (lists and globs), include and override", async () => {
  const c = await cells(`${BASE}
[[exclude]]
arch = "arm*"
config = ["allmodconfig"]
[[include]]
arch = "x86_64"
config = "defconfig"
compiler = "clang-15"
[[override]]
match = { arch = "powerpc", config = "allmodconfig" }
werror = "off"
fragments = ["frag.config"]
set = ["CONFIG_VFIO=m"]
make = { C = "1" }
allow_failure = true
`);
  assertEquals(c.map((x) => x.key), [
    "powerpc/allmodconfig/gcc-12.2.0",
    "powerpc/defconfig/gcc-12.2.0",
    "arm64/defconfig/gcc-12.2.0",
    "x86_64/defconfig/clang-15",
  ]);
  const p = c[0]!.inputs;
  assertEquals(p.werror, "off");
  assertEquals(p.fragments, ["/cfg/frag.config"]);
  assertEquals(p.sets, ["CONFIG_VFIO=m"]);
  assertEquals(p.make, { C: "1", W: "1" });
  assert(p.allowFailure);
  assertEquals(
    c[3]!.inputs.targets,
    ["drivers/vfio/"],
    "single-valued axes fill an include",
  );
});

Deno.test("expandCells() turns list-valued make variables and extra targets into axes", async () => {
  const c = await cells(`[matrix]
arch = ["powerpc"]
config = ["defconfig"]
compiler = ["gcc-12.2.0"]
targets = ["drivers/vfio/", ["fs/", "mm/"]]
[make]
W = ["1", "2"]
C = "1"
`);
  assertEquals(c.map((x) => x.key), [
    "powerpc/defconfig/gcc-12.2.0 [drivers/vfio/] W=1",
    "powerpc/defconfig/gcc-12.2.0 [drivers/vfio/] W=2",
    "powerpc/defconfig/gcc-12.2.0 [fs/ mm/] W=1",
    "powerpc/defconfig/gcc-12.2.0 [fs/ mm/] W=2",
  ]);
  assertEquals(c[2]!.inputs.targets, ["fs/", "mm/"]);
  assertEquals(c[3]!.inputs.make, { C: "1", W: "2" });
});

Deno.test("expandCells() rejects rules naming unknown axes and incomplete includes, with lines", async () => {
  const e1 = await assertRejects(
    () => cells(`${BASE}[[exclude]]\nwerror = "off"\n`),
    UserError,
  );
  assertStringIncludes(e1.message, "/cfg/m.toml:9: exclude[0].werror:");
  const e2 = await assertRejects(
    () => cells(`${BASE}[[include]]\narch = "x86_64"\n`),
    UserError,
  );
  assertStringIncludes(e2.message, '"config" must be given');
  const e3 = await assertRejects(
    () =>
      cells(
        `${BASE}[[override]]\nmatch = { arch = "powerpc" }\nfragments = ["./nope.config"]\n`,
      ),
    UserError,
  );
  assertStringIncludes(e3.message, '"./nope.config"');
});

Deno.test("cellDigest() changes with the commit and the fragment content, not the tree URL", async () => {
  const c = (await cells(BASE))[0]!;
  assertEquals(
    cellDigest(c.inputs, { ...TREE, url: "git://elsewhere" }),
    c.digest,
  );
  assert(
    cellDigest(c.inputs, { ...TREE, commit: "b".repeat(40) }) !== c.digest,
  );
  assert(cellDigest(c.inputs, { ...TREE, dirtyDigest: "1234" }) !== c.digest);
  assert(
    cellDigest({ ...c.inputs, fragmentDigests: ["x"] }, TREE) !== c.digest,
  );
  assertEquals(cellDigest({ ...c.inputs, allowFailure: true }, TREE), c.digest);
  // a stand-in compiler is another build: its own digest (and queue job)
  const sub = cellDigest({ ...c.inputs, allowSubstitute: true }, TREE);
  const distro = cellDigest({ ...c.inputs, allowDistro: true }, TREE);
  assertEquals(new Set([c.digest, sub, distro]).size, 3);
});

Deno.test("expandCells() keeps the --kconfig-add forms that are not local files as words, each in the digest", async () => {
  const frags = [
    "frag.config",
    "kvm_guest.config",
    "make:xen.config",
    "https://example.org/f.config",
    "CONFIG_KVM=y",
  ];
  const top = (f: string[]) => `fragments = ${JSON.stringify(f)}\n${BASE}`;
  const c = (await cells(top(frags)))[0]!;
  assertEquals(c.inputs.fragments, ["/cfg/frag.config", ...frags.slice(1)]);
  assertEquals(new Set(c.inputs.fragmentDigests).size, frags.length);
  const other = (await cells(top([...frags.slice(0, 4), "CONFIG_KVM=m"])))[0]!;
  assert(other.digest !== c.digest, "an inline line is part of the digest");
});

Deno.test("expandCells() takes named targets (kernel, modules, dtbs…) for the arches that build them", async () => {
  const c = await cells(`[matrix]
arch = ["arm64", "powerpc"]
config = ["tinyconfig"]
compiler = ["gcc-12.2.0"]
targets = ["kernel modules dtbs", "bindeb-pkg targz-pkg kselftest perf cpupower headers config dtbs_check"]
`);
  assertEquals(c.length, 4);
  assertEquals(c[0]!.key, "arm64/tinyconfig/gcc-12.2.0 [kernel modules dtbs]");
  assertEquals(c[0]!.inputs.targets, ["kernel", "modules", "dtbs"]);
});

Deno.test("expandCells() refuses a cell whose arch does not build one of its named targets, naming the file, line and cell", async () => {
  const text = `[matrix]
arch = ["arm64", "x86_64"]
config = ["tinyconfig"]
compiler = ["gcc-12.2.0"]
targets = ["kernel dtbs"]
`;
  const e = await assertRejects(() => cells(text), UserError);
  assertStringIncludes(
    e.message,
    '/cfg/m.toml:5: cell "x86_64/tinyconfig/gcc-12.2.0": target "dtbs" is not supported for ARCH "x86_64"',
  );
  assertStringIncludes(e.hint ?? "", "--list-targets --arch x86_64");
  // An override that drops dtbs for x86_64 makes the matrix valid.
  const ok = await cells(`${text}
[[override]]
match = { arch = "x86_64" }
targets = "kernel"
`);
  assertEquals(ok.map((x) => x.inputs.targets.join(" ")), [
    "kernel dtbs",
    "kernel",
  ]);
});
