/**
 * A stream pipeline of children joined by kernel pipes, with kcross writing
 * only into the first: `source` (a decompressor) → `main` (tar -x), and with
 * a `side` consumer (gpgv) `source` → tee → `main`, fd 3 → `side`, where
 * the tee is the zero-copy, batching splice tee of `splice_tee.ts` (GNU
 * `tee -p /dev/fd/3` without perl). The bulk (the uncompressed tar, several times the download) never
 * passes through kcross: one child's pipe is handed to the next as its stdio
 * (`node:child_process` passes the descriptor itself), so kcross pays for
 * the compressed bytes only. Argv only, never a shell; a fixed C locale,
 * the rest of the environment inherited.
 *
 * The tee (as `tee -p`) ignores a side consumer that stops reading (gpgv rejecting its
 * signature file early): the main consumer still gets every byte, and the
 * side's own exit status and output tell what went wrong.
 *
 * @module
 */
import type { ChildProcess } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { CommandNotFoundError } from "./run_captured.ts";
import { findExecutable } from "./find_executable.ts";
import { teeStageArgv } from "./splice_tee.ts";

/** How one stage of the pipeline ended. */
export interface StageResult {
  success: boolean;
  /** Exit code, or null when killed by a signal. */
  code: number | null;
  stderr: string;
  /** Its stdout, for a side stage started with `stdout: true`. */
  stdout: string;
}

/** A running pipeline. */
export interface TeePipeline {
  /** Feeds the source's stdin; rejects once a stage has failed. */
  writer: WritableStreamDefaultWriter<Uint8Array>;
  source: Promise<StageResult>;
  /**
   * The tee (or, without a side stage, batching) stage between source and
   * main; null when there is none (no side stage and no perl).
   */
  tee: Promise<StageResult> | null;
  main: Promise<StageResult>;
  side: Promise<StageResult> | null;
  /** SIGKILLs every stage. */
  kill(): void;
}

/** The side consumer of `spawnTeePipeline`. */
export interface SideStage {
  argv: string[];
  /** Collect its stdout (else discarded). */
  stdout?: boolean;
}

/** Options of `spawnTeePipeline`. */
export interface PipelineOptions {
  /**
   * Stop once more than this many bytes left the source (the tee stage
   * exits with `OVER_CAP_EXIT`); needs perl, uncapped without it.
   */
  maxBytes?: number;
}

const MAX_TEXT = 256 * 1024;

function collect(stream: Readable | null): Promise<string> {
  if (!stream) return Promise.resolve("");
  return new Promise((resolve) => {
    let text = "";
    stream.setEncoding("utf8");
    stream.on("data", (d: string) => {
      if (text.length < MAX_TEXT) text += d;
    });
    stream.on("error", () => {});
    stream.on("close", () => resolve(text));
  });
}

function finished(
  child: ChildProcess,
  stdout: Promise<string>,
): Promise<StageResult> {
  const stderr = collect(child.stderr);
  return (async () => {
    const [code, signal] = await new Promise<[number | null, string | null]>(
      (resolve) => child.once("close", (c, s) => resolve([c, s])),
    );
    return {
      success: code === 0 && signal === null,
      code,
      stderr: await stderr,
      stdout: await stdout,
    };
  })();
}

function resolveAll(argvs: string[][]): void {
  const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
  for (const argv of argvs) {
    const name = argv[0]!;
    if (!name.includes("/") && !findExecutable(name, path)) {
      throw new CommandNotFoundError(name);
    }
  }
}

/** Resolves on `event` (default: "drain"), or when the stream closes or fails. */
function drained(stdin: Writable, event = "drain"): Promise<void> {
  return new Promise((resolve) => {
    const events = [event, "close", "error"];
    const done = () => {
      for (const e of events) stdin.off(e, done);
      resolve();
    };
    for (const e of events) stdin.on(e, done);
  });
}

function writerFor(
  stdin: Writable,
  failed: () => Error | undefined,
): WritableStreamDefaultWriter<Uint8Array> {
  let error: Error | undefined;
  stdin.on("error", (e: Error) => error = e);
  const check = () => {
    const e = error ?? failed();
    if (e) throw e;
  };
  return new WritableStream<Uint8Array>({
    async write(chunk) {
      check();
      if (!stdin.write(chunk)) {
        await drained(stdin);
      }
      check();
    },
    async close() {
      check();
      const done = drained(stdin, "close");
      stdin.end();
      await done;
      check();
    },
    abort() {
      stdin.destroy();
    },
  }).getWriter();
}

/**
 * Starts `source` → `main` (→ `side` through the tee stage).
 *
 * @example
 * ```ts
 * import { spawnTeePipeline } from "./tee_pipeline.ts";
 * const p = await spawnTeePipeline(["cat"], ["wc", "-c"], { argv: ["wc", "-c"], stdout: true });
 * await p.writer.write(new TextEncoder().encode("abc"));
 * await p.writer.close();
 * const [s, m, side] = await Promise.all([p.source, p.main, p.side!]);
 * if (!s.success || !m.success || side.stdout.trim() !== "3") throw new Error(side.stdout);
 * ```
 *
 * @throws {CommandNotFoundError} when a stage's program is not on PATH
 */
export async function spawnTeePipeline(
  source: string[],
  main: string[],
  side?: SideStage,
  options: PipelineOptions = {},
): Promise<TeePipeline> {
  const path = Deno.env.get("PATH") ?? "/usr/bin:/bin";
  // Without a side stage the batching stage alone still pays: it turns the
  // source's 8 kB writes into 1 MiB batches for main.
  const teeArgv = teeStageArgv(path, {
    side: side !== undefined,
    ...(options.maxBytes ? { maxBytes: options.maxBytes } : {}),
  });
  resolveAll([
    source,
    main,
    ...(side ? [side.argv] : []),
    ...(teeArgv ? [teeArgv] : []),
  ]);
  const env = { ...Deno.env.toObject(), LANG: "C", LC_ALL: "C" };
  // Loaded here, not at import: Deno's `node:` layer costs ~40 ms of start
  // that commands which never install a toolchain should not pay.
  const { spawn } = await import("node:child_process");
  const start = (
    argv: string[],
    stdio: (Readable | Writable | "pipe" | "ignore")[],
  ) => spawn(argv[0]!, argv.slice(1), { stdio, env });
  const src = start(source, ["pipe", "pipe", "pipe"]);
  const sideChild = side
    ? start(side.argv, ["pipe", side.stdout ? "pipe" : "ignore", "pipe"])
    : undefined;
  const tee = teeArgv
    ? start(teeArgv, [
      src.stdout!,
      "pipe",
      "pipe",
      ...(sideChild ? [sideChild.stdin!] : []),
    ])
    : undefined;
  const mainChild = start(main, [
    (tee ?? src).stdout!,
    "ignore",
    "pipe",
  ]);
  // The children hold these ends now; kcross's copies would keep the
  // pipes open (no EOF) or compete for the data.
  src.stdout!.destroy();
  sideChild?.stdin?.destroy();
  tee?.stdout?.destroy();
  const children = [src, tee, mainChild, sideChild];
  for (const c of children) c?.on("error", () => {});
  const results = {
    source: finished(src, Promise.resolve("")),
    tee: tee ? finished(tee, Promise.resolve("")) : null,
    main: finished(mainChild, Promise.resolve("")),
    side: sideChild
      ? finished(
        sideChild,
        side?.stdout ? collect(sideChild.stdout) : Promise.resolve(""),
      )
      : null,
  };
  let mainFailed: Error | undefined;
  const kill = () => {
    for (const c of children) {
      try {
        c?.kill("SIGKILL");
      } catch { /* already gone */ }
    }
  };
  // The extraction stopped (disk full, unsafe member): stop feeding it.
  results.main.then((r) => {
    if (!r.success) {
      mainFailed = new Error(`${main[0]} exited with ${r.code ?? "a signal"}`);
      try {
        src.kill("SIGKILL");
      } catch { /* already gone */ }
    }
  });
  return {
    writer: writerFor(src.stdin!, () => mainFailed),
    ...results,
    kill,
  };
}
