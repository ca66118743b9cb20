/**
 * A repro in a build dir kept from an earlier run recompiles the report's
 * targets and reported files (their diagnostics print only when compiled):
 * the paths for every real report fixture, and the removal on a temp dir.
 */
import { parseReport } from "../../src/report/mod.ts";
import { planBuildSetup } from "../../src/repro/plan_repro.ts";
import {
  freshObjectPaths,
  objectsUnder,
} from "../../src/repro/fresh_objects.ts";
import { forgetObjects } from "../../src/repro/build_repro.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { exists, tempDir } from "../_support/temp.ts";
import { loadFixtures } from "../report/_fixtures.ts";

const fixtures = loadFixtures();

for (const f of fixtures) {
  Deno.test(`report ${f.id}: the objects repro recompiles stay inside the targets and reported files`, () => {
    const report = parseReport(
      f.text,
      f.reproduce === undefined ? {} : { reproduceText: f.reproduce },
    );
    const plan = planBuildSetup(report);
    const reported = report.diagnostics.map((d) => d.file);
    const p = freshObjectPaths(plan.targets, reported);
    for (const d of p.dirs) {
      assert(plan.targets.includes(`${d}/`), `${d} is not a target`);
    }
    for (const o of p.files) {
      assert(!o.startsWith("/") && !o.split("/").includes(".."), o);
      const c = o.replace(/\.o$/, "");
      assert(
        plan.targets.includes(o) ||
          plan.targets.some((t) => t.replace(/\.(i|s|lst)$/, ".o") === o) ||
          reported.some((r) =>
            r.replace(/^\.\//, "").replace(/\.[cS]$/, "") === c
          ),
        `${o}: neither a target nor a reported file`,
      );
    }
    // every reported .c/.S is recompiled, whatever the targets
    for (const r of reported.filter((r) => /\.[cS]$/.test(r))) {
      assert(
        p.files.includes(r.replace(/^\.\//, "").replace(/\.[cS]$/, ".o")),
        r,
      );
    }
  });
}

Deno.test("freshObjectPaths: directory and object targets, reported sources, nothing for whole-tree targets or paths that climb out", () => {
  assertEquals(
    freshObjectPaths(
      [
        "drivers/usb/dwc2/",
        "arch/powerpc/mm/nohash//",
        "drivers/foo/bar.i",
        "vmlinux",
        "modules",
        "./",
        "../x/",
        "/abs/",
      ],
      [
        "drivers/usb/dwc2/core_intr.c",
        "arch/x/entry.S",
        "include/linux/x.h",
        "../evil.c",
        "/etc/y.c",
      ],
    ),
    {
      dirs: ["arch/powerpc/mm/nohash", "drivers/usb/dwc2"],
      files: [
        "arch/x/entry.o",
        "drivers/foo/bar.o",
        "drivers/usb/dwc2/core_intr.o",
      ],
    },
  );
});

Deno.test("objectsUnder + forgetObjects: the .o files of a directory target, recursively, are removed and nothing else; a fresh build dir has none", async () => {
  await using dir = await tempDir("kcross-fresh-");
  assertEquals(await objectsUnder(dir, ["a"]), []);
  await Deno.mkdir(`${dir}/a/sub`, { recursive: true });
  await Deno.mkdir(`${dir}/b`, { recursive: true });
  for (
    const f of [
      "a/one.o",
      "a/.one.o.cmd",
      "a/built-in.a",
      "a/sub/two.o",
      "b/x.o",
      "b/y.o",
    ]
  ) {
    await Deno.writeTextFile(`${dir}/${f}`, "");
  }
  const objects = await objectsUnder(dir, ["a"]);
  assertEquals(objects, ["a/one.o", "a/sub/two.o"]);
  assertEquals(await forgetObjects(dir, [...objects, "b/x.o"]), 3);
  for (const f of ["a/.one.o.cmd", "a/built-in.a", "b/y.o"]) {
    assert(await exists(`${dir}/${f}`), `${f} was removed`);
  }
  for (const f of ["a/one.o", "a/sub/two.o", "b/x.o"]) {
    assert(!(await exists(`${dir}/${f}`)), `${f} is still there`);
  }
});
