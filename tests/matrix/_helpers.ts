/** Shared fixtures for the matrix tests. */
import { createFakeMatrixTree } from "../_support/fake_matrix_tree.ts";

/** The minimal matrix file from the issue: 2 arches x 2 configs, one compiler. */
export const MINIMAL = `[matrix]
arch = ["powerpc", "arm64"]
config = ["allmodconfig", "defconfig"]
compiler = ["gcc-12.2.0"]
targets = ["drivers/vfio/"]
[make]
W = "1"
`;

/**
 * Creates a temp dir holding a fake kernel tree at `<root>/linux` and
 * {@link MINIMAL} written as `m.toml` in `matrixIn` (the tree or the root).
 * Disposing it removes the temp dir.
 */
export async function setupFakeMatrix(
  prefix: string,
  matrixIn: "tree" | "root",
) {
  const root = await Deno.makeTempDir({ prefix });
  const tree = `${root}/linux`;
  await Deno.mkdir(tree);
  const commit = await createFakeMatrixTree(tree);
  await Deno.writeTextFile(
    `${matrixIn === "tree" ? tree : root}/m.toml`,
    MINIMAL,
  );
  return {
    root,
    tree,
    commit,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

const REPO = new URL("../..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * The arguments to the deno executable for a `kcross matrix worker`
 * subprocess taking cells from the queue at `queueUrl`, then `extra`.
 */
export function matrixWorkerArgs(
  queueUrl: string,
  ...extra: string[]
): string[] {
  return [
    "run",
    "-A",
    `${REPO}/main.ts`,
    "matrix",
    "worker",
    "--queue",
    queueUrl,
    ...extra,
  ];
}
