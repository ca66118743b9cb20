import { gzipSync } from "node:zlib";
import { extractEmail, parseReport } from "../../src/report/mod.ts";
import { htmlToText } from "../../src/report/email.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { loadFixtures } from "./_fixtures.ts";

const utf8 = new TextEncoder();

/** Quoted-printable as a mailer writes it (soft breaks at 76). */
function qp(text: string): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    let enc = "";
    for (const byte of utf8.encode(line)) {
      const ch = String.fromCharCode(byte);
      enc += byte === 61 || byte > 126 || (byte < 32 && byte !== 9)
        ? `=${byte.toString(16).toUpperCase().padStart(2, "0")}`
        : ch;
    }
    enc = enc.replace(/ $/, "=20");
    while (enc.length > 76) {
      let cut = 75;
      while (enc[cut - 1] === "=" || enc[cut - 2] === "=") cut--;
      out.push(enc.slice(0, cut) + "=");
      enc = enc.slice(cut);
    }
    out.push(enc);
  }
  return out.join("\n");
}

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/.{76}/g, "$&\n");
}

const CONFIG = "CONFIG_S390=y\n# CONFIG_SMP is not set\nCONFIG_WERROR=y\n";

function robotMail(body: string, reproduce: string, crlf = false): string {
  const mail = [
    "From: kernel test robot <lkp@intel.com>",
    "To: Chris Packham <chris.packham@alliedtelesis.co.nz>",
    "Subject: Re: [PATCH v3 7/9] clocksource: realtek: Add timer driver for",
    " rtl-otto platforms",
    "Date: Sun, 30 Jun 2024 08:19:39 +0800",
    "Message-ID: <202406300803.mMM0Hpxv-lkp@intel.com>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="5o8nRZmFNT3R7Bhq"',
    "Content-Disposition: inline",
    "",
    "",
    "--5o8nRZmFNT3R7Bhq",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Disposition: inline",
    "Content-Transfer-Encoding: quoted-printable",
    "",
    qp(body),
    "--5o8nRZmFNT3R7Bhq",
    "Content-Type: application/gzip",
    'Content-Disposition: attachment; filename=".config.gz"',
    "Content-Transfer-Encoding: base64",
    "",
    base64(gzipSync(utf8.encode(CONFIG))),
    "--5o8nRZmFNT3R7Bhq",
    "Content-Type: text/plain; charset=us-ascii",
    'Content-Disposition: attachment; filename="reproduce"',
    "",
    reproduce,
    "--5o8nRZmFNT3R7Bhq--",
    "",
  ].join("\n");
  return crlf ? mail.replaceAll("\n", "\r\n") : mail;
}

Deno.test("a whole multipart e-mail parses like its body, with the attached reproduce script and gunzipped .config", () => {
  const f = loadFixtures().find((x) => x.id === "034")!;
  for (const crlf of [false, true]) {
    const r = parseReport(robotMail(f.text, f.reproduce!, crlf));
    const plain = parseReport(f.text, { reproduceText: f.reproduce! });
    assertEquals(r.diagnostics, plain.diagnostics);
    assertEquals(r.commit_subject, plain.commit_subject);
    assertEquals(r.patch_link, f.expected["patch_link"]);
    assertEquals(r.message_id, "<202406300803.mMM0Hpxv-lkp@intel.com>");
    assertEquals(r.attachments.config, CONFIG);
    assertEquals(r.attachments.reproduce?.trim(), f.reproduce!.trim());
    assertEquals(
      r.reproduce_file?.make_args,
      (f.expected["reproduce_file"] as { make_args: string[] }).make_args,
    );
    assertEquals(
      r.reproduce_file?.origin,
      'MIME attachment "reproduce" of the same email',
    );
  }
});

Deno.test("a single-part base64 e-mail is decoded with its charset", () => {
  const f = loadFixtures().find((x) => x.id === "013")!;
  const mail = [
    "Return-Path: <lkp@intel.com>",
    "From: kernel test robot <lkp@intel.com>",
    "Subject: [linux-next:master] build error",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: base64",
    "",
    base64(utf8.encode(f.text)),
  ].join("\n");
  const e = extractEmail(mail);
  assert(e.isEmail);
  assertEquals(e.body, f.text);
  const r = parseReport(mail);
  assertEquals(r.diagnostics, f.expected["diagnostics"]);
});

Deno.test("a latin-1 quoted-printable body is decoded to text", () => {
  const e = extractEmail(
    "From: a@b\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\nHi J=F6rg,\nlong =\nline\n",
  );
  assertEquals(e.body, "Hi Jörg,\nlong line\n");
});

Deno.test("an mbox thread yields the robot's report, not the replies", () => {
  const f = loadFixtures().find((x) => x.id === "026")!;
  const mbox = [
    "From mboxrd@z Thu Jan  1 00:00:00 1970",
    "From: Someone <someone@example.org>",
    "Subject: Re: [mips:mips-next 4/29] error",
    "",
    "Thanks, fixed.",
    "",
    "From mboxrd@z Thu Jan  1 00:00:00 1970",
    "From: kernel test robot <lkp@intel.com>",
    "Subject: [mips:mips-next 4/29] drivers/char/mem.c:164:25: error",
    "Message-ID: <202306100214.RjlWlYDU-lkp@intel.com>",
    "",
    f.text,
  ].join("\n");
  const r = parseReport(mbox);
  assertEquals(r.commit, f.expected["commit"]);
  assertEquals(r.diagnostics, f.expected["diagnostics"]);
  assertEquals(r.message_id, "<202306100214.RjlWlYDU-lkp@intel.com>");
});

Deno.test("a body starting with key lines or CC:/TO: pseudo-headers is not taken for e-mail headers", () => {
  for (const id of ["037", "004"]) {
    const f = loadFixtures().find((x) => x.id === id)!;
    assertEquals(extractEmail(f.text).isEmail, false, id);
  }
});

Deno.test("a format=flowed body has its soft line breaks joined", () => {
  const e = extractEmail(
    "From: a@b\nContent-Type: text/plain; format=flowed\n\n>> a.c:1:2: error: long \nmessage\n-- \nsig\n",
  );
  assertEquals(e.body, ">> a.c:1:2: error: long message\n-- \nsig\n");
});

Deno.test("real robot e-mails parse to their fixture's expected JSON, the reproduce script taken from the attachment", async (t) => {
  for (const id of ["034", "044"]) {
    await t.step(`${id}.eml`, () => {
      const f = loadFixtures().find((x) => x.id === id)!;
      const mail = Deno.readTextFileSync(
        new URL(`../fixtures/robot-mail/${id}.eml`, import.meta.url),
      );
      const r = parseReport(mail) as unknown as Record<string, unknown>;
      for (const [key, want] of Object.entries(f.expected)) {
        if (key === "file" || key === "meta") continue;
        if (key === "reproduce_file") {
          const { file: _f, origin: _o, ...rest } = want as Record<
            string,
            unknown
          >;
          const { origin, ...got } = r[key] as Record<string, unknown>;
          assertEquals(got, rest, `${id}: ${key}`);
          assertEquals(origin, 'MIME attachment "reproduce" of the same email');
          continue;
        }
        assertEquals(r[key], want, `${id}: ${key}`);
      }
      const att = r["attachments"] as { config?: string };
      assert(att.config?.includes("CONFIG_") === true, `${id}: config`);
    });
  }
});

Deno.test("a saved web-archive HTML page is read from its <pre> block", () => {
  const f = loadFixtures().find((x) => x.id === "026")!;
  const esc = f.text.replaceAll("&", "&amp;").replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;").replaceAll("'", "&#39;");
  const page =
    `<!DOCTYPE html><html><head><title>x</title></head><body><pre>${esc}</pre><hr><pre>reply</pre></body></html>`;
  const r = parseReport(page);
  assertEquals(r.diagnostics, f.expected["diagnostics"]);
  assertEquals(r.make_invocations, f.expected["make_invocations"]);
});

Deno.test("HTML input with unclosed tags stays linear", () => {
  assertEquals(htmlToText("<html>" + "<pre>".repeat(60_000)), "");
  assertEquals(htmlToText("<html>" + "<".repeat(200_000)).length, 200_000);
});
