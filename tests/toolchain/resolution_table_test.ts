/**
 * The resolution table: for one fixed kernel.org listing (the shape of
 * `lftp find -d 3`), what kcross resolves each request to (version, file,
 * triple) next to what make.cross's own pipeline picks from the same list
 * (the real `sort -V | grep | tail -1`, run here with coreutils/grep).
 * docs/toolchains.md documents every row where they differ and why.
 */
import { assertEquals } from "../_support/assert.ts";
import { parseCompiler } from "../../src/toolchain/catalog.ts";
import { hostNames } from "../../src/toolchain/naming.ts";
import {
  locateClang,
  locateGcc,
  NotOnMirror,
} from "../../src/toolchain/locate_on_mirror.ts";
import type { Mirror } from "../../src/toolchain/plan_fetch.ts";

/** crosstool files, as `find -d 3` lists them under bin/ (host/version/file). */
const CROSSTOOL = [
  "x86_64/4.9.0/x86_64-gcc-4.9.0-nolibc_arm-unknown-linux-gnueabi.tar.xz",
  "x86_64/4.9.0/x86_64-gcc-4.9.0-nolibc_powerpc64-linux.tar.xz",
  "x86_64/7.3.0/x86_64-gcc-7.3.0-nolibc_powerpc-linux.tar.xz",
  "x86_64/8.5.0/x86_64-gcc-8.5.0-nolibc-arc-linux.tar.gz",
  "x86_64/8.5.0/x86_64-gcc-8.5.0-nolibc-sparc-linux.tar.gz",
  "x86_64/8.5.0/x86_64-gcc-8.5.0-nolibc-sparc-linux.tar.xz",
  "x86_64/9.3.0/x86_64-gcc-9.3.0-nolibc-arc-elf.tar.xz",
  "x86_64/9.3.0/x86_64-gcc-9.3.0-nolibc-sparc-linux.tar.xz",
  "x86_64/12.2.0/x86_64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz",
  "x86_64/12.2.0/x86_64-gcc-12.2.0-nolibc-powerpc64le-linux.tar.xz",
  "x86_64/12.2.0/x86_64-gcc-12.2.0-nolibc-arm-linux-gnueabi.tar.xz",
  "x86_64/14.2.0/x86_64-gcc-14.2.0-nolibc-powerpc64le-linux.tar.xz",
  "x86_64/15.2.0/x86_64-gcc-15.2.0-nolibc-powerpc64-linux.tar.xz",
  "x86_64/16.1.0/x86_64-gcc-16.1.0-nolibc-powerpc64-linux.tar.xz",
  "arm64/12.2.0/arm64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz",
];
const LLVM = [
  "llvm-18.1.0-rc4-x86_64.tar.xz",
  "llvm-18.1.8-x86_64.tar.xz",
  "llvm-21.1.0-rc3-x86_64.tar.xz",
  "llvm-21.1.0-x86_64.tar.xz",
  "llvm-21.1.8-x86_64.tar.xz",
  "llvm-21.1.8-aarch64.tar.xz",
  "llvm-22.1.8-x86_64.tar.xz",
  "llvm-23.1.0-rc1-x86_64.tar.xz",
];

function index(names: string[]): string {
  return `<html><head><title>Index</title></head><body><pre><a href="../">../</a>\n${
    names.map((n) =>
      `<a href="${n}">${
        n.length > 50 ? `${n.slice(0, 47)}..&gt;` : n
      }</a>   01-Jan-2026 00:00   -`
    )
      .join("\n")
  }\n</pre></body></html>`;
}

/** A fetch serving the listings above (no sockets). */
const fakeFetch: typeof fetch = (input) => {
  const path = new URL(String(input)).pathname;
  const children = (prefix: string, all: string[]) => [
    ...new Set(
      all.filter((p) => p.startsWith(prefix)).map((p) => {
        const rest = p.slice(prefix.length);
        return rest.includes("/") ? `${rest.split("/")[0]}/` : rest;
      }),
    ),
  ];
  const ct = "/pub/tools/crosstool/files/bin/";
  if (path.startsWith(ct)) {
    const names = children(path.slice(ct.length), CROSSTOOL);
    if (names.length) return Promise.resolve(new Response(index(names)));
  }
  if (path === "/pub/tools/llvm/files/") {
    return Promise.resolve(new Response(index(LLVM)));
  }
  return Promise.resolve(new Response("not found", { status: 404 }));
};

const KORG: Mirror = { name: "k", base: "http://m", layout: "crosstool" };
const KORG_LLVM: Mirror = { name: "k", base: "http://m", layout: "llvm" };

/** make.cross's pick from the same list, with the real grep/sort/tail. */
async function makeCross(compiler: string, triple: string): Promise<string> {
  const clang = compiler.includes("clang");
  const list = clang
    ? LLVM.map((f) => `./${f}`)
    : CROSSTOOL.filter((p) => p.startsWith("x86_64/")).map((p) =>
      `./${p.slice("x86_64/".length)}`
    );
  const version = compiler.includes("-")
    ? compiler.slice(compiler.lastIndexOf("-") + 1)
    : "";
  // make.cross: `find -d 3 | sort -V`, then (kbuild/make.cross, 2025-11):
  //   gcc:   grep "\-${triple}\..*tar\.xz$" | grep "${gcc_version}" | tail -1
  //   clang: grep -E "${COMPILER//clang/llvm}\..*-x86_64\.tar\.xz$" | tail -1
  const script = clang
    ? `sort -V | grep -E "$1\\..*-x86_64\\.tar\\.xz$" | tail -1`
    : `sort -V | grep "\\-$2\\..*tar\\.xz$" | grep "$3" | tail -1`;
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      script,
      "sh",
      compiler.replace("clang", "llvm"),
      triple,
      version,
    ],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const w = child.stdin.getWriter();
  await w.write(new TextEncoder().encode(list.join("\n") + "\n"));
  await w.close();
  const out = new TextDecoder().decode((await child.output()).stdout).trim();
  return out.replace(/^\.\/(?:[^/]+\/)?/, "") || "-";
}

async function kcross(
  compiler: string,
  triple: string,
  host = "x86_64",
): Promise<string> {
  const spec = parseCompiler(compiler);
  try {
    const l = spec.family === "gcc"
      ? await locateGcc(KORG, spec, triple, hostNames(host), {
        fetchImpl: fakeFetch,
      })
      : await locateClang(KORG_LLVM, spec, hostNames(host), {
        fetchImpl: fakeFetch,
      });
    return `${l.version} ${l.archiveName}${
      l.substituteFor ? " (substitute)" : ""
    }`;
  } catch (error) {
    if (error instanceof NotOnMirror) return "not listed";
    throw error;
  }
}

/** request, triple, host → kcross's pick, make.cross's pick. */
const TABLE: [string, string, string, string, string][] = [
  [
    "gcc-12.2.0",
    "powerpc64-linux",
    "x86_64",
    "12.2.0 x86_64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz",
    "x86_64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz",
  ],
  [
    "gcc-16",
    "powerpc64-linux",
    "x86_64",
    "16.1.0 x86_64-gcc-16.1.0-nolibc-powerpc64-linux.tar.xz",
    "x86_64-gcc-16.1.0-nolibc-powerpc64-linux.tar.xz",
  ],
  [
    "gcc",
    "powerpc64-linux",
    "x86_64",
    "16.1.0 x86_64-gcc-16.1.0-nolibc-powerpc64-linux.tar.xz",
    "x86_64-gcc-16.1.0-nolibc-powerpc64-linux.tar.xz",
  ],
  // "4" matches "x86_64" in every name: make.cross takes the newest of all.
  [
    "gcc-4",
    "powerpc64-linux",
    "x86_64",
    "4.9.0 x86_64-gcc-4.9.0-nolibc_powerpc64-linux.tar.xz",
    "x86_64-gcc-16.1.0-nolibc-powerpc64-linux.tar.xz",
  ],
  // Underscore names: make.cross's "\-<triple>" never matches them.
  [
    "gcc-7.3.0",
    "powerpc-linux",
    "x86_64",
    "7.3.0 x86_64-gcc-7.3.0-nolibc_powerpc-linux.tar.xz",
    "-",
  ],
  [
    "gcc-4.9.0",
    "arm-linux-gnueabi",
    "x86_64",
    "4.9.0 x86_64-gcc-4.9.0-nolibc_arm-unknown-linux-gnueabi.tar.xz",
    "-",
  ],
  // Only .tar.gz: make.cross greps tar.xz only.
  [
    "gcc-8.5.0",
    "arc-linux",
    "x86_64",
    "8.5.0 x86_64-gcc-8.5.0-nolibc-arc-linux.tar.gz",
    "-",
  ],
  // 9.3.0 has arc-elf only; a partial request falls back to a version that has arc-linux.
  ["gcc-9.3.0", "arc-linux", "x86_64", "not listed", "-"],
  [
    "gcc-9",
    "sparc-linux",
    "x86_64",
    "9.3.0 x86_64-gcc-9.3.0-nolibc-sparc-linux.tar.xz",
    "x86_64-gcc-9.3.0-nolibc-sparc-linux.tar.xz",
  ],
  // No powerpc64le in 15.x/16.x: the newest version that has it.
  [
    "gcc",
    "powerpc64le-linux",
    "x86_64",
    "14.2.0 x86_64-gcc-14.2.0-nolibc-powerpc64le-linux.tar.xz",
    "x86_64-gcc-14.2.0-nolibc-powerpc64le-linux.tar.xz",
  ],
  [
    "gcc-12.2.0",
    "powerpc64-linux",
    "aarch64",
    "12.2.0 arm64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz",
    "x86_64-gcc-12.2.0-nolibc-powerpc64-linux.tar.xz",
  ],
  [
    "clang-21",
    "x86_64-linux",
    "x86_64",
    "21.1.8 llvm-21.1.8-x86_64.tar.xz",
    "llvm-21.1.8-x86_64.tar.xz",
  ],
  [
    "clang-18",
    "x86_64-linux",
    "x86_64",
    "18.1.8 llvm-18.1.8-x86_64.tar.xz",
    "llvm-18.1.8-x86_64.tar.xz",
  ],
  // An exact version: make.cross's "llvm-21.1.0\." needs a dot after it.
  [
    "clang-21.1.0",
    "x86_64-linux",
    "x86_64",
    "21.1.0 llvm-21.1.0-x86_64.tar.xz",
    "-",
  ],
  [
    "clang-23",
    "x86_64-linux",
    "x86_64",
    "23.1.0-rc1 llvm-23.1.0-rc1-x86_64.tar.xz",
    "llvm-23.1.0-rc1-x86_64.tar.xz",
  ],
  [
    "llvm-21.1.0-rc3",
    "x86_64-linux",
    "x86_64",
    "21.1.0-rc3 llvm-21.1.0-rc3-x86_64.tar.xz",
    "-",
  ],
  [
    "clang-22.0.0git",
    "x86_64-linux",
    "x86_64",
    "22.1.8 llvm-22.1.8-x86_64.tar.xz (substitute)",
    "-",
  ],
  [
    "clang-21",
    "x86_64-linux",
    "aarch64",
    "21.1.8 llvm-21.1.8-aarch64.tar.xz",
    "llvm-21.1.8-x86_64.tar.xz",
  ],
];

Deno.test("the resolution table: kcross's picks from a fixed listing, next to make.cross's", async (t) => {
  for (const [request, triple, host, want, mc] of TABLE) {
    await t.step(`${request} ${triple} on ${host}`, async () => {
      assertEquals(await kcross(request, triple, host), want);
      // make.cross only knows x86_64 hosts and has no …git or -rcN requests.
      if (!request.endsWith("git") && !request.includes("-rc")) {
        assertEquals(await makeCross(request, triple), mc);
      }
    });
  }
});
