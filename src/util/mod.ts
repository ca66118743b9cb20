/**
 * Small helpers shared by several areas: a cross-process file lock and a
 * streaming file digest.
 *
 * @module
 */
export { withFileLock } from "./with_file_lock.ts";
export { sha256File } from "./sha256_file.ts";
