/**
 * A loopback stand-in for a server of config fragments (`--kconfig-add
 * https://…`): fixed bodies by path, a stalled body (`/stall`), one over the
 * fragment cap (`/big`), 404 for the rest; requests counted per path.
 *
 * @module
 */
import { MAX_FRAGMENT_BYTES } from "../../src/config/fragment_source.ts";

/** A loopback stand-in for a fragment server, counting requests per path. */
export function serveFragments(bodies: Record<string, string>) {
  const hits = new Map<string, number>();
  const stalls: ReadableStreamDefaultController<Uint8Array>[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      if (path === "/stall") {
        return new Response(
          new ReadableStream<Uint8Array>({
            start(c) {
              c.enqueue(new TextEncoder().encode("CONFIG_A=y\n"));
              stalls.push(c); // never closed: the body stalls
            },
          }),
        );
      }
      if (path === "/big") {
        return new Response("CONFIG_A=y\n".repeat(MAX_FRAGMENT_BYTES / 8));
      }
      const body = bodies[path];
      return body === undefined
        ? new Response("gone", { status: 404 })
        : new Response(body);
    },
  );
  return {
    base: `http://127.0.0.1:${server.addr.port}`,
    hits,
    async [Symbol.asyncDispose]() {
      for (const c of stalls) {
        try {
          c.close();
        } catch {
          // already cancelled by the client that gave up on it
        }
      }
      await server.shutdown();
    },
  };
}
