/**
 * Live progress for matrix runs: on a terminal, one line per running cell
 * redrawn in place under the finished ones; otherwise plain lines.
 *
 * @module
 */
import type { Output } from "../util/output.ts";
import { formatDuration } from "./summary.ts";
import type { CellRecord } from "./types.ts";

/** Receives cell events from a scheduler or a submitter. */
export interface ProgressSink {
  started(key: string, where?: string): void;
  status(key: string, text: string): void;
  finished(record: CellRecord): void;
  /** A line that is neither (retries, reconnects). */
  note(line: string): void;
  close(): void;
}

/** One-line result of a finished cell. */
export function resultLine(rec: CellRecord): string {
  const what = rec.result === "pass" || rec.result === "fail"
    ? `${rec.result} (${rec.errors} errors, ${rec.warnings} warnings)`
    : `${rec.result}${rec.message ? `: ${rec.message}` : ""}`;
  const extra = [
    rec.attempts > 1 ? `${rec.attempts} attempts` : "",
    rec.ranOn !== "local" ? `on ${rec.ranOn}` : "",
    rec.reusedFrom ? `reused from ${rec.reusedFrom}` : "",
  ].filter((s) => s).join(", ");
  return `${rec.key}: ${what} ${formatDuration(rec.durationMs)}${
    extra ? ` [${extra}]` : ""
  }`;
}

/** A progress display whose total can shrink (work found not to be needed). */
export interface ProgressView extends ProgressSink {
  /** `count` planned items will not run: the total shrinks by that much. */
  drop(count: number): void;
}

/**
 * A progress display writing to `out` (stderr): redrawn block on a TTY,
 * plain `[done/total]` lines otherwise.
 */
export function progressView(
  out: Output,
  total: number,
  now: () => number = () => performance.now(),
): ProgressView {
  let done = 0;
  const running = new Map<
    string,
    { since: number; text: string; where: string }
  >();
  let drawn = 0;
  let lastDraw = 0;
  let timer: ReturnType<typeof setInterval> | undefined;
  const erase = () => {
    if (drawn > 0) out.errRaw(`\x1b[${drawn}A\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    if (!out.isTty) return;
    erase();
    const cols = 120;
    for (const [key, r] of running) {
      const secs = ((now() - r.since) / 1000).toFixed(0);
      const line = `  ⏵ ${key}${
        r.where ? ` @${r.where}` : ""
      } ${secs}s ${r.text}`;
      out.errRaw(`${line.slice(0, cols)}\n`);
      drawn++;
    }
    out.errRaw(`  [${done}/${total}] ${running.size} running\n`);
    drawn++;
    lastDraw = now();
  };
  if (out.isTty) timer = setInterval(draw, 1000);
  return {
    started(key, where = "") {
      running.set(key, { since: now(), text: "", where });
      if (out.isTty) draw();
      else {out.err(
          `[${done}/${total}] start ${key}${where ? ` on ${where}` : ""}`,
        );}
    },
    status(key, text) {
      const r = running.get(key);
      if (!r) return;
      r.text = text;
      if (out.isTty && now() - lastDraw > 200) draw();
    },
    finished(rec) {
      running.delete(rec.key);
      done++;
      if (out.isTty) {
        erase();
        out.err(`[${done}/${total}] ${resultLine(rec)}`);
        draw();
      } else {
        out.err(`[${done}/${total}] ${resultLine(rec)}`);
      }
    },
    note(line) {
      if (out.isTty) {
        erase();
        out.err(line);
        draw();
      } else out.err(line);
    },
    drop(count) {
      total = Math.max(done, total - count);
      if (out.isTty) draw();
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      if (out.isTty) erase();
    },
  };
}
