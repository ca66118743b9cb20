/**
 * Which remotes kcross fetches from. A tree URL in a report is input like
 * any other: git's `ext::` transport runs a command, other `<helper>::`
 * transports run remote helpers, and a URL or ref starting with `-` is read
 * as an option. Only https, http, git and ssh URLs (also scp-like
 * `host:path`) and local paths are fetched, and git itself is told the same
 * on every call (`GIT_PROTOCOL_ARGS` in run_git.ts).
 *
 * @module
 */
import { UserError } from "../errors.ts";

const ALLOWED_SCHEMES = [
  "https",
  "http",
  "git",
  "ssh",
  "git+ssh",
  "ssh+git",
  "file",
];

/**
 * Why `url` is not a remote kcross fetches from, or null when it is.
 *
 * @example
 * ```ts
 * import { remoteUrlProblem } from "./remote_url.ts";
 * if (remoteUrlProblem("https://git.kernel.org/pub/scm/linux/kernel/git/torvalds/linux.git") !== null) throw new Error();
 * if (remoteUrlProblem("git@github.com:torvalds/linux.git") !== null) throw new Error();
 * if (remoteUrlProblem("/srv/linux") !== null || remoteUrlProblem("../linux") !== null) throw new Error();
 * if (remoteUrlProblem("ext::sh -c touch% /tmp/x") === null) throw new Error();
 * if (remoteUrlProblem("--upload-pack=touch /tmp/x") === null) throw new Error();
 * ```
 */
export function remoteUrlProblem(url: string): string | null {
  if (url === "") return "it is empty";
  if (url.length > 2048) return "it is longer than 2048 characters";
  // deno-lint-ignore no-control-regex
  if (/[\x00-\x1f\x7f]/.test(url)) return "it contains control characters";
  if (url.startsWith("-")) return 'it starts with "-"';
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(url);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (!ALLOWED_SCHEMES.includes(name)) {
      return `the "${name}" protocol is not fetched (allowed: https, http, git, ssh, local paths)`;
    }
    const host = url.slice(scheme[0].length).replace(/^[^@/]*@/, "");
    if (host.startsWith("-")) return 'its host starts with "-"';
    return null;
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(url)) {
    return "git remote helpers (<transport>::…, e.g. ext::) are not fetched";
  }
  // scp-like ssh (`[user@]host:path`): a colon before the first slash.
  const colon = url.indexOf(":");
  const slash = url.indexOf("/");
  if (colon > 0 && (slash < 0 || colon < slash)) {
    const host = url.slice(0, colon).replace(/^[^@]*@/, "");
    if (host === "" || host.startsWith("-")) {
      return 'its host is missing or starts with "-"';
    }
    return null;
  }
  return null; // a local path
}

/**
 * Why `ref` is not a branch, tag, ref name or commit kcross fetches, or null.
 *
 * @example
 * ```ts
 * import { refProblem } from "./remote_url.ts";
 * if (refProblem("master") !== null || refProblem("refs/tags/v6.1") !== null) throw new Error();
 * if (refProblem("--upload-pack=x") === null || refProblem("a:refs/heads/main") === null) throw new Error();
 * ```
 */
export function refProblem(ref: string): string | null {
  if (ref.length === 0 || ref.length > 255) return "it is empty or too long";
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./+@-]*$/.test(ref)) {
    return "a ref is letters, digits and _ . / + @ -, not starting with - or .";
  }
  if (ref.includes("..") || ref.includes("@{") || ref.endsWith(".lock")) {
    return "it is not a valid ref name";
  }
  return null;
}

/**
 * Refuses a remote URL or ref kcross will not fetch.
 *
 * @throws {UserError} naming the URL or ref and the rule (exit 2)
 */
export function checkRemote(url: string, ref?: string): void {
  const problem = remoteUrlProblem(url);
  if (problem !== null) {
    throw new UserError(
      `Refusing to fetch from ${JSON.stringify(url.slice(0, 200))}: ${problem}`,
      {
        hint:
          "use an https://, http://, git://, ssh:// (or host:path) URL or a local path, e.g. --remote-url https://git.kernel.org/…",
      },
    );
  }
  if (ref !== undefined) {
    const bad = refProblem(ref);
    if (bad !== null) {
      throw new UserError(
        `Refusing to fetch ref ${JSON.stringify(ref.slice(0, 200))}: ${bad}`,
        { hint: "give a branch, tag or commit sha (--commit SHA)" },
      );
    }
  }
}
