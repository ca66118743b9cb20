/**
 * A report as repro reads it: the parsed fields plus what was attached to
 * the mail. A plain function (no side effects).
 *
 * @module
 */
import { parseReport } from "../report/mod.ts";
import type { ReportFields } from "./types.ts";

/** A parsed report plus what was attached to the mail. */
export interface ParsedInput {
  report: ReportFields;
  /** Text of an attached `.config` (already gunzipped), if the mail had one. */
  attachedConfig: string | null;
  /** Whether the report says its config was attached. */
  configAttached: boolean;
}

/** Whether the report says its config came as an attachment. */
const ATTACHED_CONFIG = /config:\s*\S+\s*\(\s*attached\s+as/;

/**
 * Parses a report (mail, archive copy, or reproduce file), with its
 * reproduce script when it came separately (`--reproduce`).
 *
 * @throws {UserError} not a report kcross can read
 */
export function parseReportInput(
  text: string,
  reproduceText?: string,
): ParsedInput {
  const report = parseReport(
    text,
    reproduceText === undefined ? {} : {
      reproduceText,
      reproduceOrigin: "--reproduce",
    },
  );
  return {
    report,
    attachedConfig: report.attachments.config ?? null,
    configAttached: ATTACHED_CONFIG.test(text),
  };
}
