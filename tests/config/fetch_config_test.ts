import { gzipSync } from "node:zlib";
import {
  decodeConfigBody,
  fetchConfig,
} from "../../src/config/fetch_config.ts";
import { exitCodeOf, InfraError, UserError } from "../../src/errors.ts";
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";

/** The stand-ins are on loopback: the user's opt-in (KCROSS_ALLOW_PRIVATE_URLS=1). */
const LOCAL = { allowPrivate: true } as const;

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
    assertEquals(await fetchConfig(`${s.base}/config`, LOCAL), "CONFIG_A=y\n");
    const gone = await assertRejects(
      () => fetchConfig(`${s.base}/purged/config`, LOCAL),
      InfraError,
      "HTTP 404",
    );
    assertStringIncludes(gone.hint ?? "", "--config FILE");
    await assertRejects(
      () => fetchConfig(`${s.base}/big`, { ...LOCAL, maxBytes: 1024 }),
      InfraError,
      "cap",
    );
    // the stall is broken by the per-chunk timeout, not by the test
    await assertRejects(
      () => fetchConfig(`${s.base}/stall`, { ...LOCAL, timeoutMs: 200 }),
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
    () => fetchConfig(`http://127.0.0.1:${port}/config`, LOCAL),
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

Deno.test("fetchConfig() refuses a URL to this machine or a private network before any request (exit 2), in every spelling, unless the user allows it", async () => {
  let hits = 0;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () => (hits++, new Response("CONFIG_A=y\n")),
  );
  const port = server.addr.port;
  try {
    for (
      const url of [
        `http://127.0.0.1:${port}/config`,
        `http://2130706433:${port}/config`,
        `http://0x7f.1:${port}/config`,
        `http://localhost:${port}/config`,
        `http://[::ffff:127.0.0.1]:${port}/config`,
        `http://[::1]:${port}/config`,
        "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "https://10.0.0.1/config",
        "http://192.168.1.1/config",
      ]
    ) {
      const e = await assertRejects(
        () => fetchConfig(url, { resolveHost: () => Promise.resolve([]) }),
        UserError,
        "Refusing to fetch config",
      );
      assertEquals(exitCodeOf(e), 2, url);
      assertStringIncludes(e.hint ?? "", "KCROSS_ALLOW_PRIVATE_URLS=1");
    }
    // a name that resolves to loopback
    const e = await assertRejects(
      () =>
        fetchConfig(`http://evil.example:${port}/config`, {
          resolveHost: () => Promise.resolve(["127.0.0.1"]),
        }),
      UserError,
      "evil.example resolves to 127.0.0.1, a loopback address",
    );
    assertEquals(exitCodeOf(e), 2);
    assertEquals(hits, 0);
    // the user's opt-in, from the environment or an option
    const env = (n: string) =>
      n === "KCROSS_ALLOW_PRIVATE_URLS" ? "1" : undefined;
    assertEquals(
      await fetchConfig(`http://127.0.0.1:${port}/config`, { env }),
      "CONFIG_A=y\n",
    );
    assertEquals(hits, 1);
  } finally {
    await server.shutdown();
  }
});

Deno.test("fetchConfig() refuses a redirect to a private address (exit 3) without requesting it", async () => {
  const served: string[] = [];
  const fake = ((input: string | URL | Request) => {
    const url = String(input);
    served.push(url);
    if (url === "https://a.example/meta") {
      return Promise.resolve(
        new Response(null, {
          status: 302,
          headers: { location: "https://169.254.169.254/latest/meta-data/" },
        }),
      );
    }
    if (url === "https://a.example/name") {
      return Promise.resolve(
        new Response(null, {
          status: 301,
          headers: { location: "https://inside.example/config" },
        }),
      );
    }
    return Promise.resolve(new Response("CONFIG_B=y\n"));
  }) as typeof fetch;
  const resolveHost = (host: string) =>
    Promise.resolve(host === "inside.example" ? ["10.1.2.3"] : []);
  for (const path of ["meta", "name"]) {
    served.length = 0;
    const e = await assertRejects(
      () =>
        fetchConfig(`https://a.example/${path}`, { fetch: fake, resolveHost }),
      InfraError,
      "Refusing a redirect of config",
    );
    assertEquals(exitCodeOf(e), 3);
    assertEquals(served, [`https://a.example/${path}`]);
  }
});

Deno.test("fetchConfig() gives up on a server that drips bytes forever: a deadline on the whole download", async () => {
  let stop = false;
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async pull(c) {
            // one byte every 20 ms: never a stall of the per-chunk timeout
            await new Promise((r) => setTimeout(r, 20));
            if (stop) c.close();
            else c.enqueue(new Uint8Array([0x41]));
          },
          cancel() {
            stop = true;
          },
        }),
      ),
  );
  try {
    const e = await assertRejects(
      () =>
        fetchConfig(`http://127.0.0.1:${server.addr.port}/config`, {
          ...LOCAL,
          timeoutMs: 1000,
          deadlineMs: 400,
        }),
      InfraError,
      "not done in 0.4 s",
    );
    assertEquals(exitCodeOf(e), 3);
  } finally {
    stop = true;
    await server.shutdown();
  }
});
