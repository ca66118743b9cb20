import {
  ensurePackages,
  missingPackages,
} from "../../src/repro/host_packages.ts";
import type { ProcessRunner } from "../../src/proc/process_runner.ts";
import { CommandNotFoundError } from "../../src/proc/run_captured.ts";
import { InfraError, UserError } from "../../src/errors.ts";
import {
  assertEquals,
  assertRejects,
  assertStringIncludes,
} from "../_support/assert.ts";

/** A dpkg/apt-get stand-in: `installed` grows when apt-get succeeds. */
function fakeSystem(installed: Set<string>, aptWorks = true) {
  const calls: string[][] = [];
  const reply = (
    argv: string[],
  ): Promise<{ success: boolean; stdout: string; stderr: string }> => {
    calls.push(argv);
    if (argv[0] === "dpkg-query") {
      const pkgs = argv.slice(3);
      return Promise.resolve({
        success: true,
        stdout: pkgs.filter((p) => installed.has(p)).map((p) =>
          `${p} installed\n`
        ).join(""),
        stderr: "",
      });
    }
    if (argv[0] === "apt-get" && argv[1] === "install") {
      if (!aptWorks) {
        return Promise.resolve({
          success: false,
          stdout: "",
          stderr: "E: Unable to locate package",
        });
      }
      for (const p of argv.slice(4)) installed.add(p);
      return Promise.resolve({ success: true, stdout: "", stderr: "" });
    }
    return Promise.resolve({ success: true, stdout: "", stderr: "" });
  };
  const runner: ProcessRunner = {
    run: () => Promise.reject(new Error("not a streamed command")),
    capture: async (argv) => ({
      ...(await reply(argv)),
      code: 0,
      signal: null,
    }),
  };
  return { runner, calls };
}

Deno.test("ensurePackages() installs only the missing packages with apt-get argv", async () => {
  const sys = fakeSystem(new Set(["git", "make"]));
  const got = await ensurePackages(["git", "make", "bc", "flex"], {
    proc: sys.runner,
    canInstall: true,
  });
  assertEquals(got, ["bc", "flex"]);
  assertEquals(sys.calls[1], [
    "apt-get",
    "install",
    "-y",
    "--no-install-recommends",
    "bc",
    "flex",
  ]);
  assertEquals(await missingPackages(["bc"], sys.runner), []);
  assertEquals(
    await ensurePackages(["git"], { proc: sys.runner, canInstall: true }),
    [],
  );
});

Deno.test("ensurePackages() tells a non-root user what to install", async () => {
  const sys = fakeSystem(new Set());
  const e = await assertRejects(
    () =>
      ensurePackages(["linux-source-6.1"], {
        proc: sys.runner,
        canInstall: false,
      }),
    UserError,
    "linux-source-6.1",
  );
  assertStringIncludes(e.hint ?? "", "apt-get install");
});

Deno.test("ensurePackages() retries after apt-get update, then reports an infra error", async () => {
  const sys = fakeSystem(new Set(), false);
  await assertRejects(
    () => ensurePackages(["nope"], { proc: sys.runner, canInstall: true }),
    InfraError,
    "Cannot install nope",
  );
  assertEquals(sys.calls.map((c) => c[1]), [
    "-W",
    "install",
    "update",
    "install",
  ]);
});

Deno.test("missingPackages() is null without dpkg", async () => {
  const noDpkg: ProcessRunner = {
    run: () => Promise.reject(new Error("not a streamed command")),
    capture: (argv) => Promise.reject(new CommandNotFoundError(argv[0]!)),
  };
  assertEquals(await missingPackages(["x"], noDpkg), null);
});
