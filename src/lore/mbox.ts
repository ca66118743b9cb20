/**
 * public-inbox mboxes (`/raw`, `/t.mbox.gz`, mboxrd: `From mboxrd@z …`
 * separators, body lines starting `>*From ` quoted with one more `>`) split
 * into messages, and the robot's message picked out of a thread.
 *
 * @module
 */

/** One message of an mbox. */
export interface MboxMessage {
  /** The message, From_ line removed and mboxrd quoting undone. */
  text: string;
  /** `Message-ID` without `<>`, or null. */
  messageId: string | null;
  from: string;
  /** Message-IDs of `In-Reply-To` and `References`. */
  refs: string[];
}

/** Whether a `From:` header is the 0-day robot's. */
export function isRobotSender(from: string): boolean {
  return /kernel test robot|kbuild test robot|lkp@intel\.com/i.test(from);
}

function headersOf(text: string): Record<string, string> {
  const end = text.indexOf("\n\n");
  const head = end < 0 ? text : text.slice(0, end);
  const out: Record<string, string> = {};
  let last: string | null = null;
  for (const line of head.split("\n").slice(0, 4000)) {
    if (/^[ \t]/.test(line) && last !== null) {
      out[last] += " " + line.trim();
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) {
      last = null;
      continue;
    }
    const name = line.slice(0, colon).toLowerCase();
    last = name;
    if (!(name in out)) out[name] = line.slice(colon + 1).trim();
    else last = null; // keep the first occurrence whole
  }
  return out;
}

function ids(value: string | undefined): string[] {
  return [...(value ?? "").matchAll(/<([^<>\s]{1,998})>/g)].map((m) => m[1]!);
}

/**
 * Splits an mbox (or a single message) into messages.
 *
 * @param text the mbox, `\r\n` allowed
 * @returns the messages in order
 *
 * @example
 * ```ts
 * import { splitMbox } from "./mbox.ts";
 * const m = splitMbox("From mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <a@b>\nFrom: x\n\n>From here\n\nFrom mboxrd@z Thu Jan  1 00:00:00 1970\nMessage-ID: <c@d>\nIn-Reply-To: <a@b>\n\nhi\n");
 * if (m.length !== 2 || m[0]!.messageId !== "a@b" || !m[0]!.text.includes("\nFrom here")) throw new Error();
 * if (m[1]!.refs[0] !== "a@b") throw new Error();
 * ```
 */
export function splitMbox(text: string): MboxMessage[] {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const groups: string[][] = [];
  let current: string[] | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // a From_ line starts a message at the top or after a blank line
    if (
      line.startsWith("From ") && (i === 0 || lines[i - 1] === "") &&
      /^From \S+ .*\d{4}\s*$/.test(line)
    ) {
      current = [];
      groups.push(current);
      continue;
    }
    if (current === null) {
      current = [];
      groups.push(current);
    }
    current.push(/^>+From /.test(line) ? line.slice(1) : line);
  }
  return groups.map((g) => {
    const body = g.join("\n");
    const h = headersOf(body);
    return {
      text: body,
      messageId: ids(h["message-id"])[0] ?? null,
      from: h["from"] ?? "",
      refs: [...ids(h["in-reply-to"]), ...ids(h["references"])],
    };
  }).filter((m) => m.text.trim() !== "");
}

/**
 * The robot's message for `messageId` among `messages`: the robot's message
 * with that Message-ID; else the robot's message that the message with that
 * Message-ID replies to (nearest reference first); else, when the thread has
 * exactly one robot message, that one.
 *
 * @param messages an mbox's messages (a raw answer or a whole thread)
 * @param messageId the Message-ID asked for
 * @returns the message, or null when none fits
 */
export function pickRobotMessage(
  messages: readonly MboxMessage[],
  messageId: string,
): MboxMessage | null {
  const robot = messages.filter((m) => isRobotSender(m.from));
  const exact = robot.find((m) => m.messageId === messageId);
  if (exact) return exact;
  const asked = messages.find((m) => m.messageId === messageId);
  if (asked) {
    for (const ref of [...asked.refs].reverse()) {
      const hit = robot.find((m) => m.messageId === ref);
      if (hit) return hit;
    }
  }
  return robot.length === 1 ? robot[0]! : null;
}
