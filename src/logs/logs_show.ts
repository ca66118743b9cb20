/**
 * Text views of build records for `kcross logs ls` and `logs show`.
 *
 * @module
 */
import { renderReproducer } from "../record/reproducer.ts";
import type {
  ArtifactRecord,
  HostSection,
  PhaseRecord,
  RecordMetadata,
} from "../record/types.ts";
import { shellLine } from "../util/shell_quote.ts";

function seconds(ms: number | undefined): string {
  return ms === undefined ? "-" : `${(ms / 1000).toFixed(1)}s`;
}

function compilerOf(m: RecordMetadata): string {
  return m.toolchain ? `${m.toolchain.family}-${m.toolchain.version}` : "-";
}

/**
 * One line per record under a header: id, result, arch, compiler, targets,
 * errors/warnings, build time.
 *
 * @example
 * ```ts
 * import { formatRecordTable } from "./logs_show.ts";
 * const lines = formatRecordTable([]);
 * if (!lines[0]!.startsWith("ID")) throw new Error();
 * ```
 */
export function formatRecordTable(records: RecordMetadata[]): string[] {
  const rows = records.map((m) => [
    m.id,
    m.result,
    m.plan.arch,
    compilerOf(m),
    m.plan.targets.join(" ") || "(default)",
    m.diagnostics ? `${m.diagnostics.errors}/${m.diagnostics.warnings}` : "-",
    seconds(m.timings.build),
  ]);
  const header = [
    "ID",
    "RESULT",
    "ARCH",
    "COMPILER",
    "TARGETS",
    "E/W",
    "BUILD",
  ];
  const all = [header, ...rows];
  const widths = header.map((_, i) =>
    Math.max(...all.map((r) => r[i]!.length))
  );
  return all.map((r) =>
    r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i]!)).join("  ")
  );
}

/**
 * The record's artifacts, one per line: name, size, sha256, path.
 *
 * @example
 * ```ts
 * import { formatArtifacts } from "./logs_show.ts";
 * const [head, row] = formatArtifacts([{ name: "Image.gz", path: "artifacts/Image.gz", phase: "kernel", size: 2048, sha256: "ab".repeat(32) }], "/r");
 * if (!head!.startsWith("NAME") || !row!.includes("/r/artifacts/Image.gz") || !row!.includes("kernel")) throw new Error(row);
 * ```
 */
export function formatArtifacts(
  artifacts: readonly ArtifactRecord[],
  dir: string,
): string[] {
  const rows = artifacts.map((a) => [
    a.name,
    a.phase,
    String(a.size),
    a.sha256,
    `${dir}/${a.path}`,
  ]);
  const header = ["NAME", "TARGET", "SIZE", "SHA256", "PATH"];
  const all = [header, ...rows];
  const widths = header.map((_, i) =>
    Math.max(...all.map((r) => r[i]!.length))
  );
  return all.map((r) =>
    r.map((c, i) => i === r.length - 1 ? c : c.padEnd(widths[i]!)).join("  ")
  );
}

function phaseLine(p: PhaseRecord): string {
  const time = p.durationMs ? ` ${seconds(p.durationMs)}` : "";
  const why = p.reason ? ` (${p.reason})` : "";
  const arts = p.artifacts.length ? ` -> ${p.artifacts.join(", ")}` : "";
  return `  ${p.name}: ${p.status}${time}${why}${arts}`;
}

/**
 * The record's host section in two lines: the machine, then the tool
 * versions (absent tools left out).
 *
 * @example
 * ```ts
 * import { hostLines } from "./logs_show.ts";
 * const l = hostLines({
 *   os: { id: "debian", versionId: "12", prettyName: "Debian GNU/Linux 12 (bookworm)" },
 *   kernel: { release: "6.1.0-9-amd64", machine: "x86_64" }, cpu: { model: null, count: 2 },
 *   memoryBytes: 4 * 2 ** 30, outDirBytes: 3 * 2 ** 20,
 *   tools: { make: { path: "/usr/bin/make", version: "4.3" }, pahole: { path: null, version: null } },
 * });
 * if (l[0] !== "host:       Debian GNU/Linux 12 (bookworm), Linux 6.1.0-9-amd64 x86_64, 2 CPUs, 4.0 GiB, out dir 3.0 MiB") throw new Error(l[0]);
 * if (l[1] !== "host tools: make 4.3") throw new Error(l[1]);
 * ```
 */
export function hostLines(h: HostSection): string[] {
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(1)} GiB`;
  const parts = [
    h.os.prettyName ?? h.os.id ?? "unknown OS",
    `Linux ${h.kernel.release} ${h.kernel.machine}`,
    `${h.cpu.count} CPUs${h.cpu.model ? ` (${h.cpu.model})` : ""}`,
    ...(h.memoryBytes === null ? [] : [gib(h.memoryBytes)]),
    ...(h.outDirBytes === null
      ? []
      : [`out dir ${(h.outDirBytes / 2 ** 20).toFixed(1)} MiB`]),
  ];
  const tools = Object.entries(h.tools)
    .filter(([, t]) => t.version !== null)
    .map(([name, t]) => `${name} ${t.version}`);
  return [
    `host:       ${parts.join(", ")}`,
    ...(tools.length ? [`host tools: ${tools.join(", ")}`] : []),
  ];
}

/** A readable summary of one record. */
export function formatRecordSummary(m: RecordMetadata, dir: string): string[] {
  const lines = [
    `record:     ${m.id}`,
    `directory:  ${dir}`,
    `result:     ${m.result}${m.reason ? ` (${m.reason})` : ""}`,
    `started:    ${m.startedAt}${
      m.finishedAt ? `  finished: ${m.finishedAt}` : ""
    }`,
    `tree:       ${m.tree.path}` +
    (m.tree.commit
      ? ` @ ${m.tree.commit.slice(0, 12)}${m.tree.dirty ? " (dirty)" : ""}`
      : "") +
    (m.tree.kernelVersion ? `  [${m.tree.kernelVersion}]` : "") +
    (m.tree.kernelRelease ? `  release ${m.tree.kernelRelease}` : ""),
    `arch:       ${m.plan.arch}  triple: ${m.plan.triple} (${m.plan.tripleReason})`,
  ];
  if (m.toolchain) {
    const t = m.toolchain;
    lines.push(
      `toolchain:  ${t.id} (${t.provider}, ${
        t.exact ? "exact" : `substitute for ${t.requested}`
      })`,
    );
    if (t.ccVersionText) lines.push(`compiler:   ${t.ccVersionText}`);
  }
  if (m.config) {
    const c = m.config;
    const src = c.inputs.source;
    const what = src.kind === "target"
      ? src.target + (src.seed ? ` (KCONFIG_SEED=${src.seed})` : "")
      : src.kind === "url"
      ? src.url
      : src.kind === "file"
      ? src.path
      : "existing .config";
    lines.push(
      `config:     ${what}${
        c.inputs.fragments.length
          ? ` + ${c.inputs.fragments.map((f) => f.path).join(" + ")}`
          : ""
      }${c.inputs.sets.length ? ` + ${c.inputs.sets.length} override(s)` : ""}${
        c.reused ? " (reused)" : ""
      }`,
      `werror:     ${c.werror} (CONFIG_WERROR=${c.werrorEnabled ? "y" : "n"})`,
    );
    for (const d of c.dropped) {
      lines.push(
        `dropped:    ${d.symbol} (asked ${d.requested ?? "n"}, got ${
          d.actual ?? "n"
        })${d.reason ? `: ${d.reason}` : ""}`,
      );
    }
  }
  if (m.host) lines.push(...hostLines(m.host));
  lines.push(`make:       ${shellLine(m.plan.argv)}`);
  const t = m.timings;
  lines.push(
    `timings:    fetch ${seconds(t.fetch)}, config ${
      seconds(t.config)
    }, build ${seconds(t.build)}${
      t.artifacts === undefined ? "" : `, artifacts ${seconds(t.artifacts)}`
    }`,
  );
  if (m.phases?.length) {
    lines.push("targets:", ...m.phases.map(phaseLine));
  }
  if (m.artifacts?.length) {
    lines.push(
      `artifacts:  ${m.artifacts.length} in ${dir}/artifacts (kcross logs show ${m.id} --artifacts)`,
    );
  }
  if (m.ccache) {
    lines.push(`ccache:     ${m.ccache.hits} hits, ${m.ccache.misses} misses`);
  }
  if (m.diagnostics) {
    lines.push(
      `diagnostics: ${m.diagnostics.errors} error(s), ${m.diagnostics.warnings} warning(s)`,
    );
  }
  lines.push("reproducer:");
  const script = renderReproducer({
    id: m.id,
    commit: m.tree.commit,
    dirty: m.tree.dirty,
    kernelVersion: m.tree.kernelVersion,
    steps: m.reproduce.steps,
    makeCross: m.reproduce.makeCross,
  });
  for (const l of script.split("\n")) {
    if (l.startsWith("kcross ") || l.startsWith("#   ")) lines.push(`  ${l}`);
  }
  return lines;
}
