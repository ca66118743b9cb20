/**
 * One planner: every real report fixture gives the same build setup through
 * each entry point (`repro`/`verify`'s planReproduction, `report parse`'s
 * plan lines, `bisect --report`'s default options).
 */
import { parseReport } from "../../src/report/mod.ts";
import { describePlan } from "../../src/repro/describe_plan.ts";
import { describeConfig } from "../../src/repro/plan_config.ts";
import {
  planBuildSetup,
  planReproduction,
} from "../../src/repro/plan_repro.ts";
import { reportTargets } from "../../src/series/report_targets.ts";
import { assert, assertEquals } from "../_support/assert.ts";
import { loadFixtures } from "../report/_fixtures.ts";

const fixtures = loadFixtures();

Deno.test("the fixtures are there (a moved directory must not pass silently)", () => {
  assert(fixtures.length >= 30, `${fixtures.length} fixtures`);
});

for (const f of fixtures) {
  Deno.test(`report ${f.id}: repro, report parse and bisect --report plan the same build`, () => {
    const report = parseReport(
      f.text,
      f.reproduce === undefined ? {} : { reproduceText: f.reproduce },
    );
    const setup = planBuildSetup(report);
    // pure: the same input gives the same plan, twice
    assertEquals(planBuildSetup(report), setup);

    // repro (and verify): the same setup, plus the commit
    if (setup.arch !== null && setup.config.kind !== "missing") {
      const plan = planReproduction(report, { commit: "0123abcd" });
      assertEquals(plan.config, setup.config);
      assertEquals(plan.compiler, setup.compiler);
      assertEquals(plan.makeVars, setup.makeVars);
      assertEquals(plan.targets, setup.targets);
      assertEquals(plan.arch, setup.arch);
    }

    // report parse: shows that setup
    const lines = describePlan(report).join("\n");
    if (setup.config.kind !== "missing") {
      assert(lines.includes(describeConfig(setup.config)), lines);
    }
    if (setup.compiler) assert(lines.includes(setup.compiler.request), lines);

    // bisect --report: builds with it
    const o = reportTargets(report).buildOptions;
    const value = (k: string) => {
      const i = o.indexOf(k);
      return i < 0 ? null : o[i + 1] ?? null;
    };
    assertEquals(value("--arch"), setup.arch);
    assertEquals(value("--compiler"), setup.compiler?.request ?? null);
    const config = setup.config;
    assertEquals(
      value("--config"),
      config.kind === "target"
        ? config.target
        : config.kind === "url"
        ? config.url
        : null,
    );
    assertEquals(
      o.includes("--werror=off"),
      config.kind !== "missing" && config.werror.mode === "off",
    );
    assertEquals(reportTargets(report).buildTargets, setup.targets);
  });
}
