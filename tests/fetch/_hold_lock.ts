/**
 * Test helper: holds the kcross file lock at `Deno.args[0]`, says "held" on
 * stdout, and keeps it until its stdin closes (or it is killed).
 */
import { acquireFileLock } from "../../src/util/with_file_lock.ts";

using _lock = await acquireFileLock(Deno.args[0]!);
await Deno.stdout.write(new TextEncoder().encode("held\n"));
for await (const _ of Deno.stdin.readable) { /* until EOF */ }
