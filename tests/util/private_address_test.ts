import { assertEquals } from "../_support/assert.ts";
import {
  privateAddressKind,
  privateHostReason,
} from "../../src/util/private_address.ts";

const none = () => Promise.resolve([] as string[]);

Deno.test("privateAddressKind() sees loopback, private, link-local and reserved addresses in every spelling the URL parser accepts", () => {
  const cases: [string, string | null][] = [
    ["http://127.0.0.1/", "loopback"],
    ["http://127.9.8.7/", "loopback"],
    ["http://2130706433/", "loopback"], // decimal
    ["http://0x7f000001/", "loopback"], // hex
    ["http://0177.0.0.1/", "loopback"], // octal
    ["http://127.1/", "loopback"], // short form
    ["http://[::1]/", "loopback"],
    ["http://[0:0:0:0:0:0:0:1]/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"], // IPv4-mapped
    ["http://[::ffff:a9fe:a9fe]/", "link-local"],
    ["http://[64:ff9b::7f00:1]/", "loopback"], // NAT64
    ["http://[2002:a9fe:a9fe::]/", "link-local"], // 6to4
    ["http://0/", "unspecified"],
    ["http://[::]/", "unspecified"],
    ["http://10.1.2.3/", "private"],
    ["http://172.16.0.1/", "private"],
    ["http://172.31.255.255/", "private"],
    ["http://192.168.1.1/", "private"],
    ["http://169.254.169.254/", "link-local"], // cloud metadata
    ["http://100.64.0.1/", "shared (CGNAT)"],
    ["http://224.0.0.1/", "multicast or reserved"],
    ["http://255.255.255.255/", "multicast or reserved"],
    ["http://[fe80::1]/", "link-local"],
    ["http://[fc00::1]/", "unique-local"],
    ["http://[fd12:3456::1]/", "unique-local"],
    ["http://[ff02::1]/", "multicast"],
    // public
    ["http://8.8.8.8/", null],
    ["http://172.32.0.1/", null],
    ["http://100.128.0.1/", null],
    ["http://[2606:4700::1111]/", null],
    ["http://[::ffff:808:808]/", null],
    ["https://download.01.org/", null], // a name: not a literal
  ];
  for (const [url, kind] of cases) {
    assertEquals(privateAddressKind(new URL(url).hostname), kind, url);
  }
  // what DNS answers (no brackets, dotted IPv4 tails)
  assertEquals(privateAddressKind("::ffff:10.0.0.1"), "private");
  assertEquals(privateAddressKind("fe80::1%eth0"), "link-local");
  assertEquals(privateAddressKind("2001:db8::1"), null);
});

Deno.test("privateHostReason() refuses localhost names and names that resolve to a private address, and lets public or unresolved names through", async () => {
  for (
    const u of [
      "http://localhost:8080/",
      "http://LOCALHOST./",
      "http://a.localhost/",
    ]
  ) {
    assertEquals(
      (await privateHostReason(new URL(u), { resolve: none }))?.includes(
        "this machine",
      ),
      true,
      u,
    );
  }
  const dns = (table: Record<string, string[]>) => (host: string) =>
    Promise.resolve(table[host] ?? []);
  const resolve = dns({
    "metadata.example": ["93.184.215.14", "169.254.169.254"],
    "rebind.example": ["::ffff:127.0.0.1"],
    "public.example": ["93.184.215.14", "2606:4700::1111"],
  });
  assertEquals(
    await privateHostReason(new URL("http://metadata.example/"), { resolve }),
    "metadata.example resolves to 169.254.169.254, a link-local address",
  );
  assertEquals(
    await privateHostReason(new URL("https://rebind.example/"), { resolve }),
    "rebind.example resolves to ::ffff:127.0.0.1, a loopback address",
  );
  assertEquals(
    await privateHostReason(new URL("https://public.example/"), { resolve }),
    null,
  );
  assertEquals(
    await privateHostReason(new URL("https://nx.example/"), { resolve }),
    null,
  );
  // a literal is never looked up
  let asked = 0;
  await privateHostReason(new URL("http://10.0.0.1/"), {
    resolve: () => (asked++, Promise.resolve([])),
  });
  await privateHostReason(new URL("http://8.8.8.8/"), {
    resolve: () => (asked++, Promise.resolve([])),
  });
  assertEquals(asked, 0);
});
