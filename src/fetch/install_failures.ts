/**
 * How a toolchain install fails when the archive itself is at fault: an
 * `IntegrityError` (checksum, signature, unsafe or unexpected content) is
 * exit 3 with nothing installed and never a fallback to another mirror or
 * build; tar's own complaints are sorted into disk full, unsafe, truncated
 * and corrupt.
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { discardPart } from "./_part_file.ts";
import { classifyTarFailure } from "./extract.ts";
import { formatBytes } from "./progress.ts";
import type { FetchPlan } from "./types.ts";

/**
 * The archive failed a check of what it is (checksum, signature, unsafe or
 * unexpected content): exit 3, nothing installed, no other mirror or build.
 */
export class IntegrityError extends InfraError {}

/** An archive rejected for content (unsafe members): never try elsewhere. */
export class RejectedArchive extends IntegrityError {}

/** The end of every failed-install message: the install root is unchanged. */
export const NOTHING = "nothing was installed";

/**
 * The error for a failed extraction, from tar's (and the decompressor's)
 * stderr; discards the partial download unless the disk was full.
 */
export function tarError(
  plan: FetchPlan,
  stderr: string,
  cause?: unknown,
): InfraError {
  const cap = /kcross-tee: more than (\d+) bytes/.exec(stderr);
  if (cap) {
    discardPart(plan.partFile);
    return new RejectedArchive(
      `Rejected archive "${plan.archiveName}": it unpacks to more than ${
        formatBytes(Number(cap[1]))
      } (a decompression bomb?); ${NOTHING}`,
      {
        cause,
        hint:
          "no real toolchain is that large; the mirror or the file is hostile or broken",
      },
    );
  }
  const kind = classifyTarFailure(stderr);
  const detail = stderr.trim().split("\n").slice(0, 3).join("; ");
  if (kind === "disk-full") {
    return new InfraError(
      `Disk full while extracting "${plan.archiveName}" into "${plan.root}"`,
      {
        cause,
        hint:
          "free some space (kcross cache gc) or install elsewhere (KCROSS_CACHE_DIR, --install-path)",
      },
    );
  }
  discardPart(plan.partFile);
  if (kind === "unsafe") {
    return new RejectedArchive(
      `Rejected archive "${plan.archiveName}": unsafe members: ${detail}; ${NOTHING}`,
      {
        cause,
        hint: "the archive is malicious or broken; nothing was installed",
      },
    );
  }
  return new (kind === "truncated" ? InfraError : IntegrityError)(
    `Archive "${plan.archiveName}" is ${
      kind === "truncated" ? "truncated" : "corrupt"
    }: ${detail}; ${NOTHING}`,
    {
      cause,
      hint: "the partial download was discarded; rerun to fetch it again",
    },
  );
}
