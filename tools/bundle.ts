/**
 * Builds the make.cross drop-in's bundle: `deno bundle` of
 * `src/cli/make_cross_main.ts` into `src/cli/make_cross.bundle.<digest>.js`,
 * and its manifest `src/cli/make_cross.bundle.json` (the Deno version, the
 * files it was built from, their digest, the bundle's name), which
 * `make_cross_fast.ts` checks before it runs it. Both are build products,
 * ignored by git.
 *
 *   deno task bundle              # build them (tools/test does, first)
 *   deno task bundle --if-stale   # only if they do not match the sources, and
 *                                 # no other build of them is running (what
 *                                 # make.cross starts in the background)
 *
 * @module
 */
import {
  type BundleManifest,
  readManifest,
  sourcesDigest,
  staleBecause,
} from "../src/cli/bundle_manifest.ts";
import { cacheDir } from "../src/paths.ts";

const ROOT = new URL("../", import.meta.url);
const DIR = new URL("src/cli/", ROOT);
const ENTRY = "src/cli/make_cross_main.ts";
const MANIFEST = "make_cross.bundle.json";
const BUNDLE_RE = /^make_cross\.bundle\.[0-9a-f]{16}\.js$/;

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

async function deno(args: string[]): Promise<string> {
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  if (!r.success) {
    throw new Error(
      `deno ${args[0]} failed: ${new TextDecoder().decode(r.stderr)}`,
    );
  }
  return new TextDecoder().decode(r.stdout);
}

/** The repository paths of the local modules in the entry's graph. */
async function graphFiles(): Promise<string[]> {
  const info = JSON.parse(
    await deno(["info", "--json", "--config", "deno.json", ENTRY]),
  ) as { modules: { specifier: string }[] };
  return info.modules
    .map((m) => m.specifier)
    .filter((s) => s.startsWith(ROOT.href))
    .map((s) => s.slice(ROOT.href.length))
    .sort();
}

/** Writes `text` to `name` in DIR through a temp name of this process. */
async function put(name: string, text: string): Promise<void> {
  const tmp = new URL(`.${name}.${Deno.pid}.tmp`, DIR);
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, new URL(name, DIR));
}

/** Builds the bundle and its manifest; returns the bundle's name. */
async function build(): Promise<string> {
  const files = await graphFiles();
  const sha256 = await sourcesDigest(ROOT, files);
  if (sha256 === null) throw new Error("a file of the graph cannot be read");
  const bundle = `make_cross.bundle.${sha256.slice(0, 16)}.js`;
  const tmpDir = await Deno.makeTempDir({ prefix: "kcross-bundle-" });
  try {
    const out = `${tmpDir}/bundle.js`;
    await deno([
      "bundle",
      "--quiet",
      "--config",
      "deno.json",
      "--platform",
      "deno",
      // Half the size: loading it takes ~10 ms, not ~18 ms, on every run.
      "--minify",
      "-o",
      out,
      ENTRY,
    ]);
    // The bundle first, then the manifest that names it: a reader sees an
    // old manifest (stale: it runs the sources) or the new pair.
    await put(
      bundle,
      `// Built by tools/bundle.ts from ${ENTRY}; not in git.\n${await Deno
        .readTextFile(out)}`,
    );
    const manifest: BundleManifest = {
      bundle,
      deno: Deno.version.deno,
      files,
      sha256,
    };
    await put(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
  } finally {
    await Deno.remove(tmpDir, { recursive: true });
  }
  for (const e of Deno.readDirSync(DIR)) {
    if (BUNDLE_RE.test(e.name) && e.name !== bundle) {
      await Deno.remove(new URL(e.name, DIR)).catch(() => {});
    }
  }
  return bundle;
}

async function isFresh(): Promise<boolean> {
  const m = readManifest(DIR);
  if (!m) return false;
  try {
    await Deno.stat(new URL(m.bundle, DIR));
    return await staleBecause(ROOT, m) === null;
  } catch {
    return false;
  }
}

if (import.meta.main) {
  if (Deno.args.includes("--if-stale")) {
    const dir = cacheDir();
    Deno.mkdirSync(dir, { recursive: true });
    using lock = await Deno.open(`${dir}/make-cross-bundle.lock`, {
      create: true,
      write: true,
    });
    // Another build of it is running: that one will do.
    if (!lock.tryLockSync(true)) Deno.exit(0);
    if (await isFresh()) Deno.exit(0);
    await build();
  } else {
    const bundle = await build();
    say(`wrote src/cli/${bundle} and src/cli/${MANIFEST}`);
  }
}
