import { UserError } from "../../src/errors.ts";
import {
  cacheName,
  escapeMessageId,
  looksLikeMessageId,
  loreBase,
  normalizeMessageId,
  parseLoreUrl,
} from "../../src/lore/mod.ts";
import { assert, assertEquals, assertThrows } from "../_support/assert.ts";

const ID = "202201221146.IDixXFOw-lkp@intel.com";

Deno.test("parseLoreUrl() reads every public-inbox message URL form", () => {
  const cases: [string, string, string | null, string, "message" | "thread"][] =
    [
      [
        `https://lore.kernel.org/oe-kbuild-all/${ID}/`,
        "https://lore.kernel.org",
        "oe-kbuild-all",
        ID,
        "message",
      ],
      [
        `https://lore.kernel.org/oe-kbuild-all/${ID}`,
        "https://lore.kernel.org",
        "oe-kbuild-all",
        ID,
        "message",
      ],
      [
        `https://lore.kernel.org/linux-mips/${ID}/raw`,
        "https://lore.kernel.org",
        "linux-mips",
        ID,
        "message",
      ],
      [
        `https://lore.kernel.org/all/${ID}/t.mbox.gz`,
        "https://lore.kernel.org",
        "all",
        ID,
        "thread",
      ],
      [
        `https://lore.kernel.org/all/${ID}/t.mbox`,
        "https://lore.kernel.org",
        "all",
        ID,
        "thread",
      ],
      [
        `https://lore.kernel.org/oe-kbuild-all/${ID}/T/#u`,
        "https://lore.kernel.org",
        "oe-kbuild-all",
        ID,
        "message",
      ],
      [
        `https://lore.kernel.org/oe-kbuild-all/${ID}/t/`,
        "https://lore.kernel.org",
        "oe-kbuild-all",
        ID,
        "message",
      ],
      [
        `https://lore.kernel.org/r/${ID}`,
        "https://lore.kernel.org",
        "all",
        ID,
        "message",
      ],
      [
        `https://lore.kernel.org/lkml/m/${ID}/`,
        "https://lore.kernel.org",
        "lkml",
        ID,
        "message",
      ],
      [
        `https://lore.kernel.org/r/20250708-smp_calib-v3-1-6dabf01a7d9f%40bootlin.com`,
        "https://lore.kernel.org",
        "all",
        "20250708-smp_calib-v3-1-6dabf01a7d9f@bootlin.com",
        "message",
      ],
      [
        `http://127.0.0.1:8080/pi/oe-kbuild-all/a%2Fb%25c@d/raw`,
        "http://127.0.0.1:8080/pi",
        "oe-kbuild-all",
        "a/b%c@d",
        "message",
      ],
      [
        `https://patch.msgid.link/${ID}`,
        "https://patch.msgid.link",
        null,
        ID,
        "message",
      ],
    ];
  for (const [url, base, list, messageId, want] of cases) {
    assertEquals(parseLoreUrl(url), { base, list, messageId, want }, url);
  }
});

Deno.test("parseLoreUrl() refuses other schemes, URLs without a Message-ID and malformed ids", () => {
  for (
    const bad of [
      `ftp://lore.kernel.org/all/${ID}/`,
      "file:///etc/passwd",
      "https://lore.kernel.org/oe-kbuild-all/",
      "https://lore.kernel.org/all/a%20b@c/",
      "not a url",
    ]
  ) {
    assertThrows(() => parseLoreUrl(bad), UserError);
  }
});

Deno.test("Message-IDs: how they are recognised, normalised, escaped and named in the cache", () => {
  assert(looksLikeMessageId(`<${ID}>`));
  assert(looksLikeMessageId(`id:${ID}`));
  assert(!looksLikeMessageId("report.eml"));
  assert(!looksLikeMessageId("dir/x@y.eml"));
  assertEquals(normalizeMessageId(`  <${ID}>\n`), ID);
  assertEquals(normalizeMessageId(`rfc822msgid:${ID}`), ID);
  assertEquals(escapeMessageId("a b"), "a%20b");
  assertEquals(escapeMessageId("x#y?z@h"), "x%23y%3Fz@h");
  for (const hostile of ["../../x@y", "..@..", "./.@.", "a/../../b@c"]) {
    const name = cacheName(hostile);
    assert(!name.includes("/") && name !== "." && name !== "..", name);
  }
  assertEquals(
    cacheName(`${"a".repeat(243)}@`.slice(0, 241) + "@bc").length,
    71,
  );
});

Deno.test("loreBase(): --lore-url over $KCROSS_LORE_URL over lore.kernel.org, http(s) only", () => {
  const env = (v?: string) => (n: string) =>
    n === "KCROSS_LORE_URL" ? v : undefined;
  assertEquals(loreBase(undefined, env()), "https://lore.kernel.org");
  assertEquals(
    loreBase(undefined, env("http://127.0.0.1:1/pi/")),
    "http://127.0.0.1:1/pi",
  );
  assertEquals(
    loreBase("https://m.example/lore", env("http://x")),
    "https://m.example/lore",
  );
  assertThrows(() => loreBase("ftp://m.example/", env()), UserError);
  assertThrows(() => loreBase("nope", env()), UserError);
});
