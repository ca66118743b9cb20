/** Shared fixtures for the matrix tests. */
import {
  createFakeMatrixTree,
  installMarkerGcc,
} from "../_support/fake_matrix_tree.ts";
import {
  type RecordingOutput,
  recordingOutput,
} from "../../src/util/output.ts";

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
 * Creates a temp dir holding a fake kernel tree at `<root>/linux`, the
 * marker gcc in `<root>/0day` (a COMPILER_INSTALL_PATH for kcross
 * subprocesses) and {@link MINIMAL} written as `m.toml` in `matrixIn` (the
 * tree or the root). Disposing it removes the temp dir.
 */
export async function setupFakeMatrix(
  prefix: string,
  matrixIn: "tree" | "root",
) {
  const root = await Deno.makeTempDir({ prefix });
  const tree = `${root}/linux`;
  await Deno.mkdir(tree);
  const commit = await createFakeMatrixTree(tree);
  await installMarkerGcc(`${root}/0day`);
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
 * subprocess (`main.ts`, as the launcher runs it) taking cells from the
 * queue at `queueUrl`, then `extra`.
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

/**
 * The environment of a kcross subprocess that builds the fake tree: its
 * own state and cache dirs under `dir`, the marker gcc's
 * COMPILER_INSTALL_PATH `cip` (see `installMarkerGcc`), never a download.
 */
export function fakeTreeEnv(
  dir: string,
  cip: string,
): Record<string, string> {
  return {
    KCROSS_STATE_DIR: `${dir}/state`,
    KCROSS_CACHE_DIR: `${dir}/cache`,
    COMPILER_INSTALL_PATH: cip,
    KCROSS_OFFLINE: "1",
    NO_COLOR: "1",
  };
}

/**
 * Lines as they arrive, with waits on them (resolved by the line itself,
 * never by a poll or a timer).
 */
export class Lines {
  readonly all: string[] = [];
  #waiters: {
    re: RegExp;
    from: number;
    resolve: (line: string) => void;
  }[] = [];
  #closed: Error | null = null;
  #onClose: ((error: Error) => void)[] = [];

  #listeners = new Set<(line: string) => void>();

  /** Calls `f` with each new line until the returned function is called. */
  subscribe(f: (line: string) => void): () => void {
    this.#listeners.add(f);
    return () => void this.#listeners.delete(f);
  }

  push(line: string): void {
    this.all.push(line);
    for (const f of [...this.#listeners]) f(line);
    this.#waiters = this.#waiters.filter((w) => {
      if (this.all.length - 1 >= w.from && w.re.test(line)) {
        w.resolve(line);
        return false;
      }
      return true;
    });
  }

  /** No more lines will come: pending and later waits reject with `error`. */
  close(error: Error): void {
    this.#closed = error;
    for (const f of this.#onClose) f(error);
    this.#onClose = [];
    this.#waiters = [];
  }

  /** The first line at index ≥ `from` matching `re`. */
  waitFor(re: RegExp, from = 0): Promise<string> {
    const hit = this.all.slice(from).find((l) => re.test(l));
    if (hit !== undefined) return Promise.resolve(hit);
    if (this.#closed) return Promise.reject(this.#closed);
    return new Promise((resolve, reject) => {
      this.#waiters.push({ re, from, resolve });
      this.#onClose.push(reject);
    });
  }

  /** Resolves once `n` lines at index ≥ `from` match `re`. */
  async waitForCount(re: RegExp, n: number, from = 0): Promise<void> {
    let at = from;
    for (let i = 0; i < n; i++) {
      await this.waitFor(re, at);
      at = this.all.findIndex((l, j) => j >= at && re.test(l)) + 1;
    }
  }
}

/** An Output (see src/util/output.ts) whose stderr lines can be waited on. */
export function watchedOutput(): RecordingOutput & { lines: Lines } {
  const out = recordingOutput();
  const lines = new Lines();
  return {
    ...out,
    err: (line) => {
      out.stderr.push(line);
      lines.push(line);
    },
    lines,
  };
}

/**
 * A `kcross matrix worker` subprocess (the real builder) whose stderr lines
 * are collected. Its cells build the fake tree with the marker gcc in
 * `<root>/0day` (`installMarkerGcc`), its state in `<root>/<name>/`.
 */
export class WorkerProc {
  readonly lines = new Lines();
  readonly child: Deno.ChildProcess;
  readonly done: Promise<void>;
  constructor(
    readonly name: string,
    root: string,
    queueUrl: string,
    queueName: string,
    concurrency = 1,
  ) {
    this.child = new Deno.Command(Deno.execPath(), {
      args: matrixWorkerArgs(queueUrl, "--cells", String(concurrency)),
      env: {
        ...fakeTreeEnv(`${root}/${name}`, `${root}/0day`),
        KCROSS_MATRIX_LOCK_MS: "4000",
        KCROSS_MATRIX_STALLED_MS: "1000",
        KCROSS_MATRIX_QUEUE_NAME: queueName,
      },
      stdout: "null",
      stderr: "piped",
      stdin: "null",
    }).spawn();
    const child = this.child;
    const stderr = child.stderr;
    this.done = (async () => {
      let buf = "";
      for await (const chunk of stderr.pipeThrough(new TextDecoderStream())) {
        buf += chunk;
        const parts = buf.split("\n");
        buf = parts.pop()!;
        for (const l of parts) this.lines.push(l);
      }
      if (buf) this.lines.push(buf);
      const status = await child.status;
      this.lines.close(
        new Error(
          `${this.name} exited (${status.code}); its output:\n${
            this.lines.all.join("\n")
          }`,
        ),
      );
    })();
  }
  get pid(): number {
    return this.child.pid;
  }
  /** The first line at index ≥ `from` matching `re` (rejects if the worker exits first). */
  waitFor(re: RegExp, from = 0): Promise<string> {
    return this.lines.waitFor(re, from);
  }
  starts(from = 0): string[] {
    return this.lines.all.slice(from).filter((l) => l.startsWith("start "));
  }
  async stop(signal: Deno.Signal = "SIGTERM"): Promise<void> {
    try {
      this.child.kill(signal);
    } catch {
      // gone
    }
    await this.child.status;
    await this.done;
  }
}
