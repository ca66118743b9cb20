import { assertEquals } from "../_support/assert.ts";
import { readerInto } from "../../src/util/read_into.ts";

const bytes = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

/** Reads everything through two reused 1000-byte buffers, as download.ts does. */
async function drain(
  stream: ReadableStream<Uint8Array>,
  byob: boolean,
): Promise<number[]> {
  const r = readerInto(stream);
  assertEquals(r.byob, byob);
  const ring = [new Uint8Array(1000), new Uint8Array(1000)];
  const out: number[] = [];
  let slot = 0;
  let fill = 0;
  for (;;) {
    const got = await r.readInto(ring[slot]!, fill);
    ring[slot] = got.buf;
    assertEquals(got.buf.length, 1000, "the memory comes back whole");
    if (got.n === 0) break;
    fill += got.n;
    if (fill === 1000) {
      out.push(...ring[slot]!);
      slot ^= 1;
      fill = 0;
    }
  }
  out.push(...ring[slot]!.subarray(0, fill));
  r.release();
  return out;
}

const parts = [bytes(300, 1), bytes(2500, 2), bytes(1, 3), bytes(999, 4)];
const all = parts.flatMap((p) => [...p]);

Deno.test("readerInto() reads a byte stream (BYOB) into reused buffers, none lost or split wrong", async () => {
  const stream = new ReadableStream({
    type: "bytes",
    start(c) {
      for (const p of parts) c.enqueue(p.slice());
      c.close();
    },
  });
  assertEquals(await drain(stream, true), all);
});

Deno.test("readerInto() copies from a plain stream, keeping what did not fit", async () => {
  const stream = ReadableStream.from(parts.map((p) => p.slice()));
  assertEquals(await drain(stream, false), all);
});

Deno.test("readerInto() reads fetch's body in BYOB mode", async () => {
  const body = bytes(300_000, 5);
  await using server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(body),
  );
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  assertEquals(await drain(res.body!, true), [...body]);
});
