/**
 * Test helper process: acquires a worktree, checks its HEAD a while later,
 * prints `dir head`, releases. Args: repo commit root holdMs.
 *
 * @module
 */
import { acquireWorktree, worktreeHead } from "../../src/git/mod.ts";

const [repo, commit, root, holdMs] = Deno.args;
const lease = await acquireWorktree(repo!, commit!, {
  root: root!,
  maxSlots: 1,
});
await new Promise((r) => setTimeout(r, Number(holdMs)));
const head = await worktreeHead(lease.dir);
await lease.release();
await Deno.stdout.write(new TextEncoder().encode(`${lease.dir} ${head}\n`));
