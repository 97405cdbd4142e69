#!/usr/bin/env python3
"""Checks an LSP4IJ user-defined language server template directory (editors/jetbrains/lsp4ij).

Structure (LSP4IJ docs/UserDefinedLanguageServerTemplate.md and LanguageServerTemplate.java):
only template.json is required; optional files are settings.json, settings.schema.json,
initializationOptions.json, clientSettings.json, installer.json, experimental.json,
workspaceFolderSettings.json and README.md. template.json holds `id`, `name`, `programArgs`
(OS key -> command line: default / windows / mac / unix) and `fileTypeMappings`
([{fileType: {name, patterns?}, languageId?}]) and/or `languageMappings`
([{language, languageId?}]). Every .json file must be strict JSON (LSP4IJ reads it with Gson).

On top of that, clerkguard-specific checks: the command runs `clerkguard lsp`, the mappings cover
the files the server reads, and the settings have the server's shape (settings.json nested under
`clerkguard`, because LSP4IJ answers workspace/configuration by looking up the section name).

  python3 validate_lsp4ij_template.py DIR            validate
  python3 validate_lsp4ij_template.py DIR --self-test also check that broken copies are rejected
"""
import copy
import json
import os
import sys

KNOWN_FILES = {
    "template.json", "settings.json", "settings.schema.json", "initializationOptions.json",
    "clientSettings.json", "installer.json", "experimental.json", "workspaceFolderSettings.json",
    "README.md",
}
TEMPLATE_KEYS = {
    "id": str, "name": str, "runtime": str, "programArgs": dict, "fileTypeMappings": list,
    "languageMappings": list, "expandConfiguration": bool, "description": str, "docPath": str,
    "url": str,
}
OS_KEYS = {"default", "windows", "mac", "unix"}
LANGUAGE_IDS = {"javascript", "javascriptreact", "typescript", "typescriptreact", "json", "jsonc", "dotenv"}
# file name -> the languageId the server should receive for it
MUST_COVER = {
    "page.tsx": "typescriptreact", "actions.ts": "typescript", "route.js": "javascript",
    "Button.jsx": "javascriptreact", "next.config.mjs": "javascript", "middleware.mts": "typescript",
    "package.json": "json", ".env": "dotenv", ".env.local": "dotenv",
}
SETTINGS_KEYS = {"enable", "run", "diagnostics", "configPath", "rules"}
SEVERITIES = {"off", "hint", "warn", "error"}


def glob_match(pattern, name):
    import fnmatch
    return fnmatch.fnmatchcase(name, pattern)


def check_settings(obj, where, errors):
    if not isinstance(obj, dict):
        errors.append(f"{where}: must be an object")
        return
    unknown = set(obj) - SETTINGS_KEYS
    if unknown:
        errors.append(f"{where}: unknown keys {sorted(unknown)} (server settings are {sorted(SETTINGS_KEYS)})")
    if "enable" in obj and not isinstance(obj["enable"], bool):
        errors.append(f"{where}.enable: must be a boolean")
    if "run" in obj and obj["run"] not in ("onType", "onSave"):
        errors.append(f'{where}.run: must be "onType" or "onSave"')
    if "diagnostics" in obj:
        d = obj["diagnostics"]
        if not isinstance(d, dict) or set(d) - {"scope"} or d.get("scope", "workspace") not in ("workspace", "openFiles"):
            errors.append(f'{where}.diagnostics: must be {{"scope": "workspace" | "openFiles"}}')
    if "configPath" in obj and not (obj["configPath"] is None or isinstance(obj["configPath"], str)):
        errors.append(f"{where}.configPath: must be a string or null")
    if "rules" in obj:
        r = obj["rules"]
        if not isinstance(r, dict):
            errors.append(f"{where}.rules: must be an object")
        else:
            for k, v in r.items():
                if v not in SEVERITIES:
                    errors.append(f"{where}.rules.{k}: must be one of {sorted(SEVERITIES)}")


def validate_files(files):
    """files: name -> parsed JSON (or text for README.md). Returns a list of errors."""
    errors = []
    for name in files:
        if name not in KNOWN_FILES:
            errors.append(f"{name}: not a file LSP4IJ reads from a template (known: {sorted(KNOWN_FILES)})")
    t = files.get("template.json")
    if t is None:
        return errors + ["template.json: missing (the only required file)"]
    if not isinstance(t, dict):
        return errors + ["template.json: must be an object"]
    for k, v in t.items():
        if k not in TEMPLATE_KEYS:
            errors.append(f"template.json: unknown key {k!r}")
        elif not isinstance(v, TEMPLATE_KEYS[k]):
            errors.append(f"template.json: {k!r} must be a {TEMPLATE_KEYS[k].__name__}")
    for k in ("id", "name", "programArgs"):
        if not t.get(k):
            errors.append(f"template.json: {k!r} is required")
    if "id" in t and isinstance(t["id"], str) and not all(c.isalnum() or c in "-_." for c in t["id"]):
        errors.append("template.json: 'id' must be a simple identifier")
    pa = t.get("programArgs")
    if isinstance(pa, dict):
        if "default" not in pa:
            errors.append("template.json: programArgs needs a 'default' command")
        for k, v in pa.items():
            if k not in OS_KEYS:
                errors.append(f"template.json: programArgs key {k!r} is not one of {sorted(OS_KEYS)}")
            if not isinstance(v, str) or not v.strip():
                errors.append(f"template.json: programArgs.{k} must be a non-empty command line")
            elif "clerkguard" not in v or not v.replace('"', " ").split()[-1] == "lsp":
                errors.append(f"template.json: programArgs.{k} must run `clerkguard lsp`, got {v!r}")
    mappings = []
    for i, m in enumerate(t.get("fileTypeMappings") or []):
        where = f"template.json: fileTypeMappings[{i}]"
        if not isinstance(m, dict) or set(m) - {"fileType", "languageId"}:
            errors.append(f"{where}: must be {{fileType, languageId?}}")
            continue
        ft = m.get("fileType")
        if not isinstance(ft, dict) or not isinstance(ft.get("name"), str) or not ft["name"] or set(ft) - {"name", "patterns"}:
            errors.append(f"{where}.fileType: must be {{name: string, patterns?: string[]}}")
            continue
        pats = ft.get("patterns", [])
        if not isinstance(pats, list) or not all(isinstance(p, str) and p for p in pats):
            errors.append(f"{where}.fileType.patterns: must be a list of non-empty strings")
            continue
        lid = m.get("languageId")
        if lid is not None and lid not in LANGUAGE_IDS:
            errors.append(f"{where}.languageId: {lid!r} is not a languageId the server handles ({sorted(LANGUAGE_IDS)})")
        mappings.append((pats, lid))
    for i, m in enumerate(t.get("languageMappings") or []):
        if not isinstance(m, dict) or not isinstance(m.get("language"), str) or set(m) - {"language", "languageId"}:
            errors.append(f"template.json: languageMappings[{i}] must be {{language: string, languageId?}}")
    if not mappings and not t.get("languageMappings"):
        errors.append("template.json: no fileTypeMappings or languageMappings: the server would never start")
    for fname, want in MUST_COVER.items():
        got = [lid for pats, lid in mappings if any(glob_match(p, fname) for p in pats)]
        if not got:
            errors.append(f"template.json: no mapping matches {fname!r}")
        elif got[0] != want:
            errors.append(f"template.json: {fname!r} maps to languageId {got[0]!r}, expected {want!r}")

    s = files.get("settings.json")
    if s is not None:
        if not isinstance(s, dict) or set(s) != {"clerkguard"}:
            errors.append('settings.json: must be {"clerkguard": {...}} (LSP4IJ looks settings up by section)')
        else:
            check_settings(s["clerkguard"], "settings.json: clerkguard", errors)
    io = files.get("initializationOptions.json")
    if io is not None:
        check_settings(io.get("clerkguard", io) if isinstance(io, dict) else io, "initializationOptions.json", errors)
    schema = files.get("settings.schema.json")
    if schema is not None:
        if not isinstance(schema, dict) or schema.get("type") != "object":
            errors.append('settings.schema.json: must be a JSON schema with "type": "object"')
        elif s is not None and isinstance(s, dict):
            props = schema.get("properties", {})
            inner = props.get("clerkguard", {}).get("properties", {})
            for key in set(s) - set(props):
                errors.append(f"settings.schema.json: does not describe settings.json key {key!r}")
            for key in set(s.get("clerkguard", {})) - set(inner):
                errors.append(f"settings.schema.json: does not describe settings.json key clerkguard.{key}")
    for name in ("clientSettings.json", "experimental.json", "workspaceFolderSettings.json"):
        if name in files and not isinstance(files[name], dict):
            errors.append(f"{name}: must be an object")
    inst = files.get("installer.json")
    if inst is not None and (not isinstance(inst, dict) or not ({"check", "run"} & set(inst))):
        errors.append("installer.json: must be an object with `check` and/or `run` tasks")
    return errors


def load_dir(d):
    files, errors = {}, []
    for name in sorted(os.listdir(d)):
        p = os.path.join(d, name)
        if os.path.isdir(p):
            errors.append(f"{name}/: templates hold files only")
            continue
        with open(p, encoding="utf-8") as f:
            text = f.read()
        if name.endswith(".json"):
            try:
                files[name] = json.loads(text)
            except json.JSONDecodeError as e:
                errors.append(f"{name}: not strict JSON ({e})")
        else:
            files[name] = text
    return files, errors


def self_test(files):
    """Broken copies must be rejected: a validator that accepts everything checks nothing."""
    def broken(mutate):
        f = copy.deepcopy(files)
        mutate(f)
        return f
    cases = {
        "no template.json": lambda f: f.pop("template.json"),
        "no programArgs": lambda f: f["template.json"].pop("programArgs"),
        "programArgs without default": lambda f: f["template.json"]["programArgs"].pop("default"),
        "command not `clerkguard lsp`": lambda f: f["template.json"]["programArgs"].update(default="clerkguard check"),
        "unknown template key": lambda f: f["template.json"].update(mapping=[]),
        "fileType without name": lambda f: f["template.json"]["fileTypeMappings"][0]["fileType"].pop("name"),
        "tsx not mapped": lambda f: f["template.json"].update(fileTypeMappings=[m for m in f["template.json"]["fileTypeMappings"] if "*.tsx" not in m["fileType"].get("patterns", [])]),
        "wrong languageId": lambda f: f["template.json"]["fileTypeMappings"][0].update(languageId="typescript"),
        "settings not nested": lambda f: f.update({"settings.json": {"run": "onType"}}),
        "bad run value": lambda f: f["settings.json"]["clerkguard"].update(run="always"),
        "bad rule severity": lambda f: f["settings.json"]["clerkguard"].update(rules={"auth-not-awaited": "loud"}),
        "unknown file": lambda f: f.update({"plugin.xml": "<idea-plugin/>"}),
    }
    bad = [name for name, m in cases.items() if not validate_files(broken(m))]
    return len(cases), bad


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    d = sys.argv[1]
    files, errors = load_dir(d)
    errors += validate_files(files)
    print(f"LSP4IJ template {d}: {len(files)} files ({', '.join(sorted(files))})")
    for e in errors:
        print(f"  error: {e}")
    if "--self-test" in sys.argv and not errors:
        n, bad = self_test(files)
        for name in bad:
            errors.append(f"self-test: a broken template was accepted ({name})")
            print(f"  error: self-test: a broken template was accepted ({name})")
        print(f"self-test: {n - len(bad)}/{n} broken variants rejected")
    print("valid" if not errors else f"INVALID: {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
