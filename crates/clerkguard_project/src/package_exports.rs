//! package.json `exports` and `imports` maps: which target paths a subpath names.
//!
//! Conditions are not evaluated in object order (serde_json does not keep it); for analysis the
//! useful copy is the source, so targets come in a fixed preference: source-ish conditions first,
//! `types` last (a `.d.ts` is never a result, but it often sits next to, or maps back to, source).

use serde_json::{Map, Value};

/// Conditions in the order their targets are tried. Unknown conditions follow, then `types`.
const CONDITION_ORDER: [&str; 10] = [
    "source",
    "typescript",
    "development",
    "react-server",
    "import",
    "module",
    "node",
    "default",
    "require",
    "browser",
];

/// The targets `key` (`"."`, `"./auth"`, or `"#lib/x"` for `imports`) maps to, best first,
/// with a pattern's `*` substituted. Empty when the map does not export `key`.
pub(crate) fn map_targets(map: &Value, key: &str) -> Vec<String> {
    match map {
        Value::String(_) | Value::Array(_) if key == "." => condition_targets(map, None),
        Value::Object(entries) if entries.keys().any(|k| k.starts_with('.') || k.starts_with('#')) => {
            subpath_targets(entries, key)
        }
        Value::Object(_) if key == "." => condition_targets(map, None),
        _ => Vec::new(),
    }
}

fn subpath_targets(entries: &Map<String, Value>, key: &str) -> Vec<String> {
    if let Some(exact) = entries.get(key) {
        return condition_targets(exact, None);
    }
    // `"./*": "./src/*.ts"` patterns and legacy `"./utils/": "./src/utils/"` folders; the
    // longest prefix wins, as in Node.
    let mut best: Option<(usize, &Value, String)> = None;
    for (pattern, value) in entries {
        let matched = if let Some((prefix, suffix)) = pattern.split_once('*') {
            (key.len() >= prefix.len() + suffix.len() && key.starts_with(prefix) && key.ends_with(suffix))
                .then(|| (prefix.len(), key[prefix.len()..key.len() - suffix.len()].to_string()))
        } else if pattern.ends_with('/') && key.starts_with(pattern.as_str()) {
            Some((pattern.len(), key[pattern.len()..].to_string()))
        } else {
            None
        };
        if let Some((len, rest)) = matched
            && best.as_ref().is_none_or(|(best_len, _, _)| len > *best_len)
        {
            best = Some((len, value, rest));
        }
    }
    let Some((_, value, rest)) = best else { return Vec::new() };
    let folder = !value.as_str().is_some_and(|t| t.contains('*'));
    condition_targets(value, Some(&rest))
        .into_iter()
        .map(|t| if folder && t.ends_with('/') { format!("{t}{rest}") } else { t })
        .collect()
}

fn condition_targets(value: &Value, star: Option<&str>) -> Vec<String> {
    let mut out = Vec::new();
    collect(value, star, &mut out);
    out
}

fn collect(value: &Value, star: Option<&str>, out: &mut Vec<String>) {
    match value {
        Value::String(target) => {
            let target = match star {
                Some(rest) => target.replace('*', rest),
                None => target.clone(),
            };
            if !out.contains(&target) {
                out.push(target);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect(item, star, out)),
        Value::Object(conditions) => {
            for name in CONDITION_ORDER {
                if let Some(inner) = conditions.get(name) {
                    collect(inner, star, out);
                }
            }
            for (name, inner) in conditions {
                if !CONDITION_ORDER.contains(&name.as_str()) && name != "types" {
                    collect(inner, star, out);
                }
            }
            if let Some(inner) = conditions.get("types") {
                collect(inner, star, out);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn string_and_conditions() {
        assert_eq!(map_targets(&json!("./index.js"), "."), ["./index.js"]);
        assert!(map_targets(&json!("./index.js"), "./auth").is_empty());
        let conditions =
            json!({ "types": "./dist/index.d.ts", "import": "./dist/index.mjs", "require": "./dist/index.cjs" });
        assert_eq!(map_targets(&conditions, "."), ["./dist/index.mjs", "./dist/index.cjs", "./dist/index.d.ts"]);
    }

    #[test]
    fn subpaths_patterns_and_folders() {
        let map = json!({
            ".": { "import": "./src/index.ts" },
            "./auth": { "types": "./dist/auth.d.ts", "default": "./dist/auth.js" },
            "./utils/*": "./src/utils/*.ts",
            "./utils/internal/*": null,
            "./legacy/": "./src/legacy/",
            "./package.json": "./package.json"
        });
        assert_eq!(map_targets(&map, "."), ["./src/index.ts"]);
        assert_eq!(map_targets(&map, "./auth"), ["./dist/auth.js", "./dist/auth.d.ts"]);
        assert_eq!(map_targets(&map, "./utils/date"), ["./src/utils/date.ts"]);
        assert!(map_targets(&map, "./utils/internal/x").is_empty());
        assert_eq!(map_targets(&map, "./legacy/a"), ["./src/legacy/a"]);
        assert!(map_targets(&map, "./missing").is_empty());
        let imports = json!({ "#lib/*": "./src/lib/*.ts" });
        assert_eq!(map_targets(&imports, "#lib/auth"), ["./src/lib/auth.ts"]);
    }
}
