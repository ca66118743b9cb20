import {
  assert,
  assertEquals,
  assertMatch,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import {
  buildsDir,
  createRecordDir,
  listRecords,
  newRecordId,
  readRecord,
  recordPath,
  resolveRecordId,
  writeMetadata,
} from "../../src/record/store.ts";
import type { RecordMetadata } from "../../src/record/types.ts";
import { UserError } from "../../src/errors.ts";
import { scopedEnv } from "../_support/env.ts";

function meta(id: string, result: RecordMetadata["result"]): RecordMetadata {
  return {
    schema: 1,
    id,
    kcrossVersion: "0",
    startedAt: "2026-01-01T00:00:00Z",
    finishedAt: null,
    result,
    reason: null,
    exit: null,
    plan: {
      mode: "native",
      arch: "powerpc",
      argv: ["make"],
      env: {},
      envUnset: [],
      cwd: "/k",
      outDir: null,
      targets: [],
      jobs: 1,
      ccache: false,
      allowEmpty: false,
      triple: "powerpc64-linux",
      tripleReason: "",
      notes: [],
    },
    tree: { path: "/k", commit: null, dirty: null, kernelVersion: null },
    toolchain: null,
    config: null,
    timings: {},
    ccache: null,
    diagnostics: null,
    files: [],
    reproduce: { steps: [], makeCross: [], cwd: "/k", outDir: null },
  };
}

async function withStateDir(fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "kcross-state-" });
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: dir });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("record ids sort by time and are unique", () => {
  const a = newRecordId(new Date("2026-11-27T14:22:33Z"));
  const b = newRecordId(new Date("2026-11-27T14:22:34Z"));
  assertMatch(a, /^20261127T142233Z-[0-9a-f]{6}$/);
  assert(a < b);
  assert(newRecordId() !== newRecordId());
});

Deno.test("records live under the state dir and are found by id, prefix, latest or path", async () => {
  await withStateDir(async (state) => {
    assertEquals(buildsDir(), `${state}/builds`);
    assertEquals(await listRecords(), []);
    const first = await createRecordDir();
    await writeMetadata(first.dir, meta(first.id, "pass"));
    await new Promise((r) => setTimeout(r, 1100));
    const second = await createRecordDir();
    await writeMetadata(second.dir, meta(second.id, "fail"));
    // A record still being created (no metadata yet) is skipped.
    await createRecordDir();
    assertEquals(second.dir, recordPath(second.id));
    assertEquals((await listRecords()).map((m) => m.id), [
      first.id,
      second.id,
    ]);
    assertEquals((await readRecord(first.id)).result, "pass");
    assertEquals((await readRecord(first.dir)).id, first.id);
    assertEquals(await resolveRecordId(first.id.slice(0, 20)), first.id);
    assertEquals(await resolveRecordId("latest"), second.id);
    await assertRejects(() => readRecord("1999"), UserError, "No build record");
    await assertRejects(() => resolveRecordId("2"), UserError, "ambiguous");
  });
});

Deno.test("listRecords() takes a record's id from its directory, never from a forged metadata.json (../../etc, /etc)", async () => {
  await withStateDir(async () => {
    for (const forged of ["../../etc", "/etc"]) {
      const r = await createRecordDir();
      await writeMetadata(r.dir, meta(forged, "pass"));
    }
    const ids = (await listRecords()).map((m) => m.id);
    assertEquals(ids.length, 2);
    for (const id of ids) {
      assertMatch(id, /^\d{8}T\d{6}Z-[0-9a-f]{6}$/);
      assertEquals(recordPath(id), `${buildsDir()}/${id}`);
    }
  });
});

Deno.test("createRecordDir() honours an override directory", async () => {
  const root = await Deno.makeTempDir();
  try {
    const r = await createRecordDir(`${root}/my-record/`);
    assertEquals(r, {
      id: "my-record",
      dir: `${root}/my-record`,
      created: true,
    });
    assert((await Deno.stat(r.dir)).isDirectory);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("createRecordDir() takes an existing --record-dir as not its own, and refuses a file or a symlink to one or to nothing (exit 2)", async () => {
  const root = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${root}/mine`);
    await Deno.writeTextFile(`${root}/mine/precious`, "x");
    await Deno.symlink(`${root}/mine`, `${root}/link`);
    assertEquals((await createRecordDir(`${root}/mine`)).created, false);
    assertEquals((await createRecordDir(`${root}/link`)).created, false);
    assertEquals(await Deno.readTextFile(`${root}/mine/precious`), "x");
    await Deno.writeTextFile(`${root}/file`, "x");
    await Deno.symlink(`${root}/file`, `${root}/to-file`);
    await Deno.symlink(`${root}/nowhere`, `${root}/dangling`);
    for (const name of ["file", "to-file", "dangling"]) {
      await assertRejects(
        () => createRecordDir(`${root}/${name}`),
        UserError,
        "is not a directory",
      );
    }
    assertEquals(await Deno.readTextFile(`${root}/file`), "x");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("writeMetadata() replaces metadata.json atomically, leaving no temp file", async () => {
  const root = await Deno.makeTempDir();
  try {
    await writeMetadata(root, meta("x", "running"));
    await writeMetadata(root, meta("x", "pass"));
    const names = [];
    for await (const e of Deno.readDir(root)) names.push(e.name);
    assertEquals(names, ["metadata.json"]);
    assertEquals((await readRecord(root)).result, "pass");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a damaged metadata.json is a one-line user error, not a stack trace", async () => {
  const state = await Deno.makeTempDir({ prefix: "kcross-store-bad-" });
  await using _env = await scopedEnv({ KCROSS_STATE_DIR: state });
  try {
    for (
      const [name, text] of [["bad", "{bad"], ["list", "[1]"]] as const
    ) {
      Deno.mkdirSync(`${state}/builds/${name}`, { recursive: true });
      Deno.writeTextFileSync(`${state}/builds/${name}/metadata.json`, text);
      const e = await assertRejects(
        () => readRecord(`${state}/builds/${name}`),
        UserError,
      );
      assertStringIncludes(e.message, "Cannot read the build record");
    }
  } finally {
    await Deno.remove(state, { recursive: true });
  }
});
