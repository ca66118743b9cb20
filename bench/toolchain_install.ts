// deno-lint-ignore-file no-console -- a benchmark prints its measurements
/**
 * Benchmark: install of a >=100 MB single-block .tar.xz toolchain from a
 * loopback mirror, `kcross toolchain fetch` (whole process: listing, download,
 * sha256, the one pass xz -dc → tee → tar -x + gpgv .tar.sign joined by
 * kernel pipes, safety walk, manifest, rename) vs `curl -s URL | tar -xJf -`
 * of the same file on the same disk, in interleaved rounds:
 *
 * - `.tar.sign` made with SHA-256 (an ed25519 key) and with SHA-512 (an RSA
 *   key: gpg 2.2's choice for RSA). Which digest kernel.org's crosstool
 *   `.tar.sign` uses is not known from a stored copy, so both are measured;
 *   SHA-256 has SHA-NI on current x86 CPUs, but gpgv hashes byte by byte, so
 *   the two differ less than the hashes do;
 * - no `.tar.sign` (the signed sha256sums.asc only: `tar -xJf -` alone);
 * - the `xz -d > /dev/null` floor.
 *
 * Wall and CPU (user+sys of the whole process tree) medians and ratios are
 * printed; the load average before and after (on a busy machine compare the
 * CPU ratios: on 2 cores the wall is set by the slowest stage, xz -d).
 *
 * The archive is built once from /usr/lib/llvm-15 (real binaries, packaged in
 * the crosstool layout) with `xz -1 -T1` (one block) and kept in
 * /var/tmp/kcross-bench. Run: deno run -A bench/toolchain_install.ts [runs]
 *
 * @module
 */
import { makeSigningKey, startMirror } from "../tests/_support/mirror.ts";
import { runOk, settle } from "./_support.ts";

const RUNS = Number(Deno.args[0] ?? 3);
const WORK = Deno.env.get("KCROSS_BENCH_DIR") ?? "/var/tmp/kcross-bench";
const VERSION = "13.2.0";
const TRIPLE = "x86_64-linux";
const ARCHIVE = `${WORK}/x86_64-gcc-${VERSION}-nolibc-${TRIPLE}.tar.xz`;
const MAIN = new URL("../main.ts", import.meta.url).pathname;

async function buildArchive(): Promise<void> {
  try {
    if (Deno.statSync(ARCHIVE).size >= 100e6) return;
  } catch { /* build it */ }
  Deno.mkdirSync(WORK, { recursive: true });
  const src = `${WORK}/src`;
  await Deno.remove(src, { recursive: true }).catch(() => {});
  const top = `${src}/gcc-${VERSION}-nolibc/${TRIPLE}`;
  Deno.mkdirSync(top, { recursive: true });
  console.log(
    "building the benchmark archive from /usr/lib/llvm-15 and /usr/lib/gcc-cross ...",
  );
  await runOk(["cp", "-a", "/usr/lib/llvm-15/.", top]);
  await runOk(["cp", "-a", "/usr/lib/gcc-cross", `${top}/lib/`]);
  // Links leaving the tree would (rightly) be rejected: drop them.
  const links = (await runOk(["find", top, "-type", "l"])).split("\n").filter((
    l,
  ) => l);
  for (const l of links) {
    const t = Deno.readLinkSync(l);
    const depth = l.slice(top.length + 1).split("/").length - 1;
    const ups = t.split("/").filter((p) => p === "..").length;
    if (t.startsWith("/") || ups > depth) Deno.removeSync(l);
  }
  Deno.writeTextFileSync(
    `${top}/bin/${TRIPLE}-gcc`,
    '#!/bin/sh\nexec gcc "$@"\n',
    {
      mode: 0o755,
    },
  );
  const tar = `${WORK}/a.tar`;
  await runOk([
    "tar",
    "-cf",
    tar,
    "-C",
    src,
    "--owner=0",
    "--group=0",
    "--sort=name",
    `gcc-${VERSION}-nolibc`,
  ]);
  await runOk(["xz", "-1", "-T1", "-f", tar]);
  Deno.renameSync(`${tar}.xz`, ARCHIVE);
  await Deno.remove(src, { recursive: true });
  const size = Deno.statSync(ARCHIVE).size;
  if (size < 100e6) {
    console.log(`warning: archive is only ${(size / 1e6).toFixed(0)} MB`);
  }
}

interface Timing {
  wall: number;
  /** user+sys CPU seconds of the whole process tree (from /usr/bin/time). */
  cpu: number;
}

const HAVE_TIME = (() => {
  try {
    Deno.statSync("/usr/bin/time");
    return true;
  } catch {
    return false;
  }
})();

/** Runs argv under /usr/bin/time: wall and CPU of it and its children. */
async function timed(
  argv: string[],
  env: Record<string, string> = {},
): Promise<Timing> {
  await settle();
  const t = performance.now();
  if (!HAVE_TIME) {
    await runOk(argv, env);
    return { wall: (performance.now() - t) / 1000, cpu: NaN };
  }
  const tf = await Deno.makeTempFile();
  try {
    await runOk(["/usr/bin/time", "-o", tf, "-f", "%e %U %S", ...argv], env);
    const [, u, s] = Deno.readTextFileSync(tf).trim().split("\n").pop()!.split(
      " ",
    ).map(Number);
    return { wall: (performance.now() - t) / 1000, cpu: u! + s! };
  } finally {
    Deno.removeSync(tf);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function loadavg(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(
      " ",
    );
  } catch {
    return "?";
  }
}

await buildArchive();
const size = Deno.statSync(ARCHIVE).size;
console.log(
  `load average before: ${loadavg()} (${navigator.hardwareConcurrency} CPUs)`,
);
const toolchain = { version: VERSION, triple: TRIPLE, archive: ARCHIVE };
const mirror = await startMirror({ toolchains: [toolchain] });
const rsaKey = await makeSigningKey(undefined, "rsa3072");
const rsa = await startMirror({
  toolchains: [toolchain],
  gpgHome: rsaKey.home,
});
// The same file with no .tar.sign: verified by the signed sha256sums.asc only.
const plain = await startMirror({
  toolchains: [{ ...toolchain, unsigned: true }],
});
const url = `${mirror.url}${mirror.archivePath(VERSION, TRIPLE)}`;

/** One measured way of installing the archive. */
interface Variant {
  label: string;
  run: () => Promise<Timing>;
  times: Timing[];
}

const fetchArgv = (base: string) => [
  Deno.execPath(),
  "run",
  "-A",
  "--quiet",
  MAIN,
  "toolchain",
  "fetch",
  `gcc-${VERSION}`,
  "x86_64",
  "--mirror",
  base,
  "--quiet",
];
const cache = `${WORK}/kcross-cache`;
const kcross = (base: string, keyring: string) => async () => {
  const env = {
    KCROSS_CACHE_DIR: cache,
    KCROSS_GPG_KEYRING: keyring,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
  };
  try {
    return await timed(fetchArgv(base), env);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
};
const variants: Variant[] = [
  {
    label: "curl | tar -xJf -",
    times: [],
    run: async () => {
      const out = `${WORK}/curl-out`;
      Deno.mkdirSync(out, { recursive: true });
      try {
        return await timed([
          "bash",
          "-c",
          'set -o pipefail; curl -fsS "$0" | tar -xJf - -C "$1"',
          url,
          out,
        ]);
      } finally {
        await Deno.remove(out, { recursive: true });
      }
    },
  },
  {
    label: "kcross, .tar.sign SHA-256",
    times: [],
    run: kcross(mirror.url, mirror.keyring),
  },
  {
    label: "kcross, .tar.sign SHA-512",
    times: [],
    run: kcross(rsa.url, rsa.keyring),
  },
  {
    label: "kcross, sha256sums.asc only",
    times: [],
    run: kcross(plain.url, mirror.keyring),
  },
  {
    label: "floor: xz -d > /dev/null",
    times: [],
    run: () => timed(["bash", "-c", 'xz -dc "$0" > /dev/null', ARCHIVE]),
  },
];
const f = (t: Timing) => `${t.wall.toFixed(2)} s (cpu ${t.cpu.toFixed(2)} s)`;
try {
  for (let i = 0; i < RUNS; i++) {
    // Interleaved, and the order rotated each round: a burst of other load
    // does not land on one variant only.
    const order = variants.map((_, k) => variants[(k + i) % variants.length]!);
    for (const v of order) v.times.push(await v.run());
    console.log(
      `round ${i + 1}: ${
        variants.map((v) => `${v.label} ${f(v.times[i]!)}`).join("; ")
      }`,
    );
  }
} finally {
  await mirror.close();
  await rsa.close();
  await plain.close();
  await Deno.remove(rsaKey.home, { recursive: true }).catch(() => {});
}
const w = (ts: Timing[]) => median(ts.map((t) => t.wall));
const c = (ts: Timing[]) => median(ts.map((t) => t.cpu));
const base = variants[0]!.times;
console.log(
  `archive: ${
    (size / 1e6).toFixed(1)
  } MB single-block .tar.xz, ${RUNS} interleaved rounds (medians)`,
);
for (const v of variants) {
  console.log(
    `${v.label.padEnd(30)} ${w(v.times).toFixed(2)} s wall, ${
      c(v.times).toFixed(2)
    } s cpu; ratio to curl|tar ${(w(v.times) / w(base)).toFixed(3)}x wall, ${
      (c(v.times) / c(base)).toFixed(3)
    }x cpu`,
  );
}
console.log(
  "target: kcross with .tar.sign <= 1.05x the wall of curl | tar -xJf - (idle machine)",
);
console.log(`load average after: ${loadavg()}`);
