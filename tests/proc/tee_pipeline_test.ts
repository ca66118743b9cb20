import { createHash } from "node:crypto";
import {
  assert,
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";
import { spawnTeePipeline } from "../../src/proc/mod.ts";
import { CommandNotFoundError } from "../../src/proc/run_captured.ts";
import { OVER_CAP_EXIT, teeStageArgv } from "../../src/proc/splice_tee.ts";

function pseudoRandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = 12345;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

Deno.test("main and side both get every byte, in order, through kernel pipes", async () => {
  const data = pseudoRandom(3 * 1024 * 1024 + 17);
  const p = await spawnTeePipeline(["cat"], ["sha256sum"], {
    argv: ["sha256sum"],
    stdout: true,
  });
  for (let off = 0; off < data.length; off += 256 * 1024) {
    await p.writer.write(data.slice(off, off + 256 * 1024));
  }
  await p.writer.close();
  const [s, tee, m, side] = await Promise.all([
    p.source,
    p.tee!,
    p.main,
    p.side!,
  ]);
  assert(s.success && tee.success && m.success && side.success);
  const hex = createHash("sha256").update(data).digest("hex");
  assertEquals(side.stdout.split(" ")[0], hex);
});

Deno.test("a side stage that quits early does not starve the main one (tee -p)", async () => {
  const data = pseudoRandom(2 * 1024 * 1024);
  const p = await spawnTeePipeline(["cat"], ["wc", "-c"], {
    argv: ["sh", "-c", "exit 7"],
    stdout: true,
  });
  await p.writer.write(data);
  await p.writer.close();
  const [s, m, side] = await Promise.all([p.source, p.main, p.side!]);
  assert(s.success && m.success, `${s.stderr} ${m.stderr}`);
  assertEquals(side.code, 7);
});

Deno.test("a main stage that fails stops the source: the writer rejects", async () => {
  const p = await spawnTeePipeline(["cat"], [
    "sh",
    "-c",
    "head -c 10 >/dev/null; exit 2",
  ]);
  const chunk = pseudoRandom(256 * 1024);
  await assertRejects(async () => {
    for (let i = 0; i < 4096; i++) await p.writer.write(chunk);
    await p.writer.close();
  });
  const m = await p.main;
  assertEquals(m.code, 2);
  p.kill();
  await p.source;
});

Deno.test("a missing program is a CommandNotFoundError before anything starts", async () => {
  let thrown: unknown;
  try {
    await spawnTeePipeline(["cat"], ["kcross-no-such-program-x"]);
  } catch (e) {
    thrown = e;
  }
  assert(thrown instanceof CommandNotFoundError);
});

async function mainDigest(
  data: Uint8Array,
  side: { argv: string[]; stdout?: boolean },
): Promise<{ main: string; side: string; sideCode: number | null }> {
  const dir = await Deno.makeTempDir({ prefix: "kcross-tee-" });
  try {
    const p = await spawnTeePipeline(["cat"], [
      "sh",
      "-c",
      'sha256sum > "$0"',
      `${dir}/main`,
    ], side);
    for (let off = 0; off < data.length; off += 100_000) {
      await p.writer.write(data.slice(off, off + 100_000));
    }
    await p.writer.close();
    const [s, tee, m, sd] = await Promise.all([
      p.source,
      p.tee!,
      p.main,
      p.side!,
    ]);
    assert(s.success && tee.success && m.success, tee.stderr);
    return {
      main: Deno.readTextFileSync(`${dir}/main`).split(" ")[0]!,
      side: sd.stdout.split(" ")[0]!,
      sideCode: sd.code,
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("the tee stage hands the main stage every byte too, with or without a side reader", async () => {
  const data = pseudoRandom(5 * 1024 * 1024 + 3);
  const hex = createHash("sha256").update(data).digest("hex");
  const both = await mainDigest(data, { argv: ["sha256sum"], stdout: true });
  assertEquals([both.main, both.side], [hex, hex]);
  // The side reads 10 bytes and quits: the rest still reaches main.
  const early = await mainDigest(data, {
    argv: ["sh", "-c", "head -c 10 >/dev/null"],
  });
  assertEquals([early.main, early.sideCode], [hex, 0]);
});

Deno.test("the splice tee copies when its descriptors are not pipes (a file as stdin)", async () => {
  const argv = teeStageArgv(Deno.env.get("PATH") ?? "/usr/bin:/bin");
  if (argv[0] !== "perl") return; // GNU tee: nothing of ours to test
  const dir = await Deno.makeTempDir({ prefix: "kcross-tee-" });
  try {
    const data = pseudoRandom(3 * 1024 * 1024 + 5);
    Deno.writeFileSync(`${dir}/in`, data);
    const r = await new Deno.Command("sh", {
      args: [
        "-c",
        '"$@" < "$0/in" > "$0/out" 3> "$0/side"',
        dir,
        ...argv,
      ],
      stderr: "piped",
    }).output();
    assert(r.success, new TextDecoder().decode(r.stderr));
    assertEquals(Deno.readFileSync(`${dir}/out`), data);
    assertEquals(Deno.readFileSync(`${dir}/side`), data);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a main stage that stops reading after its end marker fails nothing: the side still gets every byte", async () => {
  const data = pseudoRandom(4 * 1024 * 1024 + 9);
  const hex = createHash("sha256").update(data).digest("hex");
  for (const side of [{ argv: ["sha256sum"], stdout: true }, undefined]) {
    const p = await spawnTeePipeline(
      ["cat"],
      ["sh", "-c", "head -c 10 >/dev/null"],
      side,
    );
    for (let off = 0; off < data.length; off += 256 * 1024) {
      await p.writer.write(data.slice(off, off + 256 * 1024));
    }
    await p.writer.close();
    const [s, tee, m, sd] = await Promise.all([
      p.source,
      p.tee ?? Promise.resolve(null),
      p.main,
      p.side ?? Promise.resolve(null),
    ]);
    assert(s.success && m.success && (tee?.success ?? true), tee?.stderr);
    if (sd) assertEquals(sd.stdout.split(" ")[0], hex);
  }
});

Deno.test("the tee stage stops with OVER_CAP_EXIT once more than its cap passed, in tee, batch and copy modes", async () => {
  const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
  if (teeStageArgv(path)[0] !== "perl") return; // GNU tee has no cap
  const cap = 1024 * 1024;
  for (const side of [true, false]) {
    for (const size of [cap, cap + 1]) {
      const argv = teeStageArgv(path, { side, maxBytes: cap })!;
      for (const input of ["pipe", "file"] as const) {
        const dir = await Deno.makeTempDir({ prefix: "kcross-tee-" });
        try {
          Deno.writeFileSync(`${dir}/in`, pseudoRandom(size));
          const feed = input === "pipe" ? 'cat "$0/in" |' : "";
          const from = input === "file" ? '< "$0/in"' : "";
          const r = await new Deno.Command("sh", {
            args: [
              "-c",
              `${feed} "$@" ${from} > "$0/out" 3> "$0/side"`,
              dir,
              ...argv,
            ],
            stderr: "piped",
          }).output();
          const stderr = new TextDecoder().decode(r.stderr);
          const label = `side=${side} size=${size} ${input}`;
          if (size <= cap) {
            assertEquals(r.code, 0, `${label}: ${stderr}`);
            assertEquals(Deno.statSync(`${dir}/out`).size, size, label);
          } else {
            assertEquals(r.code, OVER_CAP_EXIT, label);
            assertStringIncludes(stderr, `kcross-tee: more than ${cap} bytes`);
            // At most one byte past the cap reached stdout.
            assert(Deno.statSync(`${dir}/out`).size <= cap + 1, label);
          }
        } finally {
          await Deno.remove(dir, { recursive: true });
        }
      }
    }
  }
});
