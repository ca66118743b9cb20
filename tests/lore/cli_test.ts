import { fileURLToPath } from "node:url";
import {
  assert,
  assertEquals,
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

const MAIN = fileURLToPath(new URL("../../main.ts", import.meta.url));

async function kcross(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", MAIN, ...args],
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: {
      NO_COLOR: "1",
      DENO_NO_UPDATE_CHECK: "1",
      HOME: env.KCROSS_STATE_DIR!,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
      ...env,
    },
  }).output();
  return {
    code: r.code,
    stdout: new TextDecoder().decode(r.stdout),
    stderr: new TextDecoder().decode(r.stderr),
  };
}

Deno.test("kcross report fetch <Message-ID> -o FILE saves the mail and the robot's files, and a second run is served from the cache", async () => {
  await using dir = await tempDir("kcross-lore-cli-");
  const f = loadFixtures().find((x) => x.id === "037")!;
  const base = `/0day-ci/archive/20240925/${ROBOT_ID}`;
  await using inbox = await publicInbox(robotThread());
  await using archive = await download01(
    new Map([
      [`${base}/reproduce`, new TextEncoder().encode(f.reproduce!)],
      [`${base}/config.gz`, gz("CONFIG_ARC=y\n")],
    ]),
  );
  const env = {
    KCROSS_STATE_DIR: `${dir}/state`,
    KCROSS_LORE_URL: inbox.url,
    KCROSS_01ORG_URL: archive.url,
  };
  const first = await kcross(
    ["report", "fetch", `<${ROBOT_ID}>`, "-o", `${dir}/report.eml`],
    env,
  );
  assertEquals(first.code, 0, first.stderr);
  const paths = first.stdout.trim().split("\n");
  assertEquals(paths, [
    `${dir}/state/reports/${ROBOT_ID}/message.eml`,
    `${dir}/state/reports/${ROBOT_ID}/reproduce`,
    `${dir}/state/reports/${ROBOT_ID}/config`,
  ]);
  assertStringIncludes(
    await Deno.readTextFile(`${dir}/report.eml`),
    `Message-ID: <${ROBOT_ID}>`,
  );
  const seen = inbox.requests.length + archive.requests.length;
  const second = await kcross(["report", "fetch", ROBOT_ID, "--offline"], env);
  assertEquals(second.code, 0, second.stderr);
  assertEquals(inbox.requests.length + archive.requests.length, seen);
  assertStringIncludes(second.stderr, "from the cache");

  const parsed = await kcross(["report", "parse", ROBOT_ID, "--json"], env);
  assertEquals(parsed.code, 0, parsed.stderr);
  assertEquals(JSON.parse(parsed.stdout).message_id, `<${ROBOT_ID}>`);
});

Deno.test("kcross report fetch: an unknown Message-ID exits 2, an unreachable archive exits 3, with one-line errors", async () => {
  await using dir = await tempDir("kcross-lore-cli-");
  await using inbox = await publicInbox(robotThread());
  const missing = await kcross(["report", "fetch", "x.y-lkp@intel.com"], {
    KCROSS_STATE_DIR: `${dir}/state`,
    KCROSS_LORE_URL: inbox.url,
  });
  assertEquals(missing.code, 2, missing.stderr);
  assertStringIncludes(
    missing.stderr,
    "error: Message <x.y-lkp@intel.com> is not in the archive",
  );
  assert(!missing.stderr.includes("    at "), "no stack trace");
  const down = await kcross(
    ["report", "fetch", ROBOT_ID, "--lore-url", "http://127.0.0.1:9"],
    { KCROSS_STATE_DIR: `${dir}/state` },
  );
  assertEquals(down.code, 3, down.stderr);
  assertStringIncludes(down.stderr, "hint: ");
  const bad = await kcross(["report", "fetch", "not-an-id"], {
    KCROSS_STATE_DIR: `${dir}/state`,
  });
  assertEquals(bad.code, 2, bad.stderr);
});
