import { assert, assertMatch, assertRejects } from "../_support/assert.ts";
import {
  locateClang,
  NotOnMirror,
} from "../../src/toolchain/locate_on_mirror.ts";
import { parseCompiler } from "../../src/toolchain/catalog.ts";
import { hostNames } from "../../src/toolchain/naming.ts";
import type { Mirror } from "../../src/toolchain/plan_fetch.ts";

function index(names: string[]): string {
  return `<html><body><pre><a href="../">../</a>\n${
    names.map((n) => `<a href="${n}">${n}</a>   01-Jan-2026 00:00   -`).join(
      "\n",
    )
  }\n</pre></body></html>`;
}

/** 01.org lists clang-17/ and clang-18/; clang-17/ holds no archive. */
const fakeFetch: typeof fetch = (input) => {
  const path = new URL(String(input)).pathname;
  const listings: Record<string, string[]> = {
    "/": ["clang-17/", "clang-18/"],
    "/clang-17/": ["README"],
    "/clang-18/": ["clang-18.tar.xz", "clang.tar.xz"],
  };
  const names = listings[path];
  return Promise.resolve(
    names
      ? new Response(index(names))
      : new Response("not found", { status: 404 }),
  );
};

Deno.test("a listed clang dir without its archive says so and never offers the same clang instead", async () => {
  const mirror: Mirror = {
    name: "c",
    base: "http://m",
    layout: "cross-package",
  };
  const e = await assertRejects(
    () =>
      locateClang(mirror, parseCompiler("clang-17"), hostNames("x86_64"), {
        fetchImpl: fakeFetch,
      }),
    NotOnMirror,
  );
  assertMatch(e.message, /clang-17\/ has no /);
  assert(!/clang-17/.test(e.hint ?? ""), e.hint);
  assertMatch(e.hint ?? "", /clang-18/);
});
