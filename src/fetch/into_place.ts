/**
 * The last steps of an install: the verified tree renamed into its final
 * place, and the verified archive kept beside it (`kcross cache verify`
 * compares the tree against it).
 *
 * @module
 */
import { InfraError } from "../errors.ts";
import { discardPart } from "./_part_file.ts";
import { NOTHING } from "./install_failures.ts";
import type { FetchPlan } from "./types.ts";

/** Whether `<base>/<rel>` is a directory reached through no symlink. */
export function isRealDir(base: string, rel: string): boolean {
  try {
    const real = Deno.realPathSync(`${base}/${rel}`);
    return real === `${Deno.realPathSync(base)}/${rel}` &&
      Deno.lstatSync(real).isDirectory;
  } catch {
    return false;
  }
}

/**
 * Renames the verified tree to its final place. Only something outside
 * kcross's lock (make.cross, a user) can have put a directory there since
 * the lock was taken: that is a one-line error, never a stack trace.
 *
 * @throws {InfraError}
 */
export function moveIntoPlace(top: string, plan: FetchPlan): void {
  try {
    Deno.renameSync(top, plan.finalDir);
  } catch (error) {
    throw new InfraError(
      `Cannot move the verified ${plan.id} into "${plan.finalDir}": ${
        error instanceof Error ? error.message.split("\n")[0] : String(error)
      }; ${NOTHING}`,
      {
        cause: error,
        hint:
          "another program is writing to the install path; retry when it is done",
      },
    );
  }
}

/** Where the verified archive of an install is kept. */
export function keptArchivePath(plan: FetchPlan): string {
  const downloads = plan.partFile.slice(0, plan.partFile.lastIndexOf("/"));
  return `${
    downloads.slice(0, downloads.lastIndexOf("/"))
  }/archives/${plan.archiveName}`;
}

/** Keeps the verified download as the install's archive (best effort). */
export function keepArchive(plan: FetchPlan, archiveFile: string): void {
  try {
    Deno.mkdirSync(archiveFile.slice(0, archiveFile.lastIndexOf("/")), {
      recursive: true,
    });
    Deno.renameSync(plan.partFile, archiveFile);
  } catch {
    // Only `cache verify` needs it; the install itself is complete.
  }
  discardPart(plan.partFile);
}
