/**
 * `parseReport()`: a 0-day robot report (plain body, e-mail, mbox, archive
 * paste, or a bare `reproduce` script) to a {@link ParsedReport}.
 *
 * @module
 */
import { UserError } from "../errors.ts";
import { extractEmail } from "./email.ts";
import {
  deobfuscate,
  type HeaderField,
  isTruncatedUrl,
  parenUrl,
  readHeaderFields,
} from "./header.ts";
import {
  interpretCommands,
  parseReproduceScript,
  readCommandLines,
} from "./reproduce.ts";
import { parseSections } from "./sections.ts";
import { emptySetup, robotSetup } from "./setup.ts";
import type {
  ParsedReport,
  ReportCompiler,
  ReproduceFile,
  ReproduceInfo,
} from "./types.ts";

/** Largest input parsed (reports are < 1 MB; mails with a config < 4 MB). */
export const MAX_REPORT_BYTES = 16 * 1024 * 1024;

/** Options for {@link parseReport}. */
export interface ParseReportOptions {
  /** The robot's `reproduce` script, when it came separately. */
  reproduceText?: string;
  /** Where `reproduceText` came from (recorded in `reproduce_file.origin`). */
  reproduceOrigin?: string;
  /** Return what was found instead of failing on an incomplete report. */
  lenient?: boolean;
}

/**
 * The compiler named by a `compiler:` value.
 *
 * @example
 * ```ts
 * import { parseCompiler } from "./parse_report.ts";
 * const c = parseCompiler("gcc-11 (Debian 11.3.0-3) 11.3.0");
 * if (c.name !== "gcc" || c.version !== "11.3.0") throw new Error();
 * if (parseCompiler("ClangBuiltLinux clang version 17.0.6 (x)").version !== "17.0.6") throw new Error();
 * ```
 */
export function parseCompiler(raw: string): ReportCompiler {
  const clang = /\bclang version (\S+)/.exec(raw);
  if (clang) return { name: "clang", version: clang[1]!, raw };
  const full = raw.match(/\d+\.\d+\.\d+/g);
  const short = raw.match(/\d+\.\d+/g);
  const version = full?.at(-1) ?? short?.at(-1) ?? null;
  if (!/gcc/i.test(raw) && /clang/i.test(raw)) {
    return { name: "clang", version, raw };
  }
  return { name: "gcc", version, raw };
}

function firstToken(value: string): string | null {
  const t = value.split(/\s+/)[0];
  return t === undefined || t === "" || t.startsWith("(") ? null : t;
}

function fieldValue(f: HeaderField | undefined): string | null {
  if (f === undefined || f.value === "") return null;
  return deobfuscate(f.value);
}

function checkSize(text: string): void {
  if (text.length > MAX_REPORT_BYTES) {
    throw new UserError(
      `Input is too large for a robot report: ${
        (text.length / 1048576).toFixed(1)
      } MB (limit ${MAX_REPORT_BYTES / 1048576} MB)`,
      { hint: "pass the report e-mail or its text, not a log or an archive" },
    );
  }
}

/** Rejects text that is mostly control characters (binary data). */
function checkText(text: string): void {
  const sample = text.slice(0, 65536);
  let control = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c === 0) control += 1000;
    else if ((c < 9 || (c > 13 && c < 32)) && c !== 27) control++;
    else if (c === 0xfffd) control++;
  }
  if (control > sample.length / 100 + 2) {
    throw new UserError("Input looks like binary data, not a robot report", {
      hint: "pass the report as text (.txt, .eml or mbox)",
    });
  }
}

/**
 * The quoted report inside a reply (`> tree: …`, `> >> a.c:1:2: error: …`),
 * one quote level removed, or null when the report is not quoted.
 */
function unquoteReply(body: string): string | null {
  const key = /^(?:tree|url|commit|config|compiler):/m;
  if (key.test(body) || !/^> ?(?:tree|url|commit):/m.test(body)) return null;
  return body.split("\n")
    .filter((l) => l.startsWith(">"))
    .map((l) => l.replace(/^> ?/, ""))
    .join("\n");
}

function reproduceFileOf(
  info: ReproduceInfo,
  url: string | null,
  origin: string | null,
): ReproduceFile {
  return {
    url,
    origin,
    make_invocations: info.make_invocations,
    make_args: info.make_args,
    make_env: info.make_env,
    targets: info.targets,
    arch: info.arch,
    w: info.w,
    c: info.c,
    tree_url: info.tree_url,
    branch: info.branch,
    commit: info.commit,
    b4_shazam: info.b4_shazam,
  };
}

function githubTree(url: string): { tree: string; branch: string } | null {
  const m = /^(https:\/\/github\.com\/[^/\s]+\/[^/\s]+)\/commits\/(\S+)$/
    .exec(url);
  return m ? { tree: m[1]!, branch: m[2]! } : null;
}

/**
 * Parses a robot report.
 *
 * @param input the report text: body, whole e-mail, mbox, archive copy, or a
 *   bare `reproduce` script
 * @param options a separate reproduce script, leniency
 * @returns the parse, in the fixture conventions
 * @throws {UserError} when the input is binary, too large, or not a report
 *   (naming what is missing)
 *
 * @example
 * ```ts
 * import { parseReport } from "./parse_report.ts";
 * const r = parseReport([
 *   "tree:   https://example.org/linux.git main",
 *   "head:   1111111111111111111111111111111111111111",
 *   "commit: 2222222222222222222222222222222222222222 [1/2] foo: bar",
 *   "config: powerpc-allmodconfig (https://download.01.org/x/config)",
 *   "compiler: powerpc-linux-gcc (GCC) 11.2.0",
 *   "reproduce (this is a W=1 build): (https://download.01.org/x/reproduce)",
 *   "",
 *   "All errors (new ones prefixed by >>):",
 *   ">> a.c:1:2: error: boom",
 * ].join("\n"));
 * if (r.commit_subject !== "foo: bar" || r.arch !== "powerpc" || r.w !== 1) throw new Error();
 * if (r.format !== "new" || r.diagnostics[0]?.new !== true) throw new Error();
 * ```
 */
export function parseReport(
  input: string,
  options: ParseReportOptions = {},
): ParsedReport {
  checkSize(input);
  // binary attachments are fine in an e-mail: judge the text part only
  const email = extractEmail(input.replace(/\r\n?/g, "\n"));
  const warnings: string[] = [];
  let body = email.body;
  checkText(body);
  const quoted = unquoteReply(body);
  if (quoted !== null) {
    body = quoted;
    warnings.push("The report was quoted in a reply: read its quoted lines");
  }
  const lines = body.split("\n");
  const secs = parseSections(lines);
  const limit = secs.firstHeader < 0 ? lines.length : secs.firstHeader;
  const fields = readHeaderFields(lines, limit);

  // Inline reproduce steps.
  const repro = fields.get("reproduce");
  let commands: string[] = [];
  if (repro) {
    commands = readCommandLines(lines, repro.next).commands;
    // 2021 dtbs/htmldocs reports: "reproduce: make dtbs_check" on one line
    if (repro.value !== "" && !repro.value.startsWith("(")) {
      commands.unshift(repro.value);
    }
  }
  const label = repro?.label ?? "";
  const steps = interpretCommands(commands, label);
  const reproduceUrl = repro ? parenUrl(repro.value) : null;

  const tree = fieldValue(fields.get("tree"));
  const url = fieldValue(fields.get("url"));
  const commitField = fieldValue(fields.get("commit"));
  const reportType = tree !== null ? "branch" : url !== null ? "patch" : null;

  let treeUrl: string | null = null;
  let branch: string | null = null;
  let commit: string | null = null;
  let subject: string | null = null;
  if (reportType === "branch") {
    const [t, b] = tree!.split(/\s+/);
    treeUrl = t ?? null;
    branch = b ?? null;
    const m = commitField ? /^(\S+)\s*(.*)$/.exec(commitField) : null;
    commit = m ? m[1]! : steps.commit;
    const rest = m ? m[2]!.replace(/^\[\d+\/\d+\]\s*/, "").trim() : "";
    subject = rest === "" ? null : rest;
  } else {
    treeUrl = steps.tree_url;
    branch = steps.branch;
    const gh = url === null ? null : githubTree(url);
    if (gh && (treeUrl === null || (branch === null && gh.tree === treeUrl))) {
      treeUrl = gh.tree;
      branch = gh.branch;
    }
    commit = steps.commit;
    subject = fieldValue(fields.get("patch subject"));
  }

  const configValue = fields.get("config")?.value ?? "";
  const configName = firstToken(configValue);
  const configUrl = parenUrl(configValue);
  const compilerRaw = fieldValue(fields.get("compiler"));
  const hasMake = steps.make_invocations.length > 0;
  // README convention: ARCH= of the last make line (null when it has
  // none), the config-name prefix only when there is no make line at all.
  // buildRequest() falls back further for reproduction.
  const arch = hasMake
    ? steps.arch
    : (configName ? configName.split("-")[0]! : null);
  const closes = /^\|? ?Closes:(?: |$)/m.test(body);
  const attachedRepro = /\(attached as reproduce\)/.test(repro?.value ?? "");
  // old: inline steps; new: a reproduce link, or no inline steps and the
  // Closes: tag (2023+) or an attached script
  let format: ParsedReport["format"];
  if (reproduceUrl !== null) format = "new";
  else if (commands.length > 0) format = "old";
  else format = closes || attachedRepro ? "new" : "old";

  for (
    const [what, u] of [["config", configUrl], [
      "reproduce",
      reproduceUrl,
    ]] as const
  ) {
    if (u !== null && isTruncatedUrl(u)) {
      warnings.push(
        `The ${what} URL is truncated (as copied from a web archive): "${u}"; it cannot be fetched`,
      );
    }
  }
  if (secs.joined > 0) {
    warnings.push(
      `Joined ${secs.joined} wrapped line(s) back in the diagnostic sections (reflowed copy: ${
        secs.reflowSigns.join(", ")
      })`,
    );
  }

  const reproduceText = options.reproduceText ?? email.attachments.reproduce;
  const origin = options.reproduceText !== undefined
    ? options.reproduceOrigin ?? null
    : email.attachments.reproduce !== undefined
    ? 'MIME attachment "reproduce" of the same email'
    : null;
  const scriptInfo = reproduceText === undefined
    ? null
    : parseReproduceScript(reproduceText);
  const reproduceFile = scriptInfo === null
    ? null
    : reproduceFileOf(scriptInfo, reproduceUrl, origin);

  const isReport = reportType !== null || configName !== null ||
    compilerRaw !== null || secs.sections.length > 0;
  if (!isReport) {
    const script = parseReproduceScript(body);
    const scriptHasSteps = script.make_invocations.length > 0 ||
      script.commit !== null;
    if (!scriptHasSteps) {
      throw new UserError(
        'Not a 0-day robot report: no "tree:" or "url:" line, no "config:" line and no diagnostics section ("All errors (new ones prefixed by >>):") found',
        {
          hint:
            "pass the robot's e-mail (.eml/mbox), its body, or a reproduce script",
        },
      );
    }
    return {
      ...emptyReport(script),
      reproduce_file: reproduceFileOf(script, null, "the input itself"),
      message_id: email.headers["message-id"] ?? null,
      warnings: [
        "The input is a reproduce script, not a report: no diagnostics",
      ],
      attachments: email.attachments,
      setup: robotSetup(fields, body, script, null),
    };
  }
  if (!options.lenient) {
    const missing: string[] = [];
    if (reportType === null) missing.push('"tree:" or "url:" line');
    if (secs.sections.length === 0) {
      missing.push(
        'diagnostics section ("All errors/warnings (new ones prefixed by >>):" or "<tool> warnings:")',
      );
    }
    if (missing.length > 0) {
      throw new UserError(
        `Incomplete robot report: it has no ${missing.join(" and no ")}`,
        {
          hint:
            "paste the whole report, or pass --lenient to get what is there",
        },
      );
    }
  }

  return {
    format,
    tree_url: treeUrl,
    branch,
    head: firstToken(fields.get("head")?.value ?? ""),
    commit,
    commit_subject: subject,
    config_name: configName,
    config_url: configUrl,
    arch,
    compiler: compilerRaw === null ? null : parseCompiler(compilerRaw),
    make_args: steps.make_args,
    targets: steps.targets,
    w: steps.w,
    c: steps.c ?? (secs.hasSparse ? 1 : null),
    diagnostics: secs.diagnostics,
    report_type: reportType,
    url,
    base: fieldValue(fields.get("base")),
    patch_link: fieldValue(fields.get("patch link")),
    make_env: steps.make_env,
    make_invocations: steps.make_invocations,
    reproduce_url: reproduceUrl,
    sections: secs.sections,
    marked_lines: secs.marked_lines,
    reproduce_file: reproduceFile,
    message_id: email.headers["message-id"] ?? null,
    warnings,
    attachments: email.attachments,
    setup: robotSetup(fields, body, steps, scriptInfo),
  };
}

function emptyReport(script: ReproduceInfo): ParsedReport {
  return {
    format: null,
    tree_url: script.tree_url,
    branch: script.branch,
    head: null,
    commit: script.commit,
    commit_subject: null,
    config_name: null,
    config_url: null,
    arch: script.arch,
    compiler: null,
    make_args: script.make_args,
    targets: script.targets,
    w: script.w,
    c: script.c,
    diagnostics: [],
    report_type: null,
    url: null,
    base: null,
    patch_link: null,
    make_env: script.make_env,
    make_invocations: script.make_invocations,
    reproduce_url: null,
    sections: [],
    marked_lines: [],
    reproduce_file: null,
    message_id: null,
    warnings: [],
    attachments: {},
    setup: emptySetup(),
  };
}
