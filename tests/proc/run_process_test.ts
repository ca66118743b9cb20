import { assert, assertEquals, assertRejects } from "../_support/assert.ts";
import { runProcess } from "../../src/proc/run_process.ts";
import { findExecutable } from "../../src/proc/find_executable.ts";
import { InfraError } from "../../src/errors.ts";
import { waitGone } from "../_support/procs.ts";

const ENV = { PATH: "/usr/bin:/bin" };

Deno.test("runProcess() keeps stdout and stderr lines in the order they were written", async () => {
  const lines: string[] = [];
  const chunks: Uint8Array[] = [];
  const script =
    "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done; printf tail";
  const r = await runProcess(["sh", "-c", script], {
    cwd: "/",
    env: ENV,
    onLine: (l) => lines.push(l),
    onChunk: (c) => chunks.push(c),
  });
  assertEquals(r, { code: 0, signal: null, interrupted: false });
  assertEquals(lines, [
    "out1",
    "err1",
    "out2",
    "err2",
    "out3",
    "err3",
    "out4",
    "err4",
    "out5",
    "err5",
    "tail",
  ]);
  const raw = new TextDecoder().decode(
    new Uint8Array(chunks.flatMap((c) => [...c])),
  );
  assertEquals(raw, lines.join("\n"));
});

Deno.test("runProcess() passes arguments as words, never through a shell", async () => {
  const lines: string[] = [];
  await runProcess(["printf", "%s\\n", "$(echo no)", "a b", "'q'"], {
    cwd: "/",
    env: ENV,
    onLine: (l) => lines.push(l),
  });
  assertEquals(lines, ["$(echo no)", "a b", "'q'"]);
});

Deno.test("runProcess() reports the exit code and uses only the given environment", async () => {
  const lines: string[] = [];
  const r = await runProcess(["sh", "-c", 'echo "[$FOO][$HOME]"; exit 7'], {
    cwd: "/tmp",
    env: { ...ENV, FOO: "bar" },
    onLine: (l) => lines.push(l),
  });
  assertEquals(r.code, 7);
  assertEquals(lines, ["[bar][]"]);
});

Deno.test("runProcess() throws an InfraError for a program not on PATH", async () => {
  await assertRejects(
    () => runProcess(["kcross-no-such-make"], { cwd: "/", env: ENV }),
    InfraError,
    'Cannot run "kcross-no-such-make": not found on PATH',
  );
});

Deno.test("aborting runProcess() ends the whole process group, leaving no strays", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kcross-proc-" });
  try {
    const pids = `${dir}/pids`;
    const controller = new AbortController();
    // A child that ignores SIGTERM, and a grandchild: both must be gone.
    // Each shell says "started" once its pids are written.
    const script = `trap '' TERM; sleep 300 & echo $! >> ${pids}; ` +
      `sh -c 'sleep 300 & echo $! >> ${pids}; echo started; wait' & ` +
      `echo $$ >> ${pids}; echo started; wait`;
    const lines: string[] = [];
    const run = runProcess(["sh", "-c", script], {
      cwd: dir,
      env: ENV,
      signal: controller.signal,
      killGraceMs: 300,
      onLine: (l) => {
        lines.push(l);
        if (lines.filter((x) => x === "started").length === 2) {
          controller.abort();
        }
      },
    });
    const r = await run;
    assert(r.interrupted, "interrupted");
    assert(r.code !== 0, "non-zero exit");
    const started = (await Deno.readTextFile(pids)).trim().split("\n").map(
      Number,
    );
    assertEquals(started.length, 3);
    // Killed orphans still need the CPU once to exit.
    assertEquals(await waitGone(started), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("findExecutable() finds programs on PATH and rejects directories", () => {
  assert(findExecutable("sh", "/nonexistent:/bin") !== null);
  assertEquals(findExecutable("bin", "/"), null);
  assertEquals(findExecutable("/bin/sh", ""), "/bin/sh");
});
