/**
 * The install's scratch space: staging dirs and the small files an install
 * verifies with (`.tar.sign`, `sha256sums.asc`) all live in the plan's
 * staging parent under the toolchain's slug, so the next install of it
 * removes whatever an interrupted or killed one left (nothing goes to
 * `$TMPDIR`).
 *
 * @module
 */
import { idSlug } from "../util/fs.ts";
import type { FetchPlan } from "./types.ts";

/**
 * A fresh path in `plan`'s staging parent, e.g.
 * `<stagingParent>/gcc-13.2.0__x86_64-linux-<uuid>.tar.sign`.
 *
 * @param suffix appended to the name (`""` for a staging dir)
 * @example
 * ```ts
 * import { stagingPath } from "./staging.ts";
 * const p = stagingPath({ id: "a/b", stagingParent: "/s" } as never, ".asc");
 * if (!p.startsWith("/s/a__b-") || !p.endsWith(".asc")) throw new Error(p);
 * ```
 */
export function stagingPath(plan: FetchPlan, suffix: string): string {
  return `${plan.stagingParent}/${
    idSlug(plan.id)
  }-${crypto.randomUUID()}${suffix}`;
}

/**
 * Removes what earlier installs of `plan` left in its staging parent (call
 * it with the install lock held).
 */
export function cleanStaleStaging(plan: FetchPlan): void {
  const prefix = `${idSlug(plan.id)}-`;
  try {
    for (const e of Deno.readDirSync(plan.stagingParent)) {
      if (e.name.startsWith(prefix)) {
        Deno.removeSync(`${plan.stagingParent}/${e.name}`, { recursive: true });
      }
    }
  } catch { /* no staging dir yet */ }
}
