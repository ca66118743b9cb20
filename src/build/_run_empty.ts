/**
 * Empty-target detection: a subdirectory goal whose Kconfig symbol is off
 * builds nothing and make still exits 0. Kbuild's parent Makefile says which
 * symbol gates the directory (`obj-$(CONFIG_VFIO) += vfio/`).
 *
 * @module
 */
import type { ConfigValue } from "../config/merge_config.ts";

const ASSIGN_RE =
  /^\s*([a-z]+)-(\$\((CONFIG_[A-Za-z0-9_]+)\)|y|m)\s*(?::=|\+=|=)\s*(.*)$/;

function isOn(value: ConfigValue | undefined): boolean {
  return value !== undefined && value !== null && value !== "n";
}

function makefileLines(text: string): string[] {
  return text.replace(/\\\n/g, " ").split("\n");
}

async function readKbuild(srcTree: string, dir: string): Promise<string> {
  let text = "";
  for (const name of ["Kbuild", "Makefile"]) {
    try {
      text += `${await Deno.readTextFile(
        `${srcTree}/${dir ? `${dir}/` : ""}${name}`,
      )}\n`;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return text;
}

/**
 * Why directory goal `target` built nothing under `config`, or null when it
 * is not a directory goal or its gates are on.
 *
 * @param srcTree absolute source tree
 * @param target a make goal such as `drivers/vfio/`
 * @param config the final `.config`: a parsed map, or anything that looks
 *   symbols up (the runner's lazy reader)
 * @returns e.g. `drivers/vfio/: nothing was built: CONFIG_VFIO is not set`
 */
export async function emptyTargetReason(
  srcTree: string,
  target: string,
  config: {
    get(
      symbol: string,
    ): ConfigValue | undefined | Promise<ConfigValue | undefined>;
  },
): Promise<string | null> {
  const dir = target.replace(/\/+$/, "");
  if (dir === "" || dir.startsWith("/") || dir.split("/").includes("..")) {
    return null;
  }
  try {
    if (!(await Deno.stat(`${srcTree}/${dir}`)).isDirectory) return null;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const parts = dir.split("/");
  // From the top down, so the outermost switched-off directory is named.
  for (let i = 1; i <= parts.length; i++) {
    const parent = parts.slice(0, i - 1).join("/");
    const name = parts[i - 1]!;
    const gates: (string | null)[] = [];
    for (const line of makefileLines(await readKbuild(srcTree, parent))) {
      const m = ASSIGN_RE.exec(line);
      if (!m) continue;
      const words = m[4]!.split(/\s+/);
      if (!words.some((w) => w === `${name}/` || w === name)) continue;
      gates.push(m[3] ?? null);
    }
    if (gates.length === 0 || gates.includes(null)) continue;
    const values = await Promise.all(gates.map((g) => config.get(g!)));
    if (values.every((v) => !isOn(v))) {
      const symbols = [...new Set(gates as string[])];
      return `${target}: nothing was built: ${symbols.join(", ")} ${
        symbols.length > 1 ? "are" : "is"
      } not set`;
    }
  }
  // The directory's own Makefile: nothing unconditional and every gate off.
  const own = makefileLines(await readKbuild(srcTree, dir))
    .map((l) => ASSIGN_RE.exec(l))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === "obj");
  if (own.length > 0 && own.every((m) => m[3] !== undefined)) {
    const symbols = [...new Set(own.map((m) => m[3]!))];
    const values = await Promise.all(symbols.map((s) => config.get(s)));
    if (values.every((v) => !isOn(v))) {
      return `${target}: nothing was built: none of ${
        symbols.join(", ")
      } is set`;
    }
  }
  return null;
}
