/**
 * Headless Chromium for tests, through the separate `tests/browser/`
 * project (its own deno.json and lock: puppeteer-core is a test-only
 * dependency, installed by tools/test or on the first browser test).
 *
 * @module
 */

/** Debian's chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether the browser tests can run here. */
export function haveChromium(): boolean {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
}

/** One step: evaluate an expression in the page (its JSON value is kept) or click. */
export type BrowseStep = { eval: string } | { click: string };

/** What the page gave: one result a step, and everything it complained about. */
export interface BrowseResult {
  results: unknown[];
  problems: string[];
}

const DRIVER = new URL("../browser/browse.ts", import.meta.url).pathname;
const CONFIG = new URL("../browser/deno.json", import.meta.url).pathname;

/**
 * Loads `file` in headless Chromium and runs `steps` in order.
 *
 * @throws {Error} when the driver fails (its stderr in the message)
 */
export async function browse(
  file: string,
  steps: BrowseStep[],
): Promise<BrowseResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--check", "--config", CONFIG, DRIVER],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(
    new TextEncoder().encode(
      JSON.stringify({ chromium: CHROMIUM, file, steps }),
    ),
  );
  await writer.close();
  const out = await child.output();
  const stdout = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `browser driver failed (${out.code}): ${
        new TextDecoder().decode(out.stderr)
      }`,
    );
  }
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as BrowseResult;
}
