// deno-lint-ignore-file no-console -- a benchmark prints its measurements
/**
 * Benchmark: install of a >=100 MB single-block .tar.xz toolchain from a
 * loopback mirror, `kcross toolchain fetch` (whole process: listing, download,
 * sha256, and the one pass xz -dc | tee(tar -x, gpgv .tar.sign), safety walk,
 * manifest, rename) with `.tar.sign` verification on, and with it off (the
 * mirror publishing only a signed sha256sums.asc: tar -xJf - alone), vs
 * `curl -s URL | tar -xJf -` of the same file on the same disk, interleaved;
 * plus the `xz -d` floor. The load average is printed before and after
 * (other work on the machine skews wall times; compare the ratios).
 *
 * The archive is built once from /usr/lib/llvm-15 (real binaries, packaged in
 * the crosstool layout) with `xz -1 -T1` (one block) and kept in
 * /var/tmp/kcross-bench. Run: deno run -A bench/toolchain_install.ts [runs]
 *
 * @module
 */
import { startMirror } from "../tests/_support/mirror.ts";
import { runOk } from "./_support.ts";

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
const mirror = await startMirror({
  toolchains: [{ version: VERSION, triple: TRIPLE, archive: ARCHIVE }],
});
// The same file with no .tar.sign: verified by the signed sha256sums.asc only.
const plain = await startMirror({
  toolchains: [{
    version: VERSION,
    triple: TRIPLE,
    archive: ARCHIVE,
    unsigned: true,
  }],
});
const url = `${mirror.url}${mirror.archivePath(VERSION, TRIPLE)}`;
const curlT: Timing[] = [];
const kcrossT: Timing[] = [];
const plainT: Timing[] = [];
const xzT: Timing[] = [];
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
try {
  for (let i = 0; i < RUNS; i++) {
    const out = `${WORK}/curl-out`;
    Deno.mkdirSync(out, { recursive: true });
    curlT.push(
      await timed([
        "bash",
        "-c",
        'set -o pipefail; curl -fsS "$0" | tar -xJf - -C "$1"',
        url,
        out,
      ]),
    );
    await Deno.remove(out, { recursive: true });

    const cache = `${WORK}/kcross-cache`;
    const env = {
      KCROSS_CACHE_DIR: cache,
      KCROSS_GPG_KEYRING: mirror.keyring,
      PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    };
    kcrossT.push(await timed(fetchArgv(mirror.url), env));
    await Deno.remove(cache, { recursive: true });
    plainT.push(await timed(fetchArgv(plain.url), env));
    await Deno.remove(cache, { recursive: true });

    xzT.push(await timed(["bash", "-c", 'xz -dc "$0" > /dev/null', ARCHIVE]));
    const f = (t: Timing) =>
      `${t.wall.toFixed(2)} s (cpu ${t.cpu.toFixed(2)} s)`;
    console.log(
      `run ${i + 1}: curl|tar ${f(curlT[i]!)}, kcross+.tar.sign ${
        f(kcrossT[i]!)
      }, kcross sha256 only ${f(plainT[i]!)}, xz -d ${f(xzT[i]!)}`,
    );
  }
} finally {
  await mirror.close();
  await plain.close();
}
const w = (ts: Timing[]) => median(ts.map((t) => t.wall));
const c = (ts: Timing[]) => median(ts.map((t) => t.cpu));
console.log(
  `archive: ${
    (size / 1e6).toFixed(1)
  } MB single-block .tar.xz, ${RUNS} interleaved runs (medians)`,
);
console.log(
  `baseline curl | tar -xJf -: ${w(curlT).toFixed(2)} s wall, ${
    c(curlT).toFixed(2)
  } s cpu`,
);
console.log(
  `kcross fetch + .tar.sign:   ${w(kcrossT).toFixed(2)} s wall, ${
    c(kcrossT).toFixed(2)
  } s cpu`,
);
console.log(
  `kcross fetch, sha256 only:  ${w(plainT).toFixed(2)} s wall, ${
    c(plainT).toFixed(2)
  } s cpu`,
);
console.log(
  `ratio with .tar.sign:       ${(w(kcrossT) / w(curlT)).toFixed(3)}x wall, ${
    (c(kcrossT) / c(curlT)).toFixed(3)
  }x cpu (target <= 1.05x wall)`,
);
console.log(
  `ratio without .tar.sign:    ${(w(plainT) / w(curlT)).toFixed(3)}x wall, ${
    (c(plainT) / c(curlT)).toFixed(3)
  }x cpu`,
);
console.log(
  `floor xz -d > /dev/null:    ${w(xzT).toFixed(2)} s wall, ${
    c(xzT).toFixed(2)
  } s cpu`,
);
console.log(`load average after: ${loadavg()}`);
