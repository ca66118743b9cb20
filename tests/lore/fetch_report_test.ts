import { InfraError, UserError } from "../../src/errors.ts";
import { resolveReportInput } from "../../src/lore/mod.ts";
import { parseReport } from "../../src/report/mod.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { tempDir } from "../_support/temp.ts";
import {
  gz,
  publicInbox,
  REPLY_ID,
  ROBOT_ID,
  robotThread,
} from "./_stand_ins.ts";

const noEnv = (_: string) => undefined;

function options(dir: string, loreUrl: string) {
  const stateRoot = `${dir}`; // tempDir() gives a String object
  return { cwd: stateRoot, stateRoot, loreUrl, env: noEnv };
}

Deno.test("a Message-ID is fetched from <base>/all/<msgid>/raw, cached, and the second call makes no request", async (t) => {
  await using state = await tempDir("kcross-lore-");
  await using inbox = await publicInbox(robotThread());
  for (const arg of [`<${ROBOT_ID}>`, ROBOT_ID]) {
    await t.step(arg, async () => {
      const before = inbox.requests.length;
      const r = await resolveReportInput(arg, options(state, inbox.url));
      assertEquals(r.messageId, ROBOT_ID);
      assertStringIncludes(r.text, "From the robot, with love");
      assert(!r.text.includes(">From the robot"), "mboxrd quoting undone");
      const report = parseReport(r.text);
      assertEquals(report.message_id, `<${ROBOT_ID}>`);
      assertEquals(report.commit, "f2519d4d4fc4d36f2b58c5614357de9f5b4032fc");
      assert(r.path!.startsWith(`${state}/reports/`), r.path!);
      if (arg.startsWith("<")) {
        assertEquals(r.source, "lore");
        assertEquals(inbox.requests.slice(before), [`/all/${ROBOT_ID}/raw`]);
      } else {
        assertEquals(r.source, "cache");
        assertEquals(inbox.requests.length, before);
      }
    });
  }
  const offline = await resolveReportInput(ROBOT_ID, {
    ...options(state, "http://127.0.0.1:9"),
    offline: true,
  });
  assertEquals(offline.source, "cache");
});

Deno.test("a lore URL of any list and suffix names its list, falls back to all, and a t.mbox.gz URL reads the thread", async (t) => {
  const cases: [string, string[]][] = [
    [`/oe-kbuild-all/${ROBOT_ID}/`, [`/oe-kbuild-all/${ROBOT_ID}/raw`]],
    [`/oe-kbuild-all/${ROBOT_ID}/raw`, [`/oe-kbuild-all/${ROBOT_ID}/raw`]],
    [`/oe-kbuild-all/${ROBOT_ID}/T/#u`, [`/oe-kbuild-all/${ROBOT_ID}/raw`]],
    [`/linux-mips/${ROBOT_ID}/`, [
      `/linux-mips/${ROBOT_ID}/raw`,
      `/all/${ROBOT_ID}/raw`,
    ]],
    [`/oe-kbuild-all/${ROBOT_ID}/t.mbox.gz`, [
      `/oe-kbuild-all/${ROBOT_ID}/t.mbox.gz`,
    ]],
    // lore's /r/ is its all inbox
    [`/r/${ROBOT_ID}`, [`/all/${ROBOT_ID}/raw`]],
  ];
  for (const [path, want] of cases) {
    await t.step(path, async () => {
      await using state = await tempDir("kcross-lore-");
      await using inbox = await publicInbox(robotThread());
      const r = await resolveReportInput(`${inbox.url}${path}`, {
        ...options(state, "http://127.0.0.1:9"),
      });
      assertEquals(inbox.requests, want);
      assertEquals(parseReport(r.text).message_id, `<${ROBOT_ID}>`);
    });
  }
});

Deno.test("a mirror's path prefix is kept as the archive root", async () => {
  await using state = await tempDir("kcross-lore-");
  await using inbox = await publicInbox(robotThread(), "/lore");
  await resolveReportInput(`${inbox.url}/lore/oe-kbuild-all/${ROBOT_ID}/`, {
    ...options(state, "http://127.0.0.1:9"),
  });
  assertEquals(inbox.requests, [`/lore/oe-kbuild-all/${ROBOT_ID}/raw`]);
  await using other = await tempDir("kcross-lore-");
  await resolveReportInput(ROBOT_ID, options(other, `${inbox.url}/lore/`));
  assertEquals(inbox.requests.at(-1), `/lore/all/${ROBOT_ID}/raw`);
});

Deno.test("a reply's Message-ID finds the robot's message in the gzipped thread mbox, cached under both ids", async () => {
  await using state = await tempDir("kcross-lore-");
  await using inbox = await publicInbox(robotThread());
  const r = await resolveReportInput(
    `<${REPLY_ID}>`,
    options(state, inbox.url),
  );
  const escaped = "Zv1Bx2y3+reply%2Fodd%25id@kernel.org";
  assertEquals(inbox.requests, [
    `/all/${escaped}/raw`,
    `/all/${escaped}/t.mbox.gz`,
  ]);
  assertEquals(parseReport(r.text).message_id, `<${ROBOT_ID}>`);
  assertEquals(
    [...Deno.readDirSync(`${state}/reports`)].map((e) => e.name).sort(),
    [ROBOT_ID, escaped].sort(),
  );
  const again = await resolveReportInput(ROBOT_ID, options(state, inbox.url));
  assertEquals(again.source, "cache");
  assertEquals(inbox.requests.length, 2);
});

Deno.test("a Message-ID the archive does not have is a user error naming it, and nothing is cached", async () => {
  await using state = await tempDir("kcross-lore-");
  await using inbox = await publicInbox(robotThread());
  const e = await assertRejects(
    () =>
      resolveReportInput("nope.1234-lkp@intel.com", options(state, inbox.url)),
    UserError,
  );
  assertStringIncludes(
    e.message,
    "<nope.1234-lkp@intel.com> is not in the archive",
  );
  assertEquals([...Deno.readDirSync(state)], []);
});

Deno.test("with --offline an uncached report is a user error and no request is made", async () => {
  await using state = await tempDir("kcross-lore-");
  await using inbox = await publicInbox(robotThread());
  const e = await assertRejects(
    () =>
      resolveReportInput(ROBOT_ID, {
        ...options(state, inbox.url),
        offline: true,
      }),
    UserError,
  );
  assertStringIncludes(e.message, "--offline");
  assertEquals(inbox.requests, []);
});

Deno.test("malformed Message-IDs never reach the network or the cache", async (t) => {
  await using state = await tempDir("kcross-lore-");
  await using inbox = await publicInbox(robotThread());
  for (
    const bad of [
      "<a b@c>",
      "<@c>",
      "<x@>",
      `<${"a".repeat(300)}@b>`,
      "<a\u0001@b>",
      '<a"b@c>',
    ]
  ) {
    await t.step(JSON.stringify(bad), async () => {
      await assertRejects(
        () => resolveReportInput(bad, options(state, inbox.url)),
        UserError,
      );
    });
  }
  assertEquals(inbox.requests, []);
  // a path-like Message-ID stays one escaped directory name inside the cache
  await assertRejects(
    () => resolveReportInput("<../../../etc/x@y>", options(state, inbox.url)),
    UserError,
  );
  assertEquals(inbox.requests, [
    "/all/..%2F..%2F..%2Fetc%2Fx@y/raw",
    "/all/..%2F..%2F..%2Fetc%2Fx@y/t.mbox.gz",
  ]);
});

Deno.test("redirects: followed up to the limit, never to another scheme, never https to http", async (t) => {
  await using state = await tempDir("kcross-lore-");
  await using inbox = await publicInbox(robotThread());
  await t.step("a relative 301 is followed", async () => {
    inbox.routes.set(`/all/${ROBOT_ID}/raw`, () =>
      new Response(null, {
        status: 301,
        headers: { location: `../../oe-kbuild-all/${ROBOT_ID}/raw` },
      }));
    await using other = await tempDir("kcross-lore-");
    const r = await resolveReportInput(ROBOT_ID, options(other, inbox.url));
    assertEquals(inbox.requests.slice(-2), [
      `/all/${ROBOT_ID}/raw`,
      `/oe-kbuild-all/${ROBOT_ID}/raw`,
    ]);
    assertEquals(parseReport(r.text).message_id, `<${ROBOT_ID}>`);
  });
  await t.step("a redirect loop is an infrastructure error", async () => {
    inbox.routes.set(
      `/all/${ROBOT_ID}/raw`,
      () =>
        new Response(null, {
          status: 302,
          headers: { location: `/all/${ROBOT_ID}/raw` },
        }),
    );
    const e = await assertRejects(
      () => resolveReportInput(ROBOT_ID, options(state, inbox.url)),
      InfraError,
    );
    assertStringIncludes(e.message, "Too many redirects");
  });
  await t.step("a redirect to file:// is refused", async () => {
    inbox.routes.set(
      `/all/${ROBOT_ID}/raw`,
      () =>
        new Response(null, {
          status: 301,
          headers: { location: "file:///etc/passwd" },
        }),
    );
    const e = await assertRejects(
      () => resolveReportInput(ROBOT_ID, options(state, inbox.url)),
      InfraError,
    );
    assertStringIncludes(e.message, "only http and https");
  });
  assertEquals([...Deno.readDirSync(state)], []);
});

Deno.test("size caps: an endless raw body and a gzip bomb of a thread are refused, nothing is cached", async (t) => {
  await using state = await tempDir("kcross-lore-");
  await using inbox = await publicInbox(robotThread());
  await t.step("raw body over 16 MB", async () => {
    inbox.routes.set(`/all/${ROBOT_ID}/raw`, () => {
      const chunk = new Uint8Array(1 << 20).fill(65);
      let n = 0;
      return new Response(
        new ReadableStream({
          pull(c) {
            if (n++ > 40) c.close();
            else c.enqueue(chunk);
          },
        }),
      );
    });
    const e = await assertRejects(
      () => resolveReportInput(ROBOT_ID, options(state, inbox.url)),
      InfraError,
    );
    assertStringIncludes(e.message, "larger than the 16 MB cap");
  });
  await t.step("thread mbox unpacking past 64 MB", async () => {
    inbox.routes.set(
      `/all/${ROBOT_ID}/raw`,
      () => new Response("Not Found", { status: 404 }),
    );
    const bomb = gz("x".repeat(80 * 1024 * 1024));
    inbox.routes.set(
      `/all/${ROBOT_ID}/t.mbox.gz`,
      () => new Response(bomb as BodyInit),
    );
    const e = await assertRejects(
      () => resolveReportInput(ROBOT_ID, options(state, inbox.url)),
      InfraError,
    );
    assertStringIncludes(e.message, "unpacks to more than");
  });
  assertEquals([...Deno.readDirSync(state)], []);
});

Deno.test("a thread without a robot message is a user error that says to pass the robot's own mail", async () => {
  await using state = await tempDir("kcross-lore-");
  const [, reply] = robotThread();
  await using inbox = await publicInbox([{ ...reply!, thread: REPLY_ID }]);
  const e = await assertRejects(
    () => resolveReportInput(`<${REPLY_ID}>`, options(state, inbox.url)),
    UserError,
  );
  assertStringIncludes(e.message, "No kernel test robot report in the thread");
});

Deno.test("a file argument is read as a file even when it looks like a Message-ID", async () => {
  await using dir = await tempDir("kcross-lore-");
  await Deno.writeTextFile(`${dir}/${ROBOT_ID}`, robotThread()[0]!.text);
  const r = await resolveReportInput(ROBOT_ID, {
    ...options(dir, "http://127.0.0.1:9"),
  });
  assertEquals(r.source, "file");
});
