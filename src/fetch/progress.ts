/**
 * Download progress: a bar with bytes, rate and ETA on a TTY, a plain line
 * every few seconds otherwise, nothing when quiet.
 *
 * @module
 */
import type { Output } from "../util/output.ts";

/** Receives byte counts; `finish` ends the display. */
export interface Progress {
  update(received: number, total: number | undefined): void;
  finish(): void;
}

/**
 * Human size: `12.3 MB`, whole bytes under 1 kB (rates are fractions).
 *
 * @example
 * ```ts
 * import { formatBytes } from "./progress.ts";
 * if (formatBytes(58.09719399675873) !== "58 B") throw new Error();
 * if (formatBytes(1536) !== "1.5 kB") throw new Error();
 * ```
 */
export function formatBytes(n: number): string {
  if (n < 1024) return `${Math.round(n)} B`;
  const units = ["kB", "MB", "GB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/**
 * A progress display for `label` on `out` (none when `out` is undefined).
 *
 * @param options.now clock (tests), options.intervalMs plain-line period
 */
export function progressFor(
  out: Output | undefined,
  label: string,
  options: { now?: () => number; intervalMs?: number } = {},
): Progress {
  if (!out) return { update() {}, finish() {} };
  const now = options.now ?? (() => performance.now());
  const start = now();
  const interval = options.intervalMs ?? (out.isTty ? 100 : 5000);
  let last = -Infinity;
  let shown = false;
  let latest: [number, number | undefined] = [0, undefined];
  const render = (received: number, total: number | undefined): string => {
    const secs = Math.max((now() - start) / 1000, 0.001);
    const rate = received / secs;
    const pct = total ? Math.min(received / total, 1) : undefined;
    const eta = total && rate > 0
      ? `ETA ${Math.max(0, Math.round((total - received) / rate))}s`
      : "";
    const size = total
      ? `${formatBytes(received)}/${formatBytes(total)}`
      : formatBytes(received);
    if (out.isTty && pct !== undefined) {
      const width = 24;
      const fill = Math.round(pct * width);
      return `[${"#".repeat(fill)}${" ".repeat(width - fill)}] ${size} ${
        formatBytes(rate)
      }/s ${eta}`;
    }
    const p = pct === undefined ? "" : ` (${Math.floor(pct * 100)}%)`;
    return `${size}${p} ${formatBytes(rate)}/s ${eta}`.trimEnd();
  };
  return {
    update(received, total) {
      latest = [received, total];
      const t = now();
      if (t - last < interval) return;
      last = t;
      shown = true;
      if (out.isTty) out.errRaw(`\r\x1b[K${label} ${render(received, total)}`);
      else out.err(`${label} ${render(received, total)}`);
    },
    finish() {
      if (!shown) return;
      if (out.isTty) {
        out.errRaw(`\r\x1b[K${label} ${render(...latest)}\n`);
      }
    },
  };
}
