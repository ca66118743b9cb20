/**
 * The robot's build setup beyond compiler and config: the `rustc:`,
 * `sparse:` and `docutils:` header lines, the report's own archive URL
 * (`Closes:`, old `Link:`), and what the reproduce steps' comments and
 * `b4 shazam` line say.
 *
 * @module
 */
import { deobfuscate, type HeaderField, type HeaderKey } from "./header.ts";
import type { ReproduceInfo, RobotSetup } from "./types.ts";

function value(
  fields: ReadonlyMap<HeaderKey, HeaderField>,
  key: HeaderKey,
): string | null {
  const v = fields.get(key)?.value.trim() ?? "";
  return v === "" ? null : deobfuscate(v).replace(/\s+/g, " ");
}

/**
 * The first `Closes:` URL of a body, else its first `Link:` URL (the tag
 * block may be `| `-prefixed), deobfuscated, or null.
 *
 * @example
 * ```ts
 * import { closesUrl } from "./setup.ts";
 * const body = "| Reported-by: kernel test robot <lkp@intel.com>\n| Closes: https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/\n";
 * if (closesUrl(body) !== "https://lore.kernel.org/oe-kbuild-all/202401010536.XhzcWDPH-lkp@intel.com/") throw new Error();
 * if (closesUrl("Link: https://lore.kernel.org/r/a(a)b.org\n") !== "https://lore.kernel.org/r/a@b.org") throw new Error();
 * ```
 */
export function closesUrl(body: string): string | null {
  for (const tag of ["Closes", "Link"]) {
    const m = new RegExp(`^\\|? ?${tag}: ?<?(https?://[^\\s<>]{1,1000})`, "m")
      .exec(body);
    if (m) return deobfuscate(m[1]!).replace(/>$/, "");
  }
  return null;
}

/**
 * Collects the setup of a report.
 *
 * @param fields the header fields
 * @param body the report body (for the tag lines)
 * @param steps the inline reproduce steps
 * @param script the reproduce script's parse, when there is one
 * @returns the setup (a stable field set)
 */
export function robotSetup(
  fields: ReadonlyMap<HeaderKey, HeaderField>,
  body: string,
  steps: ReproduceInfo,
  script: ReproduceInfo | null,
): RobotSetup {
  const rustc = value(fields, "rustc");
  const apt: string[] = [];
  for (
    const p of [
      ...steps.notes.apt_packages,
      ...(script?.notes.apt_packages ?? []),
    ]
  ) {
    if (!apt.includes(p)) apt.push(p);
  }
  return {
    rustc,
    rustc_version: rustc === null
      ? null
      : /\b(\d+\.\d+\.\d+(?:-[\w.]+)?)\b/.exec(rustc)?.[1] ?? null,
    sparse: value(fields, "sparse") ?? steps.notes.sparse_version ??
      script?.notes.sparse_version ?? null,
    docutils: value(fields, "docutils"),
    apt_packages: apt,
    unreleased_compiler: steps.notes.unreleased_compiler ??
      script?.notes.unreleased_compiler ?? null,
    b4_shazam: steps.b4_shazam ?? script?.b4_shazam ?? null,
    closes_url: closesUrl(body),
  };
}

/** A setup with nothing known. */
export function emptySetup(): RobotSetup {
  return {
    rustc: null,
    rustc_version: null,
    sparse: null,
    docutils: null,
    apt_packages: [],
    unreleased_compiler: null,
    b4_shazam: null,
    closes_url: null,
  };
}
