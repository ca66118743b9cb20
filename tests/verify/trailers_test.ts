import { parseReport } from "../../src/report/mod.ts";
import {
  missingTrailers,
  reportTrailers,
  ROBOT_REPORTED_BY,
} from "../../src/verify/trailers.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { loadFixtures } from "../report/_fixtures.ts";

const fixtures = loadFixtures();
const byId = new Map(fixtures.map((f) => [f.id, f]));

function trailersOf(id: string): string[] {
  const f = byId.get(id)!;
  const r = parseReport(f.text);
  return reportTrailers(f.text, { format: r.format, messageId: r.message_id });
}

Deno.test("reportTrailers() gives a new-format report's Reported-by and Closes lines as its tag block has them", () => {
  assertEquals(trailersOf("044"), [
    "Reported-by: kernel test robot <lkp@intel.com>",
    "Closes: https://lore.kernel.org/oe-kbuild-all/202507090815.zV5novvV-lkp@intel.com/",
  ]);
});

Deno.test("reportTrailers() gives a 2023 report's Link: line, not a Closes: it does not ask for", () => {
  assertEquals(trailersOf("023"), [
    "Reported-by: kernel test robot <lkp@intel.com>",
    "Link: https://lore.kernel.org/oe-kbuild-all/202303152008.kxRjSW73-lkp@intel.com/",
  ]);
});

Deno.test("reportTrailers() turns an archive copy's lkp(a)intel.com back into an address and stops at the Note: line", () => {
  assertEquals(trailersOf("000"), [ROBOT_REPORTED_BY]);
});

Deno.test("reportTrailers() keeps an old report's own wording (kbuild test robot)", () => {
  assertEquals(trailersOf("001"), [
    "Reported-by: kbuild test robot <lkp@intel.com>",
  ]);
});

Deno.test("every fixture gets a Reported-by: first, and a Closes:/Link: exactly when its block has one", () => {
  assert(fixtures.length >= 30);
  for (const f of fixtures) {
    const t = trailersOf(f.id);
    assert(t[0]!.startsWith("Reported-by: "), `${f.id}: ${t}`);
    assert(t.every((l) => !l.includes("(a)")), `${f.id}: ${t}`);
    const asked = /^\| (Closes|Link): (\S+)/m.exec(f.text);
    if (asked) {
      assertEquals(t.slice(1), [`${asked[1]}: ${asked[2]}`], f.id);
    } else {
      assertEquals(t.length, 1, `${f.id}: ${t}`);
    }
  }
});

Deno.test("reportTrailers() gives a new-format report without a tag block the lore link of its Message-ID", () => {
  const t = reportTrailers(
    "kernel test robot noticed the following build errors:\n",
    {
      format: "new",
      messageId: "202401010536.XhzcWDPH-lkp@intel.com",
    },
  );
  assertEquals(t, [
    ROBOT_REPORTED_BY,
    "Closes: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/",
  ]);
  // an old-format one gets no link it did not ask for
  assertEquals(
    reportTrailers("x\n", { format: "old", messageId: "a@b" }),
    [ROBOT_REPORTED_BY],
  );
});

Deno.test("missingTrailers() finds what a commit message lacks (key case, a URL's final slash do not matter)", () => {
  const trailers = trailersOf("044");
  const message = [
    "vfio: fix the build",
    "",
    "Reported-by: kernel test robot <lkp@intel.com>",
    "closes: https://lore.kernel.org/oe-kbuild-all/202507090815.zV5novvV-lkp@intel.com",
    "Signed-off-by: A U Thor <a@example.org>",
    "",
  ].join("\n");
  assertEquals(missingTrailers(trailers, message), []);
  assertEquals(missingTrailers(trailers, "vfio: fix\n"), trailers);
  // the tag in the body's prose does not count
  assertEquals(
    missingTrailers([ROBOT_REPORTED_BY], "see Reported-by: nobody\n").length,
    1,
  );
});
