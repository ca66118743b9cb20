/** make's directory lines as the extractor follows them (`src/diagnostics/_make_dirs.ts`). */
import { MakeDirs } from "../../src/diagnostics/_make_dirs.ts";
import { DirCaches } from "../../src/diagnostics/_dir_caches.ts";
import { assert, assertEquals } from "../_support/assert.ts";

Deno.test("MakeDirs follows Entering/Leaving directory and learns the source tree once", () => {
  const dirs = new DirCaches();
  const make = new MakeDirs(dirs);
  assert(!make.directory("make[1]: *** No rule to make target 'x'.  Stop."));
  assert(make.directory("make[1]: Entering directory '/b/out'"));
  assert(make.directory("make[2]: Entering directory '/b/out/sub'"));
  assertEquals([dirs.cwd, make.objTree], ["/b/out/sub", "/b/out/sub"]);
  assert(make.directory("make[2]: Leaving directory '/b/out/sub'"));
  assertEquals([dirs.cwd, make.objTree], ["/b/out", "/b/out/sub"]);
  make.learnSrcTree(
    "make[3]: *** [../linux/scripts/Makefile.build:250: drivers/a.o] Error 1",
  );
  assertEquals(make.srcTree, "/b/linux");
  make.learnSrcTree(
    "make[3]: *** [/other/scripts/Makefile.build:250: drivers/b.o] Error 1",
  );
  assertEquals(make.srcTree, "/b/linux");
});
