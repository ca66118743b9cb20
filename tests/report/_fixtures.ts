/**
 * The shared robot-report fixtures (copied from shared/robot-reports into
 * tests/fixtures/robot-reports so CI has them).
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** Directory of the report fixtures. */
export const FIXTURE_DIR = fileURLToPath(
  new URL("../fixtures/robot-reports/", import.meta.url),
);

/** One fixture: report text, expected JSON, optional reproduce script. */
export interface Fixture {
  id: string;
  text: string;
  expected: Record<string, unknown>;
  reproduce: string | undefined;
}

/** Every `NNN.txt` with its `NNN.expected.json`, sorted by id. */
export function loadFixtures(): Fixture[] {
  const ids = [...Deno.readDirSync(FIXTURE_DIR)]
    .map((e) => /^(\d+)\.txt$/.exec(e.name)?.[1])
    .filter((id): id is string => id !== undefined)
    .sort();
  return ids.map((id) => {
    let reproduce: string | undefined;
    try {
      reproduce = Deno.readTextFileSync(`${FIXTURE_DIR}${id}.reproduce.txt`);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    return {
      id,
      text: Deno.readTextFileSync(`${FIXTURE_DIR}${id}.txt`),
      expected: JSON.parse(
        Deno.readTextFileSync(`${FIXTURE_DIR}${id}.expected.json`),
      ),
      reproduce,
    };
  });
}
