import { fetchReportFiles } from "../../src/repro/fetch_report_files.ts";
import { recordingOutput } from "../../src/util/output.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { tempDir } from "../_support/temp.ts";
import { loadFixtures } from "../report/_fixtures.ts";
import {
  download01,
  gz,
  publicInbox,
  ROBOT_ID,
  robotThread,
} from "../lore/_stand_ins.ts";

Deno.test("repro's inputs for a Message-ID: the mail from lore, the robot's reproduce and config from 01.org, then all from the cache", async () => {
  await using dir = await tempDir("kcross-rf-");
  const f = loadFixtures().find((x) => x.id === "037")!;
  const base = `/0day-ci/archive/20240925/${ROBOT_ID}`;
  await using inbox = await publicInbox(robotThread());
  await using archive = await download01(
    new Map([
      [`${base}/reproduce`, new TextEncoder().encode(f.reproduce!)],
      [`${base}/config.gz`, gz("CONFIG_ARC=y\n")],
    ]),
  );
  const vars: Record<string, string> = {
    KCROSS_LORE_URL: inbox.url,
    KCROSS_01ORG_URL: archive.url,
  };
  const options = {
    cwd: `${dir}`,
    out: recordingOutput(),
    signal: new AbortController().signal,
    offline: false,
    wantReproduce: true,
    wantConfig: true,
    stateRoot: `${dir}/state`,
    env: (n: string) => vars[n],
    has: () => true,
  };
  const got = await fetchReportFiles(ROBOT_ID, options);
  assertEquals(got.config?.text, "CONFIG_ARC=y\n");
  assertEquals(got.reproduce?.text, f.reproduce);
  assert(got.text.includes(`Message-ID: <${ROBOT_ID}>`));
  const requests = inbox.requests.length + archive.requests.length;
  const again = await fetchReportFiles(ROBOT_ID, { ...options, offline: true });
  assertEquals(again.config?.source, "cache");
  assertEquals(inbox.requests.length + archive.requests.length, requests);
  // --config and --reproduce given: nothing is fetched from 01.org
  const none = await fetchReportFiles(ROBOT_ID, {
    ...options,
    wantConfig: false,
    wantReproduce: false,
  });
  assertEquals(none.config, undefined);
  assertEquals(none.reproduce, undefined);
});

Deno.test("a report built with rustc says so when this host has no rustc", async () => {
  await using dir = await tempDir("kcross-rf-");
  const f = loadFixtures().find((x) => x.id === "046")!;
  const text = f.text.replace(
    /^(compiler: .*)$/m,
    "$1\nrustc: rustc 1.88.0 (6b00bc388 2025-06-23)",
  );
  await Deno.writeTextFile(`${dir}/r.txt`, text);
  const got = await fetchReportFiles("r.txt", {
    cwd: `${dir}`,
    out: recordingOutput(),
    signal: new AbortController().signal,
    offline: true,
    wantReproduce: false,
    wantConfig: false,
    stateRoot: `${dir}/state`,
    env: () => undefined,
    has: (p) => p !== "rustc",
  });
  assertEquals(got.setupDifferences.length, 1);
  assert(got.setupDifferences[0]!.includes("rustc 1.88.0"));
  assert(got.setupDifferences[0]!.includes("no rustc"));
});

Deno.test("an archive failure for the robot's files is noted and repro goes on with the report's links", async () => {
  await using dir = await tempDir("kcross-rf-");
  await using inbox = await publicInbox(robotThread());
  await using archive = await download01(new Map());
  archive.routes.set(
    `/0day-ci/archive/20240925/${ROBOT_ID}/reproduce`,
    () => new Response("down", { status: 503 }),
  );
  const vars: Record<string, string> = {
    KCROSS_LORE_URL: inbox.url,
    KCROSS_01ORG_URL: archive.url,
  };
  const out = recordingOutput();
  const got = await fetchReportFiles(ROBOT_ID, {
    cwd: `${dir}`,
    out,
    signal: new AbortController().signal,
    offline: false,
    wantReproduce: true,
    wantConfig: true,
    stateRoot: `${dir}/state`,
    env: (n: string) => vars[n],
    has: () => true,
  });
  assertEquals(got.config, undefined);
  assert(got.text.includes(ROBOT_ID));
  assert(
    out.stderr.some((l) =>
      l.includes("could not be fetched") && l.includes("HTTP 503")
    ),
    out.stderr.join("\n"),
  );
});
