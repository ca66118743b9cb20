/**
 * Test helper process: acquires a worktree, prints `held <dir>`, waits for
 * a line (or EOF) on stdin, checks its HEAD, prints `<dir> <head>`,
 * releases. Args: repo commit root.
 *
 * @module
 */
import { acquireWorktree, worktreeHead } from "../../src/git/mod.ts";

const [repo, commit, root] = Deno.args;
const lease = await acquireWorktree(repo!, commit!, {
  root: root!,
  maxSlots: 1,
});
const say = (line: string) =>
  Deno.stdout.write(new TextEncoder().encode(`${line}\n`));
await say(`held ${lease.dir}`);
for await (const chunk of Deno.stdin.readable) {
  if (new TextDecoder().decode(chunk).includes("\n")) break;
}
const head = await worktreeHead(lease.dir);
await say(`${lease.dir} ${head}`);
await lease.release();
