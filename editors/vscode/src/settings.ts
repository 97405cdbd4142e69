// The VS Code settings (`clerkguard.*`) → the server's settings object
// ({ enable, run, diagnostics: { scope }, configPath, rules }), with invalid values replaced by
// the defaults so the server never receives junk from a hand-edited settings.json.
import * as path from "node:path";

export type RunTrigger = "onType" | "onSave";
export type DiagnosticScope = "workspace" | "openFiles";
export type RuleSeverity = "off" | "hint" | "warn" | "error";

export interface ServerSettings {
  enable: boolean;
  run: RunTrigger;
  diagnostics: { scope: DiagnosticScope };
  configPath: string | null;
  rules: Record<string, RuleSeverity>;
}

export const DEFAULT_SETTINGS: ServerSettings = {
  enable: true,
  run: "onType",
  diagnostics: { scope: "workspace" },
  configPath: null,
  rules: {},
};

/** Reads one `clerkguard.<key>` setting (VS Code's WorkspaceConfiguration.get). */
export type SettingGetter = (key: string) => unknown;

const SEVERITIES: readonly string[] = ["off", "hint", "warn", "error"];

export interface SettingsProblem {
  key: string;
  message: string;
}

export function toServerSettings(
  get: SettingGetter,
  workspaceFolder?: string,
): { settings: ServerSettings; problems: SettingsProblem[] } {
  const problems: SettingsProblem[] = [];
  const pick = <T>(key: string, ok: (v: unknown) => v is T, fallback: T, expected: string): T => {
    const v = get(key);
    if (v === undefined || v === null) return fallback;
    if (ok(v)) return v;
    problems.push({ key, message: `clerkguard.${key} must be ${expected}; using ${JSON.stringify(fallback)}` });
    return fallback;
  };
  const isBool = (v: unknown): v is boolean => typeof v === "boolean";
  const isRun = (v: unknown): v is RunTrigger => v === "onType" || v === "onSave";
  const isScope = (v: unknown): v is DiagnosticScope => v === "workspace" || v === "openFiles";
  const isString = (v: unknown): v is string => typeof v === "string";

  const enable = pick("enable", isBool, DEFAULT_SETTINGS.enable, "true or false");
  const run = pick("run", isRun, DEFAULT_SETTINGS.run, '"onType" or "onSave"');
  const scope = pick("diagnostics.scope", isScope, DEFAULT_SETTINGS.diagnostics.scope, '"workspace" or "openFiles"');
  let configPath: string | null = pick<string | null>("configPath", isString, null, "a path or null");
  if (configPath !== null) {
    configPath = configPath.trim();
    if (configPath === "") configPath = null;
    else if (workspaceFolder && !path.isAbsolute(configPath)) configPath = path.join(workspaceFolder, configPath);
  }

  const rules: Record<string, RuleSeverity> = {};
  const rawRules = get("rules");
  if (rawRules !== undefined && rawRules !== null) {
    if (typeof rawRules !== "object" || Array.isArray(rawRules)) {
      problems.push({ key: "rules", message: "clerkguard.rules must be an object of rule id → severity" });
    } else {
      for (const [rule, level] of Object.entries(rawRules as Record<string, unknown>)) {
        if (typeof level === "string" && SEVERITIES.includes(level)) rules[rule] = level as RuleSeverity;
        else if (level === "warning") rules[rule] = "warn";
        else
          problems.push({
            key: `rules.${rule}`,
            message: `clerkguard.rules["${rule}"] must be "off", "hint", "warn" or "error"; ignored`,
          });
      }
    }
  }
  return { settings: { enable, run, diagnostics: { scope }, configPath, rules }, problems };
}

/** Settings changes that need a server restart rather than a didChangeConfiguration. */
export function needsRestart(changed: (section: string) => boolean): boolean {
  return changed("clerkguard.path");
}
