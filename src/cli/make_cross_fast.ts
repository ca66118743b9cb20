/**
 * What the launcher starts for `kcross make.cross` / `make.<arch>`: the
 * drop-in bundled into one file (one module instead of ~150 to find, read
 * and check, ~35 ms of every no-op rebuild), but only if the bundle was
 * built from exactly the sources beside it (`make_cross.bundle.json`);
 * otherwise the sources themselves run, so an edited or upgraded checkout
 * never runs old code, and the bundle is rebuilt in the background
 * (tools/bundle.ts --if-stale; not with `KCROSS_NO_BUNDLE_REBUILD=1`).
 * `KCROSS_ENTRY_TRACE=1` says on stderr which one ran and why.
 *
 * @module
 */
import { readManifest, staleBecause } from "./bundle_manifest.ts";
import { cacheDir } from "../paths.ts";

const here = new URL(".", import.meta.url);
const root = new URL("../../", import.meta.url);
const trace = Deno.env.get("KCROSS_ENTRY_TRACE") === "1";
const say = (line: string) =>
  trace && Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));

/**
 * Loads one of this folder's entries (the bundle the manifest names, its
 * name checked above, or the sources'), or the detached spawn a stale
 * bundle needs. Not literal `import()`s: Deno would walk the sources' ~150
 * modules at start even when the bundle runs (and each module costs ~1 ms).
 */
// deno-lint-ignore no-explicit-any
const load = (spec: string): Promise<any> => import(spec);

type Main = (args: string[]) => Promise<number>;

async function bundled(): Promise<Main | string> {
  const manifest = readManifest(here);
  if (!manifest) return "none is built yet";
  const why = await staleBecause(root, manifest, cacheDir());
  if (why !== null) return why;
  try {
    return (await load(`./${manifest.bundle}`)).makeCrossMain;
  } catch {
    return "it was removed by a rebuild";
  }
}

const found = await bundled();
let makeCrossMain: Main;
if (typeof found === "function") {
  say("kcross: make.cross from its bundle");
  makeCrossMain = found;
} else {
  say(`kcross: make.cross from the sources (the bundle: ${found})`);
  if (Deno.env.get("KCROSS_NO_BUNDLE_REBUILD") !== "1") {
    const { spawnDetached } = await load("../proc/detached.ts");
    spawnDetached([
      Deno.execPath(),
      "run",
      "-A",
      "--quiet",
      "--no-config",
      new URL("tools/bundle.ts", root).pathname,
      "--if-stale",
    ], { cwd: root.pathname });
  }
  ({ makeCrossMain } = await load("./make_cross_main.ts"));
}
Deno.exit(await makeCrossMain(Deno.args));
