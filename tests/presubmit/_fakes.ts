/**
 * Small stand-ins for presubmit unit tests: diagnostics, steps and commits.
 *
 * @module
 */
import type { Diagnostic } from "../../src/diagnostics/types.ts";
import type {
  PresubmitCell,
  PresubmitCommit,
  StepOutcome,
} from "../../src/presubmit/types.ts";

/** A compiler diagnostic. */
export function diag(
  file: string,
  line: number,
  severity: string,
  message: string,
  tool: Diagnostic["tool"] = "compiler",
): Diagnostic {
  return {
    tool,
    file,
    line,
    column: 5,
    severity,
    message,
    flag: null,
    count: 1,
    objects: [],
  };
}

/** A finished build with `diagnostics` (fails when one is an error). */
export function step(
  diagnostics: Diagnostic[],
  extra: Partial<StepOutcome> = {},
): StepOutcome {
  return {
    digest: `cell-${Math.random().toString(16).slice(2)}`,
    result: diagnostics.some((d) => d.severity.includes("error"))
      ? "fail"
      : "pass",
    message: null,
    diagnostics,
    recordId: "20260101T000000Z-abcdef",
    recordDir: "/state/builds/20260101T000000Z-abcdef",
    durationMs: 1200,
    toolchain: { id: "gcc-12.2.0-nolibc", version: "12.2.0", exact: true },
    reproducer: "kcross build --arch powerpc --config allmodconfig",
    ranOn: "local",
    ...extra,
  };
}

/** A build that never started (no compiler here). */
export function notStarted(message: string): StepOutcome {
  return step([], {
    result: "infra",
    message,
    recordId: null,
    recordDir: null,
    toolchain: null,
    reproducer: "",
  });
}

/** Base plus `n` commits. */
export function commits(n: number): PresubmitCommit[] {
  return Array.from({ length: n + 1 }, (_, index) => ({
    index,
    sha: `${index}`.repeat(40),
    subject: index === 0 ? "base" : `commit ${index}`,
  }));
}

/** A profile cell. */
export function cell(
  arch = "powerpc",
  config = "allmodconfig",
  compiler = "gcc-12.2.0",
): PresubmitCell {
  return {
    key: `${arch}/${config}/${compiler}`,
    axes: { arch, config, compiler },
    inputs: {
      arch,
      config,
      compiler,
      targets: ["drivers/vfio/"],
      make: { W: "1" },
      fragments: [],
      fragmentDigests: [],
      sets: [],
      werror: "off",
      allowFailure: false,
    },
  };
}
