/**
 * The BullMQ side shared by submitter and worker: Redis URLs, connections
 * (constructed ioredis clients: bullmq 6.7 under Deno cannot load ioredis
 * from plain connection options), the queue name and job shapes.
 *
 * @module
 */
import { Redis } from "ioredis";
import { UserError } from "../errors.ts";
import type { Cell, CellRecord } from "./types.ts";

/** Default BullMQ queue name. */
export const DEFAULT_QUEUE_NAME = "kcross-matrix";

/** A parsed `redis://host:port[/db]`. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  password?: string;
}

/**
 * Parses a `--queue` URL.
 *
 * @throws {UserError} for anything but `redis://host[:port][/db]`
 * @example
 * ```ts
 * import { parseRedisUrl } from "./queue.ts";
 * const t = parseRedisUrl("redis://127.0.0.1:6380/2");
 * if (t.host !== "127.0.0.1" || t.port !== 6380 || t.db !== 2) throw new Error();
 * ```
 */
export function parseRedisUrl(url: string): RedisTarget {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    u = new URL("invalid:");
  }
  if (u.protocol !== "redis:" || !u.hostname) {
    throw new UserError(`Bad --queue "${url}": expected redis://host:port`, {
      hint: "e.g. --queue redis://127.0.0.1:6379",
    });
  }
  const db = u.pathname.replace(/^\//, "");
  if (db !== "" && !/^[0-9]+$/.test(db)) {
    throw new UserError(
      `Bad --queue "${url}": the path must be a database number`,
    );
  }
  const target: RedisTarget = {
    host: u.hostname.replace(/^\[|\]$/g, ""),
    port: u.port ? Number(u.port) : 6379,
    db: db === "" ? 0 : Number(db),
  };
  if (u.password) target.password = decodeURIComponent(u.password);
  return target;
}

/**
 * A new Redis client for BullMQ: commands wait across reconnects
 * (`maxRetriesPerRequest: null`), reconnecting every ≤1 s forever.
 */
export function redisClient(target: RedisTarget): Redis {
  const client = new Redis({
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.password ? { password: target.password } : {}),
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
    lazyConnect: false,
  });
  // Connection errors surface through BullMQ's own "error" events and are
  // retried; without a listener ioredis prints each one with a stack.
  client.on("error", () => {});
  return client;
}

/** What a job carries: one cell of one run, and where its source is. */
export interface CellJobData {
  v: 1;
  runId: string;
  cell: Cell;
  tree: { url: string; commit: string };
  makeJobs: number;
  ccache: boolean;
}

/** What a job returns: the cell's record (summary, diagnostics, reproducer, log path on the worker). */
export type CellJobResult = CellRecord;

/** Live status a worker publishes with `job.updateProgress`. */
export interface CellJobProgress {
  worker: string;
  text: string;
}

/** Lock/stall timing (ms); lower in tests through the environment. */
export function stallSettings(
  env: (name: string) => string | undefined = (n) => Deno.env.get(n),
): { lockDuration: number; stalledInterval: number; maxStalledCount: number } {
  const num = (name: string, fallback: number) => {
    const v = env(name);
    return v && /^[0-9]+$/.test(v) ? Number(v) : fallback;
  };
  return {
    lockDuration: num("KCROSS_MATRIX_LOCK_MS", 30_000),
    stalledInterval: num("KCROSS_MATRIX_STALLED_MS", 30_000),
    maxStalledCount: 2,
  };
}
