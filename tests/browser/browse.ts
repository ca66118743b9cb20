/**
 * Drives a headless Chromium over one local HTML file for tests
 * (`tests/_support/browser.ts` runs it). This is a project of its own
 * (`tests/browser/deno.json`, own lock and node_modules) so that
 * puppeteer-core is installed only where the browser tests run, never by
 * the launcher's `deno install` for users.
 *
 * Reads a request on stdin: `{ chromium, file, steps }`, each step either
 * `{ eval: "<js expression>" }` (its JSON value is collected) or
 * `{ click: "<selector>" }`. Prints `{ results, problems }` on stdout:
 * `problems` are console errors and warnings, page errors, failed requests
 * and any request that is not file://.
 *
 * @module
 */
import puppeteer from "puppeteer-core";

interface Request {
  chromium: string;
  file: string;
  steps: ({ eval: string } | { click: string })[];
}

const request = JSON.parse(
  await new Response(Deno.stdin.readable).text(),
) as Request;
const profile = await Deno.makeTempDir({ prefix: "kcross-browser-" });
const browser = await puppeteer.launch({
  executablePath: request.chromium,
  headless: true,
  userDataDir: profile,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});
try {
  const page = await browser.newPage();
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warn") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()}`));
  page.on("request", (r) => {
    if (!r.url().startsWith("file://")) {
      problems.push(`network request: ${r.url()}`);
    }
  });
  await page.goto(`file://${request.file}`, { waitUntil: "load" });
  const results: unknown[] = [];
  for (const step of request.steps) {
    if ("click" in step) {
      await page.click(step.click);
      results.push(null);
    } else {
      results.push(await page.evaluate(step.eval));
    }
  }
  console.log(JSON.stringify({ results, problems }));
} finally {
  await browser.close();
  await Deno.remove(profile, { recursive: true });
}
