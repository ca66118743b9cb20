/**
 * Minimal assertions (Deno's @std/assert is not installable here).
 *
 * @module
 */
import { deepStrictEqual } from "node:assert";

/** Throws unless `cond` is truthy. */
export function assert(
  cond: unknown,
  message = "assertion failed",
): asserts cond {
  if (!cond) throw new Error(message);
}

/** Deep strict equality with a readable diff (node:assert). */
export function assertEquals<T>(
  actual: unknown,
  expected: T,
  message?: string,
): asserts actual is T {
  // Two calls: @types/node versions (bullmq pulls a newer one) disagree on
  // whether `message` may be undefined.
  if (message === undefined) deepStrictEqual(actual, expected);
  else deepStrictEqual(actual, expected, message);
}

/** Throws unless `text` matches `re`. */
export function assertMatch(text: string, re: RegExp, message?: string): void {
  if (!re.test(text)) {
    throw new Error(
      message ?? `${JSON.stringify(text.slice(0, 2000))} does not match ${re}`,
    );
  }
}

/** Throws unless `text` contains `part`. */
export function assertStringIncludes(
  text: string,
  part: string,
  message?: string,
): void {
  if (!text.includes(part)) {
    throw new Error(
      message ??
        `expected to find ${JSON.stringify(part)} in ${
          JSON.stringify(text.slice(0, 2000))
        }`,
    );
  }
}

// deno-lint-ignore no-explicit-any
type ErrorClass<E extends Error> = new (...args: any[]) => E;

/** Returns `e` as an `E`, or fails unless it is a `cls` whose message has `includes`. */
function checkError<E extends Error>(
  e: unknown,
  cls: ErrorClass<E> | undefined,
  includes: string | undefined,
): E {
  if (cls && !(e instanceof cls)) {
    throw new Error(`expected ${cls.name}, got ${e}`);
  }
  if (includes && !(e instanceof Error && e.message.includes(includes))) {
    throw new Error(
      `expected message to include ${JSON.stringify(includes)}, got ${e}`,
    );
  }
  return e as E;
}

/** Awaits `fn` and returns what it threw; fails if it did not throw, or threw another class. */
export async function assertRejects<E extends Error>(
  fn: () => Promise<unknown>,
  cls?: ErrorClass<E>,
  includes?: string,
): Promise<E> {
  try {
    await fn();
  } catch (e) {
    return checkError(e, cls, includes);
  }
  throw new Error("expected a rejection");
}

/** Sync variant of assertRejects. */
export function assertThrows<E extends Error>(
  fn: () => unknown,
  cls?: ErrorClass<E>,
  includes?: string,
): E {
  try {
    fn();
  } catch (e) {
    return checkError(e, cls, includes);
  }
  throw new Error("expected a throw");
}
