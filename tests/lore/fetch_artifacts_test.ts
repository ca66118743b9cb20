import { InfraError } from "../../src/errors.ts";
import { fetchReportArtifacts } from "../../src/lore/mod.ts";
import { parseReport } from "../../src/report/mod.ts";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { tempDir } from "../_support/temp.ts";
import { loadFixtures } from "../report/_fixtures.ts";
import {
  download01,
  gz,
  publicInbox,
  ROBOT_ID,
  robotThread,
} from "./_stand_ins.ts";

const DIR = `/0day-ci/archive/20240925/${ROBOT_ID}`;
const CONFIG =
  "#\n# Automatically generated file; DO NOT EDIT.\nCONFIG_ARC=y\nCONFIG_WERROR=y\n";

function fixture037() {
  const f = loadFixtures().find((x) => x.id === "037")!;
  return { text: f.text, reproduce: f.reproduce! };
}

function files(): Map<string, Uint8Array> {
  // the archive serves config.gz only: the plain name falls back to it
  return new Map([
    [`${DIR}/reproduce`, new TextEncoder().encode(fixture037().reproduce)],
    [`${DIR}/config.gz`, gz(CONFIG)],
  ]);
}

const noEnv = (_: string) => undefined;

Deno.test("a new-format report's reproduce script and config.gz come from the download.01.org stand-in into the cache, then offline", async () => {
  await using dir = await tempDir("kcross-art-");
  const stateRoot = `${dir}`;
  await using archive = await download01(files());
  const report = parseReport(fixture037().text);
  const opts = { stateRoot, archiveUrl: archive.url, env: noEnv };
  const got = await fetchReportArtifacts(report, opts);
  assertEquals(got.notes, []);
  assertEquals(got.config?.text, CONFIG);
  assertEquals(got.config?.url, report.config_url);
  assertEquals(got.reproduce?.text, fixture037().reproduce);
  assertEquals(archive.requests, [
    `${DIR}/reproduce`,
    `${DIR}/config`,
    `${DIR}/config.gz`,
  ]);
  assertEquals(got.config?.path, `${stateRoot}/reports/${ROBOT_ID}/config`);
  const meta = JSON.parse(
    await Deno.readTextFile(`${stateRoot}/reports/${ROBOT_ID}/meta.json`),
  );
  assertEquals(meta.artifacts.config, report.config_url);

  const again = await fetchReportArtifacts(report, { ...opts, offline: true });
  assertEquals(again.config?.source, "cache");
  assertEquals(again.reproduce?.source, "cache");
  assertEquals(archive.requests.length, 3);
});

Deno.test("links that are truncated or point outside download.01.org/0day-ci/archive are never fetched", async () => {
  await using dir = await tempDir("kcross-art-");
  await using archive = await download01(files());
  const base = parseReport(fixture037().text);
  const report = {
    ...base,
    config_url:
      "https://download.01.org/0day-ci/archive/20240925/202409251336.ToC0TvWB-lk...",
    reproduce_url:
      "https://evil.example/0day-ci/archive/20240925/a@b/reproduce",
    setup: { ...base.setup, closes_url: null },
  };
  const got = await fetchReportArtifacts(report, {
    stateRoot: `${dir}`,
    archiveUrl: archive.url,
    env: noEnv,
  });
  assertEquals(got.config, undefined);
  assertEquals(got.reproduce, undefined);
  assertEquals(archive.requests, []);
  assert(got.notes.some((n) => n.includes("truncated")), got.notes.join("|"));
  assert(
    got.notes.some((n) => n.includes("not a download.01.org")),
    got.notes.join("|"),
  );
});

Deno.test("a copy with truncated links follows its Closes: URL to the pristine mail and fetches that mail's links", async () => {
  await using dir = await tempDir("kcross-art-");
  await using archive = await download01(files());
  await using inbox = await publicInbox(robotThread());
  const base = parseReport(fixture037().text);
  const report = {
    ...base,
    config_url:
      "https://download.01.org/0day-ci/archive/20240925/202409251336.ToC0TvWB-lk...",
    reproduce_url: null,
  };
  const got = await fetchReportArtifacts(report, {
    stateRoot: `${dir}`,
    archiveUrl: archive.url,
    env: (n) => n === "KCROSS_LORE_URL" ? inbox.url : undefined,
  });
  assertEquals(inbox.requests, [`/oe-kbuild-all/${ROBOT_ID}/raw`]);
  assertEquals(got.config?.text, CONFIG);
  assertEquals(got.reproduce?.text, fixture037().reproduce);
});

Deno.test("a forged copy's Closes: URL names the message, never the server: its host (loopback, the metadata service) gets no request", async () => {
  await using dir = await tempDir("kcross-art-");
  await using archive = await download01(files());
  await using evil = await publicInbox(robotThread());
  const base = parseReport(fixture037().text);
  const report = {
    ...base,
    config_url:
      "https://download.01.org/0day-ci/archive/20240925/202409251336.ToC0TvWB-lk...",
    reproduce_url: null,
    setup: {
      ...base.setup,
      closes_url: `${evil.url}/oe-kbuild-all/${ROBOT_ID}/`,
    },
  };
  const asked: string[] = [];
  const got = await fetchReportArtifacts(report, {
    stateRoot: `${dir}`,
    archiveUrl: archive.url,
    env: noEnv,
    fetch: ((input: string | URL | Request) => (
      asked.push(String(input)),
        Promise.resolve(new Response("gone", { status: 404 }))
    )) as typeof fetch,
  });
  assertEquals(evil.requests, []);
  assert(
    asked.length > 0 &&
      asked.every((u) => u.startsWith("https://lore.kernel.org/")),
    asked.join(" "),
  );
  assertEquals(got.config, undefined);
});

Deno.test("archive failures: a 500, a body over the cap, and a config that is not a .config are infrastructure errors", async (t) => {
  const report = parseReport(fixture037().text);
  for (
    const [name, body, status, message] of [
      ["HTTP 500", "oops", 500, "HTTP 500"],
      ["too large", "x".repeat(2 * 1024 * 1024), 200, "larger than"],
      ["not a config", "<html>hello</html>", 200, "not a kernel .config"],
    ] as const
  ) {
    await t.step(name, async () => {
      await using dir = await tempDir("kcross-art-");
      await using archive = await download01(new Map());
      archive.routes.set(
        `${DIR}/reproduce`,
        () => new Response(body, { status }),
      );
      archive.routes.set(`${DIR}/config`, () => new Response(body, { status }));
      const e = await assertRejects(
        () =>
          fetchReportArtifacts(report, {
            stateRoot: `${dir}`,
            archiveUrl: archive.url,
            env: noEnv,
          }),
        InfraError,
      );
      assertStringIncludes(e.message, message);
    });
  }
});

Deno.test("files gone from the archive (404 for config and config.gz) are a note, not an error: the planner falls back", async () => {
  await using dir = await tempDir("kcross-art-");
  await using archive = await download01(new Map());
  const got = await fetchReportArtifacts(parseReport(fixture037().text), {
    stateRoot: `${dir}`,
    archiveUrl: archive.url,
    env: noEnv,
  });
  assertEquals(got.config, undefined);
  assertEquals(got.reproduce, undefined);
  assertEquals(got.notes.length, 2);
  assert(got.notes.every((n) => n.includes("gone from the archive (404)")));
  assertEquals(archive.requests, [
    `${DIR}/reproduce`,
    `${DIR}/config`,
    `${DIR}/config.gz`,
  ]);
});
