/**
 * A build record for fake build engines (`runBuild` returns the record it
 * wrote; fakes return this, with the fields a test cares about).
 *
 * @module
 */
import type { RecordMetadata } from "../../src/record/types.ts";

/** A record with only `fields` filled in (the rest left out). */
export function fakeRecord(
  fields: Record<string, unknown> = {},
): RecordMetadata {
  return { schema: 1, ...fields } as unknown as RecordMetadata;
}
