import {
  localFragment,
  parseFragmentWord,
} from "../../src/config/fragment_word.ts";
import { exitCodeOf, UserError } from "../../src/errors.ts";
import {
  assertEquals,
  assertStringIncludes,
  assertThrows,
} from "../_support/assert.ts";
import { fakeTree } from "./_fragment_tree.ts";

Deno.test("parseFragmentWord() tells URL, make:, inline and path apart and refuses the rest", () => {
  assertEquals(parseFragmentWord("https://h/x.config"), {
    kind: "url",
    url: "https://h/x.config",
  });
  assertEquals(parseFragmentWord("http://127.0.0.1:8/f").kind, "url");
  assertEquals(parseFragmentWord("make:kvm_guest.config"), {
    kind: "make",
    target: "kvm_guest.config",
  });
  assertEquals(parseFragmentWord("CONFIG_X=y"), {
    kind: "inline",
    line: "CONFIG_X=y",
  });
  assertEquals(parseFragmentWord("# CONFIG_X is not set").kind, "inline");
  assertEquals(parseFragmentWord("arch/x86/configs/xen.config"), {
    kind: "path",
    path: "arch/x86/configs/xen.config",
  });
  for (
    const bad of [
      "http://example.org/x.config", // plain http off this machine
      "ftp://h/x",
      "file:///etc/passwd",
      "make:modules", // not a fragment target
      "make:../x.config",
      "make:menuconfig",
      "CONFIG_A=y\nCONFIG_B=y",
      "",
    ]
  ) {
    const e = assertThrows(() => parseFragmentWord(bad), UserError);
    assertEquals(exitCodeOf(e), 2, bad);
  }
});

Deno.test("localFragment() makes local files absolute and leaves the tree's words alone", async () => {
  await using f = await fakeTree();
  await Deno.writeTextFile(`${f.root}/mine.config`, "CONFIG_MINE=m\n");
  assertEquals(localFragment("mine.config", f.root), `${f.root}/mine.config`);
  assertEquals(localFragment("kvm_guest.config", f.root), "kvm_guest.config");
  assertEquals(localFragment("make:xen.config", f.root), "make:xen.config");
  assertEquals(localFragment("CONFIG_A=y", f.root), "CONFIG_A=y");
  assertThrows(
    () => localFragment("./nope.config", f.root),
    UserError,
    "no such file",
  );
  // a file here that shadows a different in-tree fragment is refused
  await Deno.writeTextFile(`${f.root}/xen.config`, "CONFIG_OTHER=y\n");
  const e = assertThrows(
    () =>
      localFragment("xen.config", f.root, { srcTree: f.tree, arch: "x86_64" }),
    UserError,
    "both a file here",
  );
  assertStringIncludes(e.hint ?? "", '"./xen.config"');
  assertEquals(
    localFragment("./xen.config", f.root, { srcTree: f.tree, arch: "x86_64" }),
    `${f.root}/./xen.config`,
  );
  // the tree's own file, reached from inside the tree, is no ambiguity
  assertEquals(
    localFragment("kvm_guest.config", `${f.tree}/kernel/configs`, {
      srcTree: f.tree,
      arch: "x86_64",
    }),
    `${f.tree}/kernel/configs/kvm_guest.config`,
  );
});
