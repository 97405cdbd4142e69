import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DEFAULT_SETTINGS, needsRestart, toServerSettings } from "../src/settings";

const get = (values: Record<string, unknown>) => (key: string) => values[key];
const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "package.json"), "utf8"));

describe("settings mapping", () => {
  it("gives the server's defaults when nothing is set", () => {
    const { settings, problems } = toServerSettings(get({}));
    assert.deepEqual(settings, DEFAULT_SETTINGS);
    assert.deepEqual(problems, []);
  });

  it("maps every VS Code setting to the server's shape", () => {
    const { settings, problems } = toServerSettings(
      get({
        enable: false,
        run: "onSave",
        "diagnostics.scope": "openFiles",
        configPath: "/repo/clerkguard.json",
        rules: { "auth-not-awaited": "warn", "parse-error": "off" },
        path: "/ignored/by/the/server",
      }),
    );
    assert.deepEqual(settings, {
      enable: false,
      run: "onSave",
      diagnostics: { scope: "openFiles" },
      configPath: "/repo/clerkguard.json",
      rules: { "auth-not-awaited": "warn", "parse-error": "off" },
    });
    assert.deepEqual(problems, []);
  });

  it("resolves a relative configPath against the workspace folder; blank means none", () => {
    assert.equal(toServerSettings(get({ configPath: "config/clerkguard.json" }), "/w").settings.configPath, "/w/config/clerkguard.json");
    assert.equal(toServerSettings(get({ configPath: "  " }), "/w").settings.configPath, null);
  });

  it("replaces invalid values with defaults and says why", () => {
    const { settings, problems } = toServerSettings(
      get({ enable: "yes", run: "always", "diagnostics.scope": 3, rules: { a: "loud", b: "warning", c: "hint" } }),
    );
    assert.deepEqual(settings, { ...DEFAULT_SETTINGS, rules: { b: "warn", c: "hint" } });
    assert.deepEqual(
      problems.map((p) => p.key),
      ["enable", "run", "diagnostics.scope", "rules.a"],
    );
  });

  it("rejects a non-object rules setting", () => {
    const { settings, problems } = toServerSettings(get({ rules: ["auth-not-awaited"] }));
    assert.deepEqual(settings.rules, {});
    assert.equal(problems[0]?.key, "rules");
  });

  it("restarts the server only when clerkguard.path changes", () => {
    assert.equal(needsRestart((s) => s === "clerkguard.path"), true);
    assert.equal(needsRestart((s) => s === "clerkguard.run"), false);
  });

  it("package.json contributes exactly the server settings (plus path and trace), with matching defaults", () => {
    const props = pkg.contributes.configuration.properties as Record<string, { default: unknown; description?: string; markdownDescription?: string }>;
    assert.deepEqual(Object.keys(props).sort(), [
      "clerkguard.configPath",
      "clerkguard.diagnostics.scope",
      "clerkguard.enable",
      "clerkguard.path",
      "clerkguard.rules",
      "clerkguard.run",
      "clerkguard.trace.server",
    ]);
    for (const [key, p] of Object.entries(props)) assert.ok(p.description ?? p.markdownDescription, `${key} has a description`);
    const fromDefaults = toServerSettings((k) => props[`clerkguard.${k}`]?.default).settings;
    assert.deepEqual(fromDefaults, DEFAULT_SETTINGS);
  });
});
