/**
 * What a record's `build` step may say when `logs rerun` replays it. A
 * record is input like a report (someone may send you one): its steps may
 * only hold the options `reproducerSteps` writes, with the values it writes
 * (a config name or the record's own config, a portable out dir, fragment
 * words that name no file of this machine), never `--trust-make-line`,
 * `--record-dir`, `--tree` or a local `--config` file. Make words and
 * targets go through the make-word policy when the build plans.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { RECORD_DIR_TOKEN } from "../record/reproducer.ts";

/** A plain word: a config target, an arch, a compiler name. */
const WORD = /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$/;

/** A path inside a tree: relative, no `.`/`..` component, no option. */
function relativePath(v: string): boolean {
  return v !== "" && !v.startsWith("/") && !v.startsWith("-") &&
    v.length <= 255 && !/[\0\n\r]/.test(v) &&
    v.split("/").every((c) => c !== "." && c !== "..");
}

/** A `--kconfig-add` word that names no local file: a URL, make:, a line, an in-tree fragment. */
function fragmentWord(v: string): boolean {
  if (/^https?:\/\//.test(v) || v.startsWith("make:")) return true;
  if (/^(?:CONFIG_[A-Za-z0-9_]+=|# CONFIG_[A-Za-z0-9_]+ is not set$)/.test(v)) {
    return !/[\n\r\0]/.test(v);
  }
  return relativePath(v) && v.endsWith(".config");
}

/** The options reproducers write, each with its value rule (null: a switch). */
const OPTIONS: Readonly<Record<string, ((v: string) => boolean) | null>> = {
  "--arch": (v) => WORD.test(v),
  "--compiler": (v) => WORD.test(v),
  "--config": (v) => v === `${RECORD_DIR_TOKEN}/config` || WORD.test(v),
  "--config-url": (v) => /^https?:\/\/[^\s]+$/.test(v),
  "--kconfig-add": fragmentWord,
  "--set": (v) => /^CONFIG_[A-Za-z0-9_]+=[^\n\r\0]*$/.test(v),
  "-W": (v) => WORD.test(v),
  "-C": (v) => WORD.test(v),
  "--out": relativePath,
  "--artifacts": (v) => ["none", "default", "all"].includes(v),
  "--werror=off": null,
  "--ccache": null,
  "--allow-empty": null,
  "--keep-going": null,
};

/**
 * Checks a record's `build` step arguments against what kcross writes.
 *
 * @param id the record id, for the message
 * @param args the step's arguments (anything: the record is untrusted)
 * @throws {UserError} naming the first argument kcross would not have written
 * @example
 * ```ts
 * import { checkRerunArgs } from "./rerun_args.ts";
 * checkRerunArgs("r", ["--arch", "arm64", "--config", "defconfig", "--out", "build_dir", "W=1", "drivers/"]);
 * let threw = false;
 * try { checkRerunArgs("r", ["--arch", "x", "--trust-make-line"]); } catch { threw = true; }
 * if (!threw) throw new Error();
 * ```
 */
export function checkRerunArgs(id: string, args: unknown): void {
  if (!Array.isArray(args) || !args.every((a) => typeof a === "string")) {
    throw refused(id, "its build step's arguments are not a list of words");
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (!a.startsWith("-")) continue; // a make word: the make-word policy's
    if (!(a in OPTIONS)) {
      throw refused(id, `its build step passes ${quote(a)}`);
    }
    const rule = OPTIONS[a];
    if (!rule) continue;
    const value = args[i + 1] as string | undefined;
    if (value === undefined || !rule(value)) {
      throw refused(
        id,
        `its build step passes ${a} ${
          value === undefined ? "without a value" : quote(value)
        }`,
      );
    }
    i++;
  }
}

function refused(id: string, why: string): UserError {
  return new UserError(
    `Record "${id}" was not written by kcross build: ${why}`,
    {
      hint:
        "logs rerun replays only what kcross writes into records; run kcross build with the options you want yourself",
    },
  );
}

function quote(word: string): string {
  return JSON.stringify(word.length > 80 ? `${word.slice(0, 77)}...` : word);
}
