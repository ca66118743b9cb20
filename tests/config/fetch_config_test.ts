import { gzipSync } from "node:zlib";
import {
  decodeConfigBody,
  fetchConfig,
} from "../../src/config/fetch_config.ts";
import { exitCodeOf, InfraError } from "../../src/errors.ts";
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";

/** A loopback stand-in for download.01.org with a few misbehaving paths. */
function serve(): { base: string; close(): Promise<void> } {
  const stalls: ReadableStreamDefaultController<Uint8Array>[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      switch (path) {
        case "/config":
          return new Response("CONFIG_A=y\n");
        case "/big":
          return new Response(new Uint8Array(4096));
        case "/stall":
          return new Response(
            new ReadableStream<Uint8Array>({
              start(c) {
                c.enqueue(new TextEncoder().encode("CONFIG_A=y\n"));
                stalls.push(c); // never closed: the body stalls
              },
            }),
          );
        default:
          return new Response("gone", { status: 404 });
      }
    },
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    async close() {
      for (const c of stalls) c.close();
      await server.shutdown();
    },
  };
}

Deno.test("fetchConfig() reads a config and says why it cannot: HTTP status, cap, stalled body", async () => {
  const s = serve();
  try {
    assertEquals(await fetchConfig(`${s.base}/config`), "CONFIG_A=y\n");
    const gone = await assertRejects(
      () => fetchConfig(`${s.base}/purged/config`),
      InfraError,
      "HTTP 404",
    );
    assertStringIncludes(gone.hint ?? "", "--config FILE");
    await assertRejects(
      () => fetchConfig(`${s.base}/big`, { maxBytes: 1024 }),
      InfraError,
      "cap",
    );
    // the stall is broken by the per-chunk timeout, not by the test
    await assertRejects(
      () => fetchConfig(`${s.base}/stall`, { timeoutMs: 200 }),
      InfraError,
      "stalled",
    );
  } finally {
    await s.close();
  }
});

Deno.test("fetchConfig() on a refused connection is an infrastructure error (exit 3)", async () => {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = listener.addr.port;
  listener.close(); // nothing listens there now
  const e = await assertRejects(
    () => fetchConfig(`http://127.0.0.1:${port}/config`),
    InfraError,
    "connection refused",
  );
  assertEquals(exitCodeOf(e), 3);
});

Deno.test("decodeConfigBody() gunzips, and stops a gzip bomb at the cap", async () => {
  const text = "CONFIG_A=y\n";
  assertEquals(
    await decodeConfigBody(new Uint8Array(gzipSync(text)), "x"),
    text,
  );
  // 8 MB of zeros gzip to a few KB: over a 1 MB cap when decompressed
  const bomb = new Uint8Array(gzipSync(new Uint8Array(8 * 1024 * 1024)));
  await assertRejects(
    () => decodeConfigBody(bomb, "x", { maxBytes: 1024 * 1024 }),
    InfraError,
    "decompresses to over",
  );
  await assertRejects(
    () => decodeConfigBody(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), "x"),
    InfraError,
    "Corrupt gzip",
  );
});

Deno.test("fetchConfig() follows redirects within http/https only, never https down to http (fragment URLs are https-only)", async () => {
  const served: string[] = [];
  const fake = ((input: string | URL | Request) => {
    const url = String(input);
    served.push(url);
    const to = (location: string) =>
      Promise.resolve(
        new Response(null, { status: 302, headers: { location } }),
      );
    if (url === "https://a.example/down") return to("http://b.example/config");
    if (url === "https://a.example/file") return to("file:///etc/passwd");
    if (url === "https://a.example/loop") return to("/loop");
    if (url === "https://a.example/bad") return to("http://[::1");
    if (url === "https://a.example/rel") return to("/config");
    return Promise.resolve(new Response("CONFIG_B=y\n"));
  }) as typeof fetch;
  assertEquals(
    await fetchConfig("https://a.example/rel", { fetch: fake }),
    "CONFIG_B=y\n",
  );
  for (
    const [path, why] of [
      ["down", "from https to http"],
      ["file", "only http and https"],
      ["loop", "Too many redirects"],
      ["bad", "bad Location"],
    ] as const
  ) {
    served.length = 0;
    const e = await assertRejects(
      () => fetchConfig(`https://a.example/${path}`, { fetch: fake }),
      InfraError,
    );
    assertStringIncludes(e.message, why);
    assertEquals(exitCodeOf(e), 3);
    assertEquals(served.includes("http://b.example/config"), false);
  }
});
