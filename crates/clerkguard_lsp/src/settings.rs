//! Editor settings: `initializationOptions`, `workspace/didChangeConfiguration` and
//! `workspace/configuration` all carry the same shape, optionally nested under `clerkguard`.
//!
//! ```json
//! { "enable": true, "run": "onType", "diagnostics": { "scope": "workspace" },
//!   "configPath": null, "rules": { "auth-not-awaited": "error" } }
//! ```

use std::collections::BTreeMap;
use std::path::PathBuf;

use clerkguard_linter::RuleLevel;
use serde_json::Value;

/// When open documents are analysed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum RunTrigger {
    #[default]
    OnType,
    OnSave,
}

/// Which files get diagnostics published.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum DiagnosticScope {
    /// Every analysable file of the workspace folders, open or not.
    #[default]
    Workspace,
    /// Open documents only.
    OpenFiles,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub enable: bool,
    pub run: RunTrigger,
    pub scope: DiagnosticScope,
    pub config_path: Option<PathBuf>,
    pub rules: BTreeMap<String, RuleLevel>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            enable: true,
            run: RunTrigger::default(),
            scope: DiagnosticScope::default(),
            config_path: None,
            rules: BTreeMap::new(),
        }
    }
}

impl Settings {
    /// Reads a settings payload. Returns `None` when the payload holds no clerkguard settings
    /// (null, not an object, or an unrelated object), so the current settings stay. Missing
    /// fields take their defaults; invalid values are reported in the warnings and ignored.
    pub fn from_value(value: &Value) -> (Option<Self>, Vec<String>) {
        let mut warnings = Vec::new();
        let object = match value.get("clerkguard") {
            Some(nested @ Value::Object(_)) => nested,
            _ => value,
        };
        let Some(object) = object.as_object() else {
            return (None, warnings);
        };
        const KNOWN: [&str; 5] = ["enable", "run", "diagnostics", "configPath", "rules"];
        if !object.keys().any(|k| KNOWN.contains(&k.as_str())) {
            return (None, warnings);
        }
        let mut settings = Self::default();
        match object.get("enable") {
            None | Some(Value::Null) => {}
            Some(Value::Bool(b)) => settings.enable = *b,
            Some(other) => warnings.push(format!("setting `enable` must be a boolean, got {other}")),
        }
        match object.get("run").map(|v| (v, v.as_str())) {
            None => {}
            Some((_, Some("onType"))) => settings.run = RunTrigger::OnType,
            Some((_, Some("onSave"))) => settings.run = RunTrigger::OnSave,
            Some((v, _)) => warnings.push(format!("setting `run` must be \"onType\" or \"onSave\", got {v}")),
        }
        match object.get("diagnostics").and_then(|d| d.get("scope")).map(|v| (v, v.as_str())) {
            None => {}
            Some((_, Some("workspace"))) => settings.scope = DiagnosticScope::Workspace,
            Some((_, Some("openFiles"))) => settings.scope = DiagnosticScope::OpenFiles,
            Some((v, _)) => {
                warnings.push(format!("setting `diagnostics.scope` must be \"workspace\" or \"openFiles\", got {v}"))
            }
        }
        match object.get("configPath") {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) if s.is_empty() => {}
            Some(Value::String(s)) => settings.config_path = Some(PathBuf::from(s)),
            Some(other) => warnings.push(format!("setting `configPath` must be a string or null, got {other}")),
        }
        match object.get("rules") {
            None | Some(Value::Null) => {}
            Some(Value::Object(rules)) => {
                for (rule, level) in rules {
                    match level.as_str().and_then(RuleLevel::parse) {
                        Some(level) => {
                            settings.rules.insert(rule.clone(), level);
                        }
                        None => warnings.push(format!(
                            "setting `rules.{rule}` must be \"off\", \"hint\", \"warn\" or \"error\", got {level}"
                        )),
                    }
                }
            }
            Some(other) => warnings.push(format!("setting `rules` must be an object, got {other}")),
        }
        (Some(settings), warnings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clerkguard_linter::Severity;
    use serde_json::json;

    #[test]
    fn reads_flat_and_nested_settings() {
        let flat = json!({ "enable": false, "run": "onSave", "diagnostics": { "scope": "openFiles" },
            "configPath": "cfg/clerkguard.json", "rules": { "a": "off", "b": "error" } });
        let (settings, warnings) = Settings::from_value(&flat);
        let settings = settings.unwrap();
        assert!(warnings.is_empty());
        assert!(!settings.enable);
        assert_eq!(settings.run, RunTrigger::OnSave);
        assert_eq!(settings.scope, DiagnosticScope::OpenFiles);
        assert_eq!(settings.config_path, Some(PathBuf::from("cfg/clerkguard.json")));
        assert_eq!(settings.rules.get("a"), Some(&RuleLevel::Off));
        assert_eq!(settings.rules.get("b"), Some(&RuleLevel::On(Severity::Error)));
        let nested = json!({ "clerkguard": flat });
        assert_eq!(Settings::from_value(&nested).0.unwrap(), settings);
    }

    #[test]
    fn ignores_unrelated_payloads_and_reports_bad_values() {
        assert!(Settings::from_value(&Value::Null).0.is_none());
        assert!(Settings::from_value(&json!({ "eslint": {} })).0.is_none());
        let (settings, warnings) = Settings::from_value(&json!({ "run": 3, "rules": { "x": "loud" } }));
        assert_eq!(settings.unwrap(), Settings::default());
        assert_eq!(warnings.len(), 2);
    }
}
