/**
 * Small helpers with no kernel knowledge, shared by every area: atomic
 * writes, a cross-process file lock, digests, how commands print, argument
 * parsing and the shape of a command.
 *
 * @module
 */
export {
  tempNameFor,
  writeFileAtomic,
  writeFileAtomicSync,
  writeJsonAtomic,
} from "./atomic_write.ts";
export {
  acquireFileLock,
  type FileLockOptions,
  type HeldLock,
  withFileLock,
} from "./with_file_lock.ts";
export { sha256File } from "./sha256_file.ts";
export { sha1Hex, sha256Hex, sha256HexAsync } from "./digest.ts";
export { type Output, recordingOutput, terminalOutput } from "./output.ts";
