import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { runRoutes, type Exec, type ExecResult } from "../src/routes";

const fake = (r: ExecResult, seen: unknown[] = []): Exec => async (file, args, cwd) => {
  seen.push({ file, args, cwd });
  return r;
};

describe("route protection map", () => {
  it("runs `clerkguard routes <root> --format markdown` in the project", async () => {
    const seen: unknown[] = [];
    const r = await runRoutes("/bin/clerkguard", "/w", fake({ code: 0, stdout: "| Route | Protection |\n", stderr: "" }, seen));
    assert.deepEqual(r, { ok: true, markdown: "| Route | Protection |\n" });
    assert.deepEqual(seen, [{ file: "/bin/clerkguard", args: ["routes", "/w", "--format", "markdown"], cwd: "/w" }]);
  });

  it("says clearly when this clerkguard has no `routes` subcommand", async () => {
    const stderr = "error: unrecognized subcommand 'routes'\n\nUsage: clerkguard <COMMAND>\n";
    const r = await runRoutes("/bin/clerkguard", "/w", fake({ code: 2, stdout: "", stderr }));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.unavailable, true);
      assert.match(r.message, /not available in this clerkguard build/);
      assert.match(r.markdown, /^# clerkguard routes/);
    }
  });

  it("shows stderr when the command fails for another reason", async () => {
    const r = await runRoutes("/bin/clerkguard", "/w", fake({ code: 2, stdout: "", stderr: "error: no package.json under /w" }));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.unavailable, false);
      assert.match(r.markdown, /no package\.json under \/w/);
    }
  });

  it("reports a binary that cannot be started", async () => {
    const r = await runRoutes("/gone", "/w", fake({ code: null, stdout: "", stderr: "", spawnError: "spawn /gone ENOENT" }));
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /Could not run \/gone: spawn \/gone ENOENT/);
  });
});
