import { gzipSync } from "node:zlib";
import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { tempDir } from "../_support/temp.ts";
import { extractEmail, readReportInput } from "../../src/report/mod.ts";
import { MAX_ATTACHMENT_BYTES } from "../../src/report/email.ts";
import { formatVerdict, ROWS_SHOWN } from "../../src/repro/format_verdict.ts";
import { UserError } from "../../src/errors.ts";
import type { Verdict } from "../../src/repro/types.ts";

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin).replace(/.{76}/g, "$&\n");
}

function mailWithConfig(gz: Uint8Array, extra = 1): string {
  const parts = [
    "From: kernel test robot <lkp@intel.com>",
    "Subject: [x] y",
    'Content-Type: multipart/mixed; boundary="B"',
    "",
    "--B",
    "Content-Type: text/plain",
    "",
    "tree: https://git.kernel.org/x.git master",
    "",
  ];
  for (let i = 0; i < extra; i++) {
    parts.push(
      "--B",
      "Content-Type: application/gzip",
      'Content-Disposition: attachment; filename="config.gz"',
      "Content-Transfer-Encoding: base64",
      "",
      base64(gz),
    );
  }
  parts.push("--B--", "");
  return parts.join("\n");
}

Deno.test("a gzip bomb attachment (1 MB mail, 400 MB inflated) is a one-line error with bounded memory", () => {
  // 25 gzip members of 16 MB of zeros each: gunzip reads them as one stream.
  const member = gzipSync(new Uint8Array(16 * 1024 * 1024), { level: 9 });
  const gz = new Uint8Array(member.length * 25);
  for (let i = 0; i < 25; i++) gz.set(member, i * member.length);
  const mail = mailWithConfig(gz);
  assert(mail.length < 1024 * 1024, `${mail.length}`);
  const before = Deno.memoryUsage().rss;
  let error: unknown;
  try {
    extractEmail(mail);
  } catch (e) {
    error = e;
  }
  const grown = Deno.memoryUsage().rss - before;
  assert(error instanceof UserError, String(error));
  assertMatch(
    error.message,
    new RegExp(
      `^The attachment "config.gz" decompresses to more than ${
        MAX_ATTACHMENT_BYTES / 1048576
      } MB$`,
    ),
  );
  // Uncapped, this allocated the 400 MB buffer (2.6 GB RSS through the parser).
  assert(grown < 200 * 1024 * 1024, `RSS grew by ${grown} bytes`);
});

Deno.test("a normal gzip config attachment still inflates; only the first config is decoded", () => {
  const config = "CONFIG_S390=y\nCONFIG_WERROR=y\n";
  const e = extractEmail(
    mailWithConfig(gzipSync(new TextEncoder().encode(config)), 3),
  );
  assertEquals(e.attachments.config, config);
});

Deno.test("readReportInput() caps a device or FIFO with no size and names too-long paths in one line", async () => {
  let error: unknown;
  try {
    await readReportInput("/dev/zero", { maxBytes: 1024 * 1024 });
  } catch (e) {
    error = e;
  }
  assert(error instanceof UserError, String(error));
  assertMatch(error.message, /^"\/dev\/zero" is too large for a robot report/);

  await using dir = await tempDir("kcross-caps-");
  const long = `${dir}/${Array(450).fill("abcdefghi").join("/")}/r.txt`;
  error = undefined;
  try {
    await readReportInput(long);
  } catch (e) {
    error = e;
  }
  assert(error instanceof UserError, String(error));
  assertMatch(
    error.message,
    /^Cannot read report ".{1,210}": the path is too long$/,
  );
});

Deno.test("formatVerdict() handles 130k reported diagnostics without RangeError and bounds the table", () => {
  const rows: Verdict["rows"] = [];
  for (let i = 0; i < 130_000; i++) {
    rows.push({
      status: i % 3 === 0 ? "reproduced" : "missing",
      new: true,
      file: `drivers/x/f${i}.c`,
      line: i + 1,
      column: 5,
      severity: "warning",
      message: `unused variable 'v${i}'`,
    });
  }
  const lines = formatVerdict({
    verdict: "partial",
    rows,
    extra: [],
    differences: [],
    notes: [],
    commit: "a",
    reportCommit: "a",
    arch: "powerpc",
    config: "allmodconfig",
    targets: [],
    makeVars: [],
    toolchain: null,
    build: null,
    werror: { mode: "off", from: "robot policy", why: "test", enabled: false },
  });
  assert(lines.length < ROWS_SHOWN + 10, `${lines.length}`);
  assertMatch(
    lines.find((l) => l.startsWith("… ")) ?? "",
    /^… 129500 more in verdict\.json \(\d+ \w+, \d+ \w+\)$/,
  );
  assertEquals(lines.at(-1), "verdict: partial");
});
