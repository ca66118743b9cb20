/**
 * Rewrites the offline catalog snapshot from the mirrors' own listings:
 * `toolchains/gcc.json` (kernel.org crosstool version directories, 01.org
 * cross-package `gcc-<v>-nolibc/` directories) and
 * `toolchains/llvm_releases.json` (kernel.org `llvm-<v>-x86_64.tar.*`), each
 * with the date it was taken and where from.
 *
 *   deno run -A tools/refresh_catalog.ts [--kernel-org URL] [--01org URL]
 *       [--only gcc|llvm] [--dry-run]
 *
 * URL defaults: https://cdn.kernel.org and
 * https://download.01.org/0day-ci/cross-package (a loopback copy works the
 * same). A listing that cannot be read leaves that part of the snapshot as it
 * was (and says so); nothing is written on a dry run.
 *
 * @module
 */
import { readListing } from "../src/fetch/listing.ts";
import { compareVersions } from "../src/toolchain/catalog.ts";
import { parseLlvmFile } from "../src/toolchain/naming.ts";

const ROOT = new URL("../toolchains/", import.meta.url);

function arg(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

function say(line: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
}

function sorted(versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort(compareVersions);
}

async function writeJson(name: string, data: unknown): Promise<void> {
  const path = new URL(name, ROOT);
  const tmp = new URL(`${name}.tmp`, ROOT);
  await Deno.writeTextFile(tmp, JSON.stringify(data, null, 2) + "\n");
  await Deno.rename(tmp, path);
}

async function main(): Promise<number> {
  const korg = (arg("--kernel-org") ?? "https://cdn.kernel.org").replace(
    /\/+$/,
    "",
  );
  const zero =
    (arg("--01org") ?? "https://download.01.org/0day-ci/cross-package")
      .replace(/\/+$/, "");
  const only = arg("--only");
  const dry = Deno.args.includes("--dry-run");
  const taken = new Date().toISOString().slice(0, 10);
  let failed = 0;

  if (only !== "llvm") {
    const gcc = JSON.parse(await Deno.readTextFile(new URL("gcc.json", ROOT)));
    const from: string[] = [];
    try {
      const url = `${korg}/pub/tools/crosstool/files/bin/x86_64/`;
      const dirs = (await readListing(url)).filter((e) => e.isDir)
        .map((e) => e.name).filter((n) => /^[0-9]+\.[0-9]+\.[0-9]+$/.test(n));
      gcc["kernel.org"] = sorted(dirs);
      from.push(url);
      say(`kernel.org crosstool: ${dirs.length} versions`);
    } catch (error) {
      failed++;
      say(
        `kernel.org crosstool listing not read (${
          (error as Error).message
        }); kept`,
      );
    }
    try {
      const url = `${zero}/`;
      const dirs = (await readListing(url)).filter((e) => e.isDir)
        .map((e) => /^gcc-([0-9]+\.[0-9]+\.[0-9]+)-nolibc$/.exec(e.name)?.[1])
        .filter((v): v is string => !!v);
      gcc["cross-package"] = sorted(dirs);
      from.push(url);
      say(`01.org cross-package: ${dirs.length} versions`);
    } catch (error) {
      failed++;
      say(`01.org listing not read (${(error as Error).message}); kept`);
    }
    if (from.length) {
      gcc.snapshot = { taken, from: from.join(" and ") };
      if (!dry) await writeJson("gcc.json", gcc);
    }
  }
  if (only !== "gcc") {
    const llvm = JSON.parse(
      await Deno.readTextFile(new URL("llvm_releases.json", ROOT)),
    );
    try {
      const url = `${korg}/pub/tools/llvm/files/`;
      const versions = (await readListing(url)).map((e) =>
        parseLlvmFile(e.name)
      )
        .filter((f) => f && f.host === "x86_64").map((f) => f!.version);
      llvm["kernel.org"] = sorted(versions);
      llvm.snapshot = { taken, from: url };
      say(`kernel.org LLVM: ${llvm["kernel.org"].length} versions`);
      if (!dry) await writeJson("llvm_releases.json", llvm);
    } catch (error) {
      failed++;
      say(
        `kernel.org LLVM listing not read (${(error as Error).message}); kept`,
      );
    }
  }
  return failed ? 3 : 0;
}

if (import.meta.main) Deno.exit(await main());
