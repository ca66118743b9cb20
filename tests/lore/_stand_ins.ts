/**
 * Loopback stand-ins laid out like the real servers: a public-inbox archive
 * (`/<list>/<msgid>/raw` as mboxrd, `/<list>/<msgid>/t.mbox.gz` gzipped,
 * `all` holding every list, lore's `/r/` alias and `<msgid>` → `<msgid>/`
 * redirects, 404 for the unknown) and download.01.org
 * (`/0day-ci/archive/<date>/<id>/reproduce` and `config.gz`). Both count the
 * requests they answer.
 *
 * @module
 */
import { gzipSync } from "node:zlib";
import { escapeMessageId } from "../../src/lore/message_id.ts";
import { loadFixtures } from "../report/_fixtures.ts";

/** A message of the stand-in archive. */
export interface ArchivedMessage {
  list: string;
  messageId: string;
  /** The whole message (headers and body). */
  text: string;
  /** The Message-ID of the thread's first message. */
  thread: string;
}

/** A running stand-in. */
export interface StandIn extends AsyncDisposable {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  /** Extra routes: path → response factory. */
  routes: Map<string, () => Response>;
}

/** The robot's Message-ID of fixture 037 (a new-format report). */
export const ROBOT_ID = "202409251336.ToC0TvWB-lkp@intel.com";
/** A developer's reply to it. */
export const REPLY_ID = "Zv1Bx2y3+reply/odd%id@kernel.org";

/** The fixture-037 report as the robot's e-mail, plus a reply in its thread. */
export function robotThread(): ArchivedMessage[] {
  const f = loadFixtures().find((x) => x.id === "037")!;
  const robot = [
    "From: kernel test robot <lkp@intel.com>",
    "To: Some Developer <dev@example.org>",
    "Subject: drivers/soc/fsl/x.c:1:2: sparse: sparse: bad",
    `Message-ID: <${ROBOT_ID}>`,
    "Content-Type: text/plain; charset=us-ascii",
    "",
    f.text,
    // a body line mboxrd must quote and the reader unquote
    "From the robot, with love",
  ].join("\n");
  const reply = [
    "From: Some Developer <dev@example.org>",
    "Subject: Re: drivers/soc/fsl/x.c:1:2: sparse: sparse: bad",
    `Message-ID: <${REPLY_ID}>`,
    `In-Reply-To: <${ROBOT_ID}>`,
    `References: <${ROBOT_ID}>`,
    "",
    "On Wed, kernel test robot wrote:",
    ...f.text.split("\n").map((l) => `> ${l}`),
    "",
    "Thanks, fixed in v2.",
  ].join("\n");
  return [
    {
      list: "oe-kbuild-all",
      messageId: ROBOT_ID,
      text: robot,
      thread: ROBOT_ID,
    },
    {
      list: "oe-kbuild-all",
      messageId: REPLY_ID,
      text: reply,
      thread: ROBOT_ID,
    },
  ];
}

function mboxrd(messages: readonly ArchivedMessage[]): string {
  return messages.map((m) =>
    "From mboxrd@z Thu Jan  1 00:00:00 1970\n" +
    m.text.replace(/^(>*From )/gm, ">$1") + "\n"
  ).join("\n");
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function serve(
  handler: (path: string, url: URL) => Response,
): Promise<StandIn> {
  const requests: string[] = [];
  const routes = new Map<string, () => Response>();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen: () => {} },
    (req) => {
      const url = new URL(req.url);
      requests.push(url.pathname);
      const route = routes.get(url.pathname);
      return route ? route() : handler(url.pathname, url);
    },
  );
  return Promise.resolve({
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    routes,
    [Symbol.asyncDispose]: () => server.shutdown(),
  });
}

/**
 * A public-inbox stand-in serving `messages`.
 *
 * @param messages the archive
 * @param prefix a path prefix (a mirror under `/lore`), default none
 */
export function publicInbox(
  messages: readonly ArchivedMessage[],
  prefix = "",
): Promise<StandIn> {
  return serve((path) => {
    if (!path.startsWith(`${prefix}/`)) {
      return new Response("no", { status: 404 });
    }
    const parts = path.slice(prefix.length + 1).split("/");
    const [list, mid, ...rest] = parts;
    if (list === undefined || mid === undefined) {
      return new Response("Not Found\n", { status: 404 });
    }
    // lore: /r/<msgid>… is the all inbox
    if (list === "r") {
      return new Response(null, {
        status: 301,
        headers: { location: `${prefix}/all/${parts.slice(1).join("/")}` },
      });
    }
    const id = decode(mid);
    const inbox = messages.filter((m) => list === "all" || m.list === list);
    const hit = inbox.filter((m) => m.messageId === id);
    const suffix = rest.join("/");
    if (hit.length === 0) return new Response("Not Found\n", { status: 404 });
    if (parts.length === 2) {
      return new Response(null, {
        status: 301,
        headers: { location: `${prefix}/${list}/${escapeMessageId(id)}/` },
      });
    }
    if (suffix === "raw") {
      return new Response(mboxrd(hit), {
        headers: { "content-type": "text/plain; charset=utf-8" },
      });
    }
    if (suffix === "t.mbox.gz") {
      const thread = inbox.filter((m) => m.thread === hit[0]!.thread);
      return new Response(gz(mboxrd(thread)) as BodyInit, {
        headers: { "content-type": "application/gzip" },
      });
    }
    return new Response("<html><pre>not raw</pre></html>", {
      headers: { "content-type": "text/html" },
    });
  });
}

/** The files a download.01.org stand-in serves, by archive path. */
export type ArchiveFiles = Map<string, Uint8Array>;

/**
 * A download.01.org stand-in serving `files` (`/0day-ci/archive/…` paths).
 */
export function download01(files: ArchiveFiles): Promise<StandIn> {
  return serve((path) => {
    const body = files.get(path);
    return body === undefined
      ? new Response("Not Found\n", { status: 404 })
      : new Response(body as BodyInit);
  });
}

/** `text` gzipped. */
export function gz(text: string): Uint8Array {
  return new Uint8Array(gzipSync(new TextEncoder().encode(text)));
}
