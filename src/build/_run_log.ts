/**
 * The build's log sink: raw bytes to `build.log` (complete, byte-exact),
 * each line with its time since the start to `build.timed.log`, lines echoed
 * live to the terminal, and an eye on lines that reveal infra failures.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import type { DiagnosticCollector } from "../diagnostics/mod.ts";
import { infraCause } from "./_run_classify.ts";

const encoder = new TextEncoder();

/** A log sink; `close()` it when the process has ended. */
export interface LogSink {
  chunk(bytes: Uint8Array): void;
  line(text: string): void;
  /** The first infra cause seen in the output, if any. */
  readonly infra: string | null;
  /** A write error (disk full…) that stopped logging, if any. */
  readonly writeError: Error | null;
  close(): void;
}

/**
 * Opens `rawPath` and `timedPath` (null: no timed log) for writing.
 *
 * @param echo where to echo lines (null: silent)
 * @param collector fed the raw output, decoded, in the log's byte order
 */
export function openLogSink(
  rawPath: string,
  timedPath: string | null,
  echo: Output | null,
  collector?: DiagnosticCollector,
): LogSink {
  const decoder = collector ? new TextDecoder() : null;
  const raw = Deno.openSync(rawPath, {
    write: true,
    create: true,
    truncate: true,
  });
  const timed = timedPath === null ? null : Deno.openSync(timedPath, {
    write: true,
    create: true,
    truncate: true,
  });
  const t0 = performance.now();
  let infra: string | null = null;
  let writeError: Error | null = null;
  const write = (file: Deno.FsFile, bytes: Uint8Array) => {
    if (writeError) return;
    try {
      let off = 0;
      while (off < bytes.length) off += file.writeSync(bytes.subarray(off));
    } catch (error) {
      writeError = error instanceof Error ? error : new Error(String(error));
    }
  };
  return {
    chunk(bytes) {
      write(raw, bytes);
      if (decoder) collector!.pushText(decoder.decode(bytes, { stream: true }));
    },
    line(text) {
      if (timed) {
        const secs = ((performance.now() - t0) / 1000).toFixed(3).padStart(9);
        write(timed, encoder.encode(`[${secs}] ${text}\n`));
      }
      echo?.out(text);
      if (infra === null) infra = infraCause(text);
    },
    get infra() {
      return infra;
    },
    get writeError() {
      return writeError;
    },
    close() {
      if (decoder) {
        const rest = decoder.decode();
        if (rest) collector!.pushText(rest);
      }
      raw.close();
      timed?.close();
    },
  };
}
