/**
 * A web-archive style reflow of a report, for property tests: leading
 * whitespace dropped, runs of spaces collapsed, `>> ` shown as `> `, blank
 * lines dropped, `<user@host>` written `<user(a)host>`, and every line longer
 * than `width` wrapped at spaces.
 *
 * @module
 */

/** A small seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function wrap(line: string, width: number): string[] {
  if (line.length <= width) return [line];
  const out: string[] = [];
  let current = "";
  for (const word of line.split(" ")) {
    if (current === "") current = word;
    else if (current.length + 1 + word.length <= width) current += " " + word;
    else {
      out.push(current);
      current = word;
    }
  }
  out.push(current);
  return out;
}

/**
 * Reflows `text` the way a mailing-list web archive does.
 *
 * @param text a pristine report body
 * @param width the wrap width
 * @returns the reflowed copy
 */
export function reflow(text: string, width: number): string {
  const out: string[] = [];
  for (const raw of text.split("\n")) {
    let line = raw.replace(/\t/g, " ").trim().replace(/ {2,}/g, " ");
    if (line === "") continue;
    if (line.startsWith(">> ")) line = line.slice(1);
    line = line.replace(/<([^<>@\s]+)@([^<>@\s]+)>/g, "<$1(a)$2>");
    out.push(...wrap(line, width));
  }
  return out.join("\n") + "\n";
}

/**
 * A plain hard wrap (a mail client's): prefixes, indentation and blank lines
 * kept, lines longer than `width` continued at column 0.
 *
 * @param text a pristine report body
 * @param width the wrap width
 * @returns the wrapped copy
 */
export function hardWrap(text: string, width: number): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const indent = /^[ \t>]*/.exec(line)![0];
    const rest = line.slice(indent.length);
    // the indent sticks to the first word, so every physical line <= width
    const space = rest.indexOf(" ");
    const first = space < 0 ? rest : rest.slice(0, space);
    const pieces = wrap(
      `${indent.replace(/ /g, "\u2007")}${first}${
        space < 0 ? "" : rest.slice(space)
      }`,
      width,
    );
    out.push(...pieces.map((p) => p.replace(/\u2007/g, " ")));
  }
  return out.join("\n");
}
