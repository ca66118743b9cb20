/**
 * What the robot's setup needs beyond compiler and config (`report.setup`:
 * `rustc:`, `sparse:`, `docutils:` lines) that this host lacks, as setup
 * differences for the verdict. Pure: the caller says which programs exist.
 *
 * @module
 */
import type { RobotSetup } from "../report/mod.ts";

/**
 * The setup differences of a report on a host.
 *
 * @param setup the report's setup
 * @param has whether a program is on this host's PATH
 * @returns one line per missing tool
 *
 * @example
 * ```ts
 * import { setupDifferences } from "./setup_differences.ts";
 * const setup = { rustc: "rustc 1.88.0 (6b00bc388 2025-06-23)", rustc_version: "1.88.0", sparse: null, docutils: null, apt_packages: [], unreleased_compiler: null, b4_shazam: null, closes_url: null };
 * const d = setupDifferences(setup, () => false);
 * if (d.length !== 1 || !d[0]!.includes("no rustc")) throw new Error();
 * if (setupDifferences(setup, () => true).length !== 0) throw new Error();
 * ```
 */
export function setupDifferences(
  setup: RobotSetup,
  has: (program: string) => boolean,
): string[] {
  const out: string[] = [];
  if (setup.rustc !== null && !has("rustc")) {
    out.push(
      `the robot built with ${setup.rustc} (a Rust-enabled config); this host has no rustc, so olddefconfig drops CONFIG_RUST and no Rust code is built (install rustc, rust-src and bindgen)`,
    );
  }
  if (setup.sparse !== null && !has("sparse")) {
    out.push(
      `the robot ran sparse ${setup.sparse}; this host has no sparse, so C=1 checks nothing (install sparse)`,
    );
  }
  if (setup.docutils !== null && !has("sphinx-build")) {
    out.push(
      `the robot built the docs with ${setup.docutils}; this host has no sphinx-build (install python3-sphinx)`,
    );
  }
  return out;
}
