/**
 * What the launcher starts for `kcross make.cross` / `make.<arch>`: the
 * drop-in bundled into one file (`make_cross.bundle.js`: one module instead
 * of ~150 to find, read and check, ~35 ms of every no-op rebuild), but only
 * if the bundle was built from exactly the sources beside it
 * (`make_cross.bundle.json`); otherwise the sources themselves run, so an
 * edited or upgraded checkout never runs old code. `KCROSS_ENTRY_TRACE=1`
 * says on stderr which one ran and why.
 *
 * @module
 */
import manifest from "./make_cross.bundle.json" with { type: "json" };
import { staleBecause } from "./bundle_manifest.ts";
import { cacheDir } from "../paths.ts";

const root = new URL("../../", import.meta.url);
const why = await staleBecause(root, manifest, cacheDir());
const trace = Deno.env.get("KCROSS_ENTRY_TRACE") === "1";
const say = (line: string) =>
  trace && Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
/**
 * Loads the sources' entry. Not a literal `import("./make_cross_main.ts")`:
 * Deno would walk its ~150 modules at start even when the bundle runs.
 */
// deno-lint-ignore no-explicit-any
const load = (spec: "./make_cross_main.ts"): Promise<any> => import(spec);
let makeCrossMain: (args: string[]) => Promise<number>;
if (why === null) {
  say("kcross: make.cross from make_cross.bundle.js");
  ({ makeCrossMain } = await import("./make_cross.bundle.js"));
} else {
  say(`kcross: make.cross from the sources (the bundle is stale: ${why})`);
  ({ makeCrossMain } = await load("./make_cross_main.ts"));
}
Deno.exit(await makeCrossMain(Deno.args));
