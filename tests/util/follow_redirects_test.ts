import { assertEquals, assertRejects } from "../_support/assert.ts";
import { fetchFollowingRedirects } from "../../src/util/follow_redirects.ts";
import { InfraError } from "../../src/errors.ts";

/** A fetch answering from a table: URL → [status, location?]. */
function table(routes: Record<string, [number, string?]>): typeof fetch {
  return ((input: string | URL | Request) => {
    const [status, location] = routes[String(input)] ?? [404];
    return Promise.resolve(
      new Response(status >= 300 && status < 400 ? null : "body", {
        status,
        headers: location ? { location } : {},
      }),
    );
  }) as typeof fetch;
}

Deno.test("follow_redirects: a file: URL is refused unless it is the first hop and allowed", async () => {
  const file = await Deno.makeTempFile({ prefix: "kcross-follow-" });
  try {
    Deno.writeTextFileSync(file, "local");
    await assertRejects(
      () => fetchFollowingRedirects(`file://${file}`, { what: "archive" }),
      InfraError,
      "only http and https",
    );
    const { response } = await fetchFollowingRedirects(`file://${file}`, {
      what: "archive",
      allowFileStart: true,
    });
    assertEquals(await response.text(), "local");
    // A redirect never leads to a file:, allowed start or not.
    await assertRejects(
      () =>
        fetchFollowingRedirects("http://mirror/a", {
          what: "archive",
          allowFileStart: true,
          fetch: table({ "http://mirror/a": [302, `file://${file}`] }),
        }),
      InfraError,
      "only http and https",
    );
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("follow_redirects: https never goes down to http, hops are capped", async () => {
  await assertRejects(
    () =>
      fetchFollowingRedirects("https://a/x", {
        what: "config",
        fetch: table({ "https://a/x": [301, "http://a/x"] }),
      }),
    InfraError,
  );
  const loop = table({
    "http://a/1": [302, "http://a/2"],
    "http://a/2": [302, "http://a/1"],
  });
  await assertRejects(
    () =>
      fetchFollowingRedirects("http://a/1", { what: "config", fetch: loop }),
    InfraError,
  );
  const { url } = await fetchFollowingRedirects("http://a/1", {
    what: "config",
    fetch: table({ "http://a/1": [302, "/2"], "http://a/2": [200] }),
  });
  assertEquals(url, "http://a/2");
});
