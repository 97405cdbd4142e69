import assert from "node:assert/strict";
import * as path from "node:path";
import { describe, it } from "node:test";
import { bundledServerPath, expandConfiguredPath, pathCandidates, resolveServerPath, type ResolveInput } from "../src/serverPath";

function input(over: Partial<ResolveInput> & { executables?: string[] }): ResolveInput {
  const exes = new Set(over.executables ?? []);
  return {
    configured: null,
    extensionPath: "/ext",
    workspaceFolder: "/work/app",
    platform: "linux",
    env: { PATH: "/usr/local/bin:/usr/bin" },
    homeDir: "/home/dev",
    isExecutable: (f) => exes.has(f),
    ...over,
  };
}

describe("server path resolution", () => {
  it("uses clerkguard.path when it points at an executable", () => {
    const r = resolveServerPath(input({ configured: "/opt/cg/clerkguard", executables: ["/opt/cg/clerkguard", "/ext/server/clerkguard"] }));
    assert.deepEqual(r, { ok: true, path: "/opt/cg/clerkguard", source: "setting" });
  });

  it("resolves a relative clerkguard.path against the workspace folder, and ~ against home", () => {
    assert.equal(expandConfiguredPath("target/debug/clerkguard", "/home/dev", "/work/app"), "/work/app/target/debug/clerkguard");
    assert.equal(expandConfiguredPath("~/bin/clerkguard", "/home/dev", "/work/app"), "/home/dev/bin/clerkguard");
    assert.equal(expandConfiguredPath("${workspaceFolder}/bin/cg", "/home/dev", "/work/app"), "/work/app/bin/cg");
    const r = resolveServerPath(input({ configured: "bin/clerkguard", executables: ["/work/app/bin/clerkguard"] }));
    assert.deepEqual(r, { ok: true, path: "/work/app/bin/clerkguard", source: "setting" });
  });

  it("reports a wrong clerkguard.path instead of silently using another binary", () => {
    const r = resolveServerPath(input({ configured: "/nope/clerkguard", executables: ["/ext/server/clerkguard", "/usr/bin/clerkguard"] }));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /clerkguard\.path is set to "\/nope\/clerkguard"/);
      assert.deepEqual(r.tried, ["/nope/clerkguard"]);
    }
  });

  it("treats an empty or blank setting as unset", () => {
    const r = resolveServerPath(input({ configured: "  ", executables: ["/ext/server/clerkguard"] }));
    assert.deepEqual(r, { ok: true, path: "/ext/server/clerkguard", source: "bundled" });
  });

  it("prefers the bundled server over PATH", () => {
    const r = resolveServerPath(input({ executables: ["/ext/server/clerkguard", "/usr/bin/clerkguard"] }));
    assert.deepEqual(r, { ok: true, path: "/ext/server/clerkguard", source: "bundled" });
  });

  it("falls back to the first clerkguard on PATH", () => {
    const r = resolveServerPath(input({ executables: ["/usr/bin/clerkguard"] }));
    assert.deepEqual(r, { ok: true, path: "/usr/bin/clerkguard", source: "PATH" });
  });

  it("explains what to do when no server exists, listing where it looked", () => {
    const r = resolveServerPath(input({}));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.message, /No clerkguard server found/);
      assert.match(r.message, /clerkguard\.path/);
      assert.deepEqual(r.tried, ["/ext/server/clerkguard", "/usr/local/bin/clerkguard", "/usr/bin/clerkguard"]);
    }
  });

  it("uses clerkguard.exe and PATHEXT on Windows", () => {
    assert.equal(bundledServerPath("C:\\ext", "win32"), path.join("C:\\ext", "server", "clerkguard.exe"));
    const c = pathCandidates("clerkguard", { Path: "C:\\bin;D:\\tools", PATHEXT: ".EXE;.CMD" }, "win32");
    assert.deepEqual(c, ["C:\\bin\\clerkguard.exe", "C:\\bin\\clerkguard.cmd", "D:\\tools\\clerkguard.exe", "D:\\tools\\clerkguard.cmd"]);
  });

  it("skips empty PATH entries", () => {
    assert.deepEqual(pathCandidates("clerkguard", { PATH: ":/a::/b:" }, "linux"), ["/a/clerkguard", "/b/clerkguard"]);
  });
});
