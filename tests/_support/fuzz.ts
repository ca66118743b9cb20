/**
 * A small deterministic fuzzer for kcross's input parsers (the report parser
 * and the matrix loader): real fixtures mutated (bit flips, splices, huge
 * lines, deep nesting, duplicated sections), random bytes, and hand-made
 * pathological inputs. Every input must end in a result or a `UserError`,
 * never anything else, within a per-input time and memory bound.
 *
 * Used by `tests/report/fuzz_test.ts` (fixed seed, a few thousand cases) and
 * by `tools/fuzz` for long runs.
 *
 * @module
 */
import process from "node:process";
import { UserError } from "../../src/errors.ts";
import { parseReport } from "../../src/report/mod.ts";
import { parseMatrix } from "../../src/matrix/load_matrix.ts";
import { expandCells } from "../../src/matrix/expand.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** A seeded PRNG (mulberry32): same seed, same cases. */
export class Rng {
  #s: number;
  /** @param seed any integer */
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** One element of `xs`. */
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
}

/** One fuzz target: a name, its seed corpus and the function under test. */
export interface FuzzTarget {
  name: string;
  corpus: string[];
  /** Pathological inputs tried first, before random ones. */
  edge: string[];
  run: (input: string, rng: Rng) => Promise<unknown> | unknown;
}

/** What a fuzz run found. */
export interface FuzzResult {
  cases: number;
  /** Inputs that threw something other than a UserError, or took too long. */
  failures: { index: number; what: string; input: string }[];
  /** The most CPU time one input took, in ms. */
  slowestMs: number;
  /** Index and CPU ms of the slowest input. */
  slowestIndex: number;
  userErrors: number;
}

function readDir(dir: string, re: RegExp): string[] {
  const out: string[] = [];
  try {
    for (const e of Deno.readDirSync(dir)) {
      if (e.isFile && re.test(e.name)) {
        out.push(Deno.readTextFileSync(`${dir}/${e.name}`));
      }
    }
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  return out.sort();
}

/** Inputs are cut to this many characters (the report cap is 16 MB). */
const LIMIT = 20_000_000;

const JUNK = [
  "\0",
  "\r",
  "\n\n",
  ">> ",
  ":::::: ",
  "--",
  "=?utf-8?B?",
  "Content-Transfer-Encoding: base64\n",
  "Content-Type: multipart/mixed; boundary=x\n",
  "\n--x\n",
  "=\n",
  "'",
  '"',
  "\\",
  "$(",
  "`",
  "[",
  "]",
  "{",
  "}",
  "=",
  "[[",
  "]]",
  "\u202e",
  "\ud800",
  "é",
  "\t",
  " ".repeat(64),
];

/** How big mutations get: `ci` stays small and fast, `long` goes to the caps. */
export type FuzzScale = "ci" | "long";

/** One mutation of `text` (the corpus gives splice material). */
export function mutate(
  text: string,
  rng: Rng,
  corpus: string[],
  scale: FuzzScale = "ci",
): string {
  const big = scale === "long";
  const at = () => rng.int(text.length + 1);
  switch (rng.int(12)) {
    case 0: { // flip characters
      const chars = [...text.slice(0, 200_000)];
      for (let i = 0, n = 1 + rng.int(16); i < n && chars.length; i++) {
        chars[rng.int(chars.length)] = String.fromCharCode(rng.int(0x3000));
      }
      return chars.join("") + text.slice(200_000);
    }
    case 1: { // insert junk
      const p = at();
      return text.slice(0, p) + rng.pick(JUNK) + text.slice(p);
    }
    case 2: { // delete a range
      const p = at();
      return text.slice(0, p) + text.slice(p + rng.int(2000));
    }
    case 3: { // duplicate a line many times (130k diagnostics and the like)
      const lines = text.split("\n");
      const i = rng.int(lines.length);
      const n = rng.pick(big ? [10, 1000, 20_000, 130_000] : [10, 100, 2000]);
      const fit = Math.floor(LIMIT / (lines[i]!.length + 1));
      const block = Array(Math.max(1, Math.min(n, fit))).fill(lines[i]!);
      return [...lines.slice(0, i), block.join("\n"), ...lines.slice(i)]
        .join("\n");
    }
    case 4: { // one huge line
      const p = at();
      const n = rng.pick(
        big ? [4096, 100_000, 4_000_000] : [300, 4096, 50_000],
      );
      return text.slice(0, p) +
        rng.pick(["x", "a b ", "/", ";", "(", "{", "'"]).repeat(n) +
        text.slice(p);
    }
    case 5: { // deep nesting
      const p = at();
      const n = rng.pick(big ? [100, 10_000, 200_000] : [50, 1000, 20_000]);
      const [o, c] = rng.pick([["[", "]"], ["{a=", "}"], ["> ", ""], [
        "(",
        ")",
      ], ['"', '"']]);
      return text.slice(0, p) + o!.repeat(n) + c!.repeat(n) + text.slice(p);
    }
    case 6: { // splice with another corpus entry
      const other = rng.pick(corpus);
      const p = at();
      const q = rng.int(other.length + 1);
      return text.slice(0, p) + other.slice(q);
    }
    case 7: { // shuffle lines
      const lines = text.split("\n");
      for (let i = 0; i < Math.min(20, lines.length); i++) {
        const a = rng.int(lines.length);
        const b = rng.int(lines.length);
        [lines[a], lines[b]] = [lines[b]!, lines[a]!];
      }
      return lines.join("\n");
    }
    case 8: { // truncate
      return text.slice(0, at());
    }
    case 9: { // random bytes as latin-1
      const n = rng.pick(big ? [0, 1, 100, 100_000] : [0, 1, 100, 3000]);
      let s = "";
      for (let i = 0; i < n; i++) s += String.fromCharCode(rng.int(256));
      return rng.int(2) ? s : text.slice(0, at()) + s;
    }
    case 10: { // CRLF / CR line ends
      return text.replaceAll("\n", rng.pick(["\r\n", "\r", "\n\r"]));
    }
    default: { // repeat the whole input
      const times = 1 + rng.int(big ? 8 : 2);
      return text.repeat(
        Math.max(1, Math.min(times, Math.floor(LIMIT / (text.length + 1)))),
      );
    }
  }
}

const FIXTURES = `${ROOT}tests/fixtures`;

/** The report parser, fed mutated robot reports, mails and reproduce files. */
export function reportTarget(scale: FuzzScale = "ci"): FuzzTarget {
  const k = scale === "long" ? 10 : 1;
  const corpus = [
    ...readDir(`${FIXTURES}/robot-reports`, /\.txt$/),
    ...readDir(`${FIXTURES}/robot-mail`, /\.eml$/),
    ...readDir(`${FIXTURES}/real-reports`, /\.(?:txt|eml|mbox)$/),
  ];
  const diag =
    ">> drivers/x/y.c:12:5: warning: unused variable 'v' [-Wunused-variable]\n";
  return {
    name: "parseReport",
    corpus,
    edge: [
      "",
      "\0".repeat(1000),
      `tree: x\n${diag.repeat(13_000 * k)}`,
      `From: lkp@intel.com\nContent-Type: multipart/mixed; boundary=b\n\n${
        "--b\nContent-Type: multipart/mixed; boundary=b\n\n".repeat(500 * k)
      }`,
      `reproduce:\n        make.cross ${"W=1 ".repeat(10_000 * k)}\n`,
      `reproduce:\n        make.cross ${";".repeat(200_000)}\n`,
      `${"> ".repeat(20_000 * k)}tree: x\n`,
      `config: ${"a".repeat(100_000 * k)}\n`,
      `>> ${"a/".repeat(2000)}x.c:1:1: error: y\n`,
    ],
    run(input, rng) {
      if (rng.int(3) === 0 && corpus.length) {
        return parseReport(rng.pick(corpus), {
          reproduceText: input,
          reproduceOrigin: "fuzz",
          lenient: true,
        });
      }
      return parseReport(input, { lenient: rng.int(2) === 0 });
    },
  };
}

/** The matrix loader and expander, fed mutated configs/*.toml. */
export function matrixTarget(scale: FuzzScale = "ci"): FuzzTarget {
  const k = scale === "long" ? 10 : 1;
  const corpus = [
    ...readDir(`${ROOT}configs`, /\.toml$/),
    `[matrix]\narch = ["powerpc", "arm64"]\nconfig = ["defconfig"]\ncompiler = ["gcc-12.2.0"]\ntargets = ["drivers/", "a/ b/"]\n[make]\nW = ["1", "2"]\nCF = "-D__CHECK_ENDIAN__"\n[[exclude]]\narch = "arm*"\n[[include]]\narch = "x86_64"\nconfig = "defconfig"\ncompiler = "clang-15"\ntargets = "x/"\n[[override]]\nmatch = { arch = "powerpc" }\nwerror = "off"\n`,
  ];
  const tree = {
    url: "/src",
    commit: "a".repeat(40),
    useWorkingTree: false,
    workingTree: null,
    dirtyDigest: null,
  };
  return {
    name: "parseMatrix",
    corpus,
    edge: [
      "",
      `x = ${"[".repeat(100_000)}${"]".repeat(100_000)}`,
      `x = ${"{a=".repeat(100_000)}1${"}".repeat(100_000)}`,
      `[matrix]\narch = ["powerpc"]\nconfig = [${
        Array.from({ length: 1000 }, (_, i) => `"c${i}"`).join(",")
      }]\ncompiler = [${
        Array.from({ length: 1000 }, (_, i) => `"g${i}"`).join(",")
      }]\n`,
      `[matrix]\narch = ["powerpc"]\nconfig = ["d"]\ncompiler = ["g"]\n${
        `[[include]]\narch = "powerpc"\nconfig = "d"\ncompiler = "g"\n`.repeat(
          500 * k,
        )
      }`,
      `[matrix]\narch = ["powerpc"]\nconfig = ["d"]\ncompiler = ["g"]\n${
        `[[override]]\nmatch = { arch = "p*w*e*r*p*c*" }\nwerror = "off"\n`
          .repeat(500 * k)
      }`,
      `[matrix]\narch = ["${
        "a".repeat(10_000 * k)
      }"]\nconfig = ["d"]\ncompiler = ["g"]\n`,
      `${"#".repeat(100_000 * k)}\n`,
      // Lines that made the file:line locator backtrack (quadratic or worse).
      `[matrix]\narch = ["${
        "x".repeat(50_000)
      }"]\nconfig = ["d"]\ncompiler = ["g"]\n`,
      `[a${" ".repeat(50_000 * k)}\n[matrix]\narch = 1\n`,
      `[[a${" ".repeat(50_000 * k)}\n[matrix]\narch = 1\n`,
      `a${".a".repeat(20_000 * k)}\n[matrix]\narch = 1\n`,
    ],
    async run(input) {
      const loaded = parseMatrix(input, "/fuzz/m.toml");
      return await expandCells(loaded, {
        tree,
        readFile: () => Promise.resolve(new Uint8Array(0)),
      });
    },
  };
}

/** Options for `fuzz`. */
export interface FuzzOptions {
  seed: number;
  cases: number;
  /**
   * Per-input bound in CPU milliseconds (this process's user + system time,
   * so a loaded machine does not count); only something grossly out of
   * bound fails (default 5 s).
   */
  maxMs?: number;
  /** Mutation sizes (default `ci`). */
  scale?: FuzzScale;
  /** Resident memory bound for the whole process (default 2 GB). */
  maxRss?: number;
  /** Called after each case (progress in long runs). */
  onCase?: (index: number) => void;
}

/**
 * Runs `target` on its edge inputs, then on `cases` mutated or random
 * inputs drawn from `seed`.
 *
 * @returns failures (input kept so it can be replayed) and statistics
 */
export async function fuzz(
  target: FuzzTarget,
  options: FuzzOptions,
): Promise<FuzzResult> {
  const rng = new Rng(options.seed);
  const maxMs = options.maxMs ?? 5000;
  const maxRss = options.maxRss ?? 2 * 1024 * 1024 * 1024;
  const result: FuzzResult = {
    cases: 0,
    failures: [],
    slowestMs: 0,
    slowestIndex: -1,
    userErrors: 0,
  };
  const total = target.edge.length + options.cases;
  for (let index = 0; index < total; index++) {
    let input: string;
    if (index < target.edge.length) input = target.edge[index]!;
    else if (rng.int(20) === 0 || target.corpus.length === 0) {
      input = mutate(
        "",
        rng,
        target.corpus.length ? target.corpus : [""],
        options.scale,
      );
    } else {
      input = rng.pick(target.corpus);
      for (let k = 0, n = 1 + rng.int(3); k < n; k++) {
        if (input.length > LIMIT) input = input.slice(0, LIMIT);
        input = mutate(input, rng, target.corpus, options.scale);
      }
    }
    if (input.length > LIMIT) input = input.slice(0, LIMIT);
    const t0 = process.cpuUsage();
    try {
      await target.run(input, rng);
    } catch (error) {
      if (error instanceof UserError) {
        result.userErrors++;
        if (error.message.includes("\n    at ")) {
          result.failures.push({
            index,
            what: "a UserError message with a stack trace",
            input,
          });
        }
      } else {
        const e = error instanceof Error
          ? `${error.name}: ${error.message.slice(0, 300)}\n${
            (error.stack ?? "").split("\n").slice(1, 6).join("\n")
          }`
          : String(error);
        result.failures.push({ index, what: e, input });
      }
    }
    const used = process.cpuUsage(t0);
    const ms = (used.user + used.system) / 1000;
    if (ms > result.slowestMs) {
      result.slowestMs = ms;
      result.slowestIndex = index;
    }
    if (ms > maxMs) {
      result.failures.push({
        index,
        what: `took ${Math.round(ms)} ms of CPU (bound ${maxMs} ms)`,
        input,
      });
    }
    const rss = Deno.memoryUsage().rss;
    if (rss > maxRss) {
      result.failures.push({
        index,
        what: `resident memory ${Math.round(rss / 1048576)} MB (bound ${
          Math.round(maxRss / 1048576)
        } MB)`,
        input,
      });
      break;
    }
    result.cases++;
    options.onCase?.(index);
    if (result.failures.length >= 5) break;
  }
  return result;
}
