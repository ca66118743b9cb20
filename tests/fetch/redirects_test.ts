/**
 * Toolchain mirrors follow redirects under the one policy of
 * `src/util/follow_redirects.ts` (http/https only, never https → http, at
 * most 5 hops), like config, fragment and lore fetches: a real TLS loopback
 * front (its own throwaway CA, trusted through DENO_CERT) before the
 * loopback http mirror, and a real `kcross toolchain fetch`.
 */
import { assert, assertEquals, assertMatch } from "../_support/assert.ts";
import { startMirror } from "../_support/mirror.ts";
import { runTool } from "../_support/run_tool.ts";
import { tempDir } from "../_support/temp.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const VERSION = "12.2.0";
const TRIPLE = "powerpc64-linux";

/** A CA and a leaf for 127.0.0.1 it signed, in `dir`. */
async function makeCerts(
  dir: string,
): Promise<{ ca: string; cert: string; key: string }> {
  const ssl = (args: string[]) => runTool(["openssl", ...args]);
  await ssl([
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=kcross test CA",
    "-keyout",
    `${dir}/ca.key`,
    "-out",
    `${dir}/ca.pem`,
  ]);
  await ssl([
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-subj",
    "/CN=127.0.0.1",
    "-keyout",
    `${dir}/leaf.key`,
    "-out",
    `${dir}/leaf.csr`,
  ]);
  await Deno.writeTextFile(
    `${dir}/ext.cnf`,
    "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
  );
  await ssl([
    "x509",
    "-req",
    "-in",
    `${dir}/leaf.csr`,
    "-CA",
    `${dir}/ca.pem`,
    "-CAkey",
    `${dir}/ca.key`,
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    `${dir}/ext.cnf`,
    "-out",
    `${dir}/leaf.pem`,
  ]);
  return {
    ca: `${dir}/ca.pem`,
    cert: await Deno.readTextFile(`${dir}/leaf.pem`),
    key: await Deno.readTextFile(`${dir}/leaf.key`),
  };
}

/**
 * An https front on a loopback port: `route(path)` says where a path
 * redirects to (a full URL), or null to proxy it to `upstream`.
 */
function startFront(
  tls: { cert: string; key: string },
  upstream: string,
  route: (path: string, self: string) => string | null,
) {
  const seen: string[] = [];
  let self = "";
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    cert: tls.cert,
    key: tls.key,
    onListen() {},
  }, async (req) => {
    const url = new URL(req.url);
    seen.push(url.pathname);
    const to = route(url.pathname, self);
    if (to !== null) {
      return new Response(null, { status: 302, headers: { location: to } });
    }
    const path = url.pathname.replace(/^\/r\d*\//, "/");
    const res = await fetch(`${upstream}${path}`, {
      method: req.method,
      headers: req.headers,
    });
    return new Response(res.body, { status: res.status, headers: res.headers });
  });
  self = `https://127.0.0.1:${server.addr.port}`;
  return {
    url: self,
    seen,
    [Symbol.asyncDispose]: () => server.shutdown(),
  };
}

async function fetchVia(mirror: string, ca: string, cache: string) {
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--quiet",
      MAIN,
      "toolchain",
      "fetch",
      `gcc-${VERSION}`,
      "powerpc64",
      "--triple",
      TRIPLE,
      "--mirror",
      mirror,
    ],
    env: {
      KCROSS_CACHE_DIR: cache,
      PATH: "/nonexistent:/usr/bin:/bin",
      NO_COLOR: "1",
      KCROSS_MIRROR: "",
      DENO_CERT: ca,
    },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: r.code, stdout: text(r.stdout), stderr: text(r.stderr) };
}

function installed(cache: string): boolean {
  try {
    return [...Deno.readDirSync(`${cache}/toolchains`)].some((e) =>
      !e.name.startsWith(".")
    );
  } catch {
    return false;
  }
}

Deno.test("an https toolchain mirror redirecting to http is refused (exit 3, one line, nothing installed); https to https is followed, at most 5 hops", async (t) => {
  await using dir = await tempDir("kcross-redirects-");
  const tls = await makeCerts(`${dir}`);
  await using http = await startMirror({
    toolchains: [{ version: VERSION, triple: TRIPLE }],
  });
  const archive = http.archivePath(VERSION, TRIPLE);
  const upstreamGets = () => http.archiveGets(VERSION, TRIPLE).length;

  const cases: {
    name: string;
    route: (path: string, self: string) => string | null;
    code: number;
    error?: RegExp;
  }[] = [
    {
      name: "the archive redirected to http",
      route: (p) => p === archive ? `${http.url}${archive}` : null,
      code: 3,
      error:
        /^error: Refusing a redirect from https to http for the toolchain archive: "http:\/\/127\.0\.0\.1:\d+\/pub\/tools\/crosstool\/.*\.tar\.xz"$/m,
    },
    {
      name: "the listing redirected to http",
      route: (p) => p.endsWith(`/${VERSION}/`) ? `${http.url}${p}` : null,
      code: 3,
      error:
        /^error: Cannot get gcc 12\.2\.0 for "powerpc64-linux": Refusing a redirect from https to http for the mirror file: "http:\/\/127\.0\.0\.1:\d+\//m,
    },
    {
      name: "six https hops",
      route: (p, self) => {
        if (p !== archive && !/^\/r\d\//.test(p)) return null;
        const n = Number(/^\/r(\d)\//.exec(p)?.[1] ?? 0);
        return `${self}/r${n + 1}${archive}`;
      },
      code: 3,
      error:
        /^error: Too many redirects fetching the toolchain archive ".*" \(more than 5\)$/m,
    },
    {
      name: "two https hops",
      route: (p, self) =>
        p === archive
          ? `${self}/r1${archive}`
          : p === `/r1${archive}`
          ? `${self}/r2${archive}`
          : null,
      code: 0,
    },
  ];
  for (const c of cases) {
    await t.step(c.name, async () => {
      await using cache = await tempDir("kcross-redirects-cache-");
      const before = upstreamGets();
      await using front = startFront(tls, http.url, c.route);
      const r = await fetchVia(front.url, tls.ca, `${cache}`);
      assertEquals(
        r.code,
        c.code,
        `${r.stderr}\nfront saw: ${front.seen.join(" ")}`,
      );
      if (c.error) {
        assertMatch(r.stderr, c.error);
        assertEquals(
          r.stderr.split("\n").filter((l) => l.startsWith("error:")).length,
          1,
          r.stderr,
        );
        assert(!/ {4}at /.test(r.stderr), r.stderr);
        assert(!installed(`${cache}`), "installed after a refused redirect");
        // Nothing was taken from the http side of the redirect.
        assertEquals(upstreamGets(), before);
      } else {
        assert(installed(`${cache}`), r.stderr);
        assertEquals(upstreamGets(), before + 1);
      }
    });
  }
});
