/**
 * Every link in the README, ARCHITECTURE.md, SECURITY.md and docs/ points
 * at a file that exists (and, for `file.md#anchor`, at a heading of it), and
 * every `docs/…` path the code prints in a hint or help text exists.
 */
import { assert } from "./_support/assert.ts";

const ROOT = new URL("../", import.meta.url).pathname;

function markdownFiles(): string[] {
  const files = ["README.md", "ARCHITECTURE.md", "SECURITY.md"];
  for (const e of Deno.readDirSync(`${ROOT}docs`)) {
    if (e.isFile && e.name.endsWith(".md")) files.push(`docs/${e.name}`);
  }
  return files.filter((f) => exists(f));
}

function exists(rel: string): boolean {
  try {
    Deno.statSync(`${ROOT}${rel}`);
    return true;
  } catch {
    return false;
  }
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to `-`. */
function slug(heading: string): string {
  return heading.trim().toLowerCase()
    .replace(/[`*_]/g, "")
    .replace(/[^\p{L}\p{N} -]/gu, "")
    .replace(/ /g, "-");
}

function anchorsOf(rel: string): Set<string> {
  const text = Deno.readTextFileSync(`${ROOT}${rel}`);
  const out = new Set<string>();
  let fence = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("```")) fence = !fence;
    const m = !fence && /^#{1,6}\s+(.*)$/.exec(line);
    if (m) out.add(slug(m[1]!));
  }
  return out;
}

/** Normalises `a/../b` and `./x`. */
function join(dir: string, target: string): string {
  const parts: string[] = [];
  for (const p of `${dir}${target}`.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== "." && p !== "") parts.push(p);
  }
  return parts.join("/");
}

Deno.test("docs: every relative link and anchor exists", () => {
  const bad: string[] = [];
  let links = 0;
  for (const file of markdownFiles()) {
    const dir = file.includes("/")
      ? file.slice(0, file.lastIndexOf("/") + 1)
      : "";
    const text = Deno.readTextFileSync(`${ROOT}${file}`)
      .replace(/```[\s\S]*?```/g, "");
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1]!;
      if (/^[a-z]+:/.test(target)) continue; // http:, https:, mailto:
      links++;
      const [path, anchor] = target.split("#", 2) as [string, string?];
      const rel = path === "" ? file : join(dir, path);
      if (!exists(rel)) {
        bad.push(`${file}: ${target} (no ${rel})`);
        continue;
      }
      if (anchor !== undefined && rel.endsWith(".md")) {
        if (!anchorsOf(rel).has(anchor)) {
          bad.push(`${file}: ${target} (no heading #${anchor} in ${rel})`);
        }
      }
    }
  }
  assert(links > 10, `only ${links} links found: is the README there?`);
  assert(bad.length === 0, `broken links:\n  ${bad.join("\n  ")}`);
});

Deno.test("docs: every docs/… path the code prints exists", () => {
  const bad: string[] = [];
  let seen = 0;
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(`${ROOT}${dir}`)) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory) walk(rel);
      else if (/\.(ts|bash|sh)$/.test(e.name)) {
        const text = Deno.readTextFileSync(`${ROOT}${rel}`);
        for (const m of text.matchAll(/\bdocs\/[\w./-]*[\w-]/g)) {
          seen++;
          const path = m[0].replace(/#.*$/, "");
          if (!exists(path)) bad.push(`${rel}: ${m[0]}`);
        }
      }
    }
  };
  walk("src");
  for (const f of ["main.ts", "kcross"]) {
    if (!exists(f)) continue;
    for (
      const m of Deno.readTextFileSync(`${ROOT}${f}`).matchAll(
        /\bdocs\/[\w./-]*[\w-]/g,
      )
    ) {
      seen++;
      if (!exists(m[0])) bad.push(`${f}: ${m[0]}`);
    }
  }
  assert(seen > 0, "no docs/ path found in src/: has the pattern changed?");
  assert(
    bad.length === 0,
    `paths printed by the code that do not exist:\n  ${bad.join("\n  ")}`,
  );
});
