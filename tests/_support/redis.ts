/**
 * A real redis-server for tests: no persistence (`--save "" --appendonly
 * no`), its own temp dir, reached through a loopback TCP port this process
 * owns for the test's whole life.
 *
 * The server itself listens only on a unix socket in the temp dir; a small
 * forwarder in this process accepts TCP clients on an OS-assigned port and
 * pipes each to the socket. So `restart()` (a real stop and a fresh server:
 * every key is lost, every client connection drops) never gives the port
 * up, and a parallel test cannot take it in the gap. Readiness is the
 * server's own "ready to accept connections" line, not a poll.
 *
 * @module
 */

/** A running test Redis. */
export interface TestRedis {
  url: string;
  port: number;
  /** Stops the server (idempotent). */
  stop(): Promise<void>;
  /** Stops it and starts a fresh one behind the same port (data is lost). */
  restart(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

interface Server {
  child: Deno.ChildProcess;
  socket: string;
  /** Every forwarded connection to this server (closed when it stops). */
  conns: Set<Deno.Conn>;
}

/** Resolves once `child` prints its ready line; rejects if it exits first. */
async function waitReady(child: Deno.ChildProcess): Promise<void> {
  const seen: string[] = [];
  const lines = child.stdout.pipeThrough(new TextDecoderStream());
  let buf = "";
  for await (const chunk of lines) {
    buf += chunk;
    const parts = buf.split("\n");
    buf = parts.pop()!;
    for (const line of parts) {
      seen.push(line);
      if (/ready to accept connections/i.test(line)) {
        // Keep draining so the server never blocks on a full pipe.
        void lines.pipeTo(new WritableStream()).catch(() => {});
        return;
      }
    }
  }
  const status = await child.status;
  throw new Error(
    `redis-server exited (${status.code}) before it was ready:\n${
      seen.join("\n")
    }${buf}`,
  );
}

async function pipe(from: Deno.Conn, to: Deno.Conn): Promise<void> {
  try {
    await from.readable.pipeTo(to.writable);
  } catch {
    // either side closed
  }
}

/** Starts `redis-server` in a temp dir behind a loopback port of this process. */
export async function startRedis(): Promise<TestRedis> {
  const dir = await Deno.makeTempDir({ prefix: "kcross-redis-" });
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  let server: Server | null = null;
  let generation = 0;

  const start = async () => {
    const socket = `${dir}/redis-${++generation}.sock`;
    const child = new Deno.Command("redis-server", {
      args: [
        "--port",
        "0",
        "--unixsocket",
        socket,
        "--unixsocketperm",
        "700",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        dir,
      ],
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).spawn();
    await waitReady(child);
    server = { child, socket, conns: new Set() };
  };

  const forward = async (client: Deno.Conn) => {
    const s = server;
    if (!s) {
      // Down between stop and start: like a refused connection.
      client.close();
      return;
    }
    let upstream: Deno.Conn;
    try {
      upstream = await Deno.connect({ transport: "unix", path: s.socket });
    } catch {
      client.close();
      return;
    }
    if (server !== s) {
      // Restarted while connecting.
      upstream.close();
      client.close();
      return;
    }
    s.conns.add(client).add(upstream);
    await Promise.all([pipe(client, upstream), pipe(upstream, client)]);
    for (const c of [client, upstream]) {
      s.conns.delete(c);
      try {
        c.close();
      } catch {
        // closed already
      }
    }
  };
  const accepting = (async () => {
    try {
      for await (const client of listener) void forward(client);
    } catch {
      // listener closed
    }
  })();

  const stopServer = async () => {
    const s = server;
    server = null;
    if (!s) return;
    try {
      s.child.kill("SIGTERM");
    } catch {
      // already gone
    }
    await s.child.status;
    // What a client of a real restart sees: its connection drops.
    for (const c of s.conns) {
      try {
        c.close();
      } catch {
        // closed already
      }
    }
    s.conns.clear();
  };
  try {
    await start();
  } catch (error) {
    listener.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    throw error;
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await stopServer();
    listener.close();
    await accepting;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    async restart() {
      await stopServer();
      await start();
    },
    [Symbol.asyncDispose]: stop,
  };
}
