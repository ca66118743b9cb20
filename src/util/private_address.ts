/**
 * Whether a URL reaches this machine or a private network: loopback,
 * RFC 1918, link-local (169.254.169.254, the cloud metadata service),
 * CGNAT, unique-local, multicast and reserved addresses, in every spelling
 * the URL parser accepts (`http://2130706433/`, `0x7f.1`, `[::ffff:7f00:1]`)
 * and behind a host name that resolves to one. URLs read from a report, a
 * mail, a matrix file or a record are checked before kcross sends them a
 * request; the bases a user configures (mirrors, `KCROSS_01ORG_URL`,
 * `--lore-url`) are not.
 *
 * A name is resolved once, before the request; a server that answers a
 * second lookup differently (DNS rebinding) or a proxy that resolves the
 * name itself is not covered. A name that does not resolve here is let
 * through: the request then fails as it would have.
 *
 * @module
 */

/** Resolves a host name to addresses (`Deno.resolveDns` by default). */
export type ResolveHost = (
  host: string,
  signal?: AbortSignal,
) => Promise<string[]>;

/** `Deno.resolveDns` for A and AAAA; a failed lookup gives no addresses. */
export const resolveHostDns: ResolveHost = async (host, signal) => {
  const opts = signal ? { signal } : {};
  const none = () => [] as string[];
  const [v4, v6] = await Promise.all([
    Deno.resolveDns(host, "A", opts).catch(none),
    Deno.resolveDns(host, "AAAA", opts).catch(none),
  ]);
  return [...v4, ...v6];
};

function v4Parts(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

function v4Kind([a, b, c]: number[]): string | null {
  if (a === 127) return "loopback";
  if (a === 0) return "unspecified";
  if (
    a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)
  ) {
    return "private";
  }
  if (a === 169 && b === 254) return "link-local";
  if (a === 100 && b! >= 64 && b! <= 127) return "shared (CGNAT)";
  if (a === 192 && b === 0 && c === 0) return "reserved";
  if (a === 198 && (b === 18 || b === 19)) return "reserved";
  if (a! >= 224) return "multicast or reserved";
  return null;
}

/** The eight 16-bit groups of an IPv6 address, or null. */
function v6Groups(text: string): number[] | null {
  let t = text.toLowerCase();
  const zone = t.indexOf("%");
  if (zone >= 0) t = t.slice(0, zone);
  const lastColon = t.lastIndexOf(":");
  const dotted = v4Parts(t.slice(lastColon + 1));
  if (dotted) {
    const hex = (hi: number, lo: number) => ((hi << 8) | lo).toString(16);
    t = `${t.slice(0, lastColon + 1)}${hex(dotted[0]!, dotted[1]!)}:${
      hex(dotted[2]!, dotted[3]!)
    }`;
  }
  const halves = t.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) =>
    s === ""
      ? []
      : s.split(":").map((g) =>
        /^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN
      );
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  const given = head.length + rest.length;
  if (head.concat(rest).some(Number.isNaN)) return null;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const zeros = new Array(8 - given).fill(0);
  return [...head, ...zeros, ...rest];
}

function embeddedV4(hi: number, lo: number): number[] {
  return [hi >> 8, hi & 255, lo >> 8, lo & 255];
}

function v6Kind(g: number[]): string | null {
  const [g0, g1, g2, g3, , g5, g6, g7] = g as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(7) && g7 === 1) return "loopback";
  if (zeroTo(8)) return "unspecified";
  // IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d
  if (zeroTo(5) && (g5 === 0xffff || g5 === 0)) {
    return v4Kind(embeddedV4(g6, g7));
  }
  // NAT64 64:ff9b::a.b.c.d (and the local-use 64:ff9b:1::/48)
  if (g0 === 0x64 && g1 === 0xff9b) return v4Kind(embeddedV4(g6, g7));
  // 6to4 2002:aabb:ccdd::
  if (g0 === 0x2002) return v4Kind(embeddedV4(g1, g2));
  if ((g0 & 0xfe00) === 0xfc00) return "unique-local";
  if ((g0 & 0xffc0) === 0xfe80) return "link-local";
  if ((g0 & 0xffc0) === 0xfec0) return "site-local";
  if ((g0 & 0xff00) === 0xff00) return "multicast";
  if (g0 === 0x100 && g1 === 0 && g2 === 0 && g3 === 0) return "discard";
  return null;
}

/**
 * What kind of non-public address `address` (an IPv4 or IPv6 literal, with
 * or without brackets) is, or null for a public one or a name.
 *
 * @example
 * ```ts
 * import { privateAddressKind } from "./private_address.ts";
 * if (privateAddressKind("169.254.169.254") !== "link-local") throw new Error();
 * if (privateAddressKind("[::ffff:7f00:1]") !== "loopback") throw new Error();
 * if (privateAddressKind("93.184.215.14") !== null) throw new Error();
 * ```
 */
export function privateAddressKind(address: string): string | null {
  const a = address.replace(/^\[(.*)\]$/, "$1");
  const v4 = v4Parts(a);
  if (v4) return v4Kind(v4);
  if (!a.includes(":")) return null;
  const g = v6Groups(a);
  return g === null ? "unparsable" : v6Kind(g);
}

/**
 * Why the host of `url` is not a public one (`127.0.0.1 is a loopback
 * address`, `db.internal resolves to 10.0.0.5, a private address`), or
 * null when it is public or does not resolve.
 *
 * @param options.resolve how names are resolved (default DNS A + AAAA)
 * @param options.signal ends the lookup
 * @example
 * ```ts
 * import { privateHostReason } from "./private_address.ts";
 * const none = () => Promise.resolve([]);
 * if (!(await privateHostReason(new URL("http://2130706433/"), { resolve: none }))?.includes("loopback")) throw new Error();
 * if (await privateHostReason(new URL("https://example.org/"), { resolve: none }) !== null) throw new Error();
 * ```
 */
export async function privateHostReason(
  url: URL,
  options: { resolve?: ResolveHost; signal?: AbortSignal } = {},
): Promise<string | null> {
  const host = url.hostname.toLowerCase();
  const literal = privateAddressKind(host);
  if (literal !== null) return `${host} is a ${literal} address`;
  if (v4Parts(host) || host.startsWith("[")) return null;
  const name = host.replace(/\.$/, "");
  if (name === "localhost" || name.endsWith(".localhost")) {
    return `${host} is this machine`;
  }
  const addresses = await (options.resolve ?? resolveHostDns)(
    name,
    options.signal,
  );
  for (const address of addresses) {
    const kind = privateAddressKind(address);
    if (kind !== null) {
      return `${host} resolves to ${address}, a ${kind} address`;
    }
  }
  return null;
}
