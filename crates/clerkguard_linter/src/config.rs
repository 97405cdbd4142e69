//! `clerkguard.json`: JSON with comments, at a project root.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;

use crate::Severity;

pub const CONFIG_FILE_NAME: &str = "clerkguard.json";

/// A rule's configured level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleLevel {
    Off,
    On(Severity),
    /// On at the rule's default severity (`--rule ID` turns a rule on without choosing a level).
    Enabled,
}

impl RuleLevel {
    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "off" => Self::Off,
            "hint" | "info" => Self::On(Severity::Hint),
            "warn" | "warning" => Self::On(Severity::Warning),
            "error" => Self::On(Severity::Error),
            _ => return None,
        })
    }
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RuleSettingRaw {
    Level(String),
    Object {
        #[serde(default)]
        severity: Option<String>,
        #[serde(default)]
        options: serde_json::Value,
    },
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ConfigRaw {
    #[serde(default, rename = "$schema")]
    _schema: Option<String>,
    #[serde(default)]
    rules: BTreeMap<String, RuleSettingRaw>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    guards: Vec<String>,
    #[serde(default)]
    protected: Vec<String>,
    #[serde(default)]
    public: Vec<String>,
}

/// The resolved configuration of one project.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// Where it was read from, when it came from a file.
    pub path: Option<PathBuf>,
    pub rule_levels: BTreeMap<String, RuleLevel>,
    pub rule_options: BTreeMap<String, serde_json::Value>,
    /// Glob patterns (relative to the project root) of files not to analyse.
    pub ignore: Vec<String>,
    ignore_set: Option<GlobSet>,
    /// Extra function names that guarantee a signed-in user when called (a fallback for guards
    /// the analysis cannot see, e.g. in a compiled package).
    pub guards: Vec<String>,
    /// Folder globs the project declares protected / public by intent.
    pub protected: Vec<String>,
    pub public: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: invalid JSON: {message}")]
    Json { path: PathBuf, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl Config {
    /// Loads `clerkguard.json` from `root` when present; a missing file is the default config.
    pub fn load_from_root(root: &Path) -> Result<Self, ConfigError> {
        let path = root.join(CONFIG_FILE_NAME);
        if !path.is_file() {
            return Ok(Self::default());
        }
        Self::load(&path)
    }

    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text =
            std::fs::read_to_string(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
        Self::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        let json = strip_jsonc(text);
        let raw: ConfigRaw = serde_json::from_str(&json)
            .map_err(|e| ConfigError::Json { path: path.to_path_buf(), message: e.to_string() })?;
        let mut config = Config { path: Some(path.to_path_buf()), ..Default::default() };
        for (rule, setting) in raw.rules {
            let (level, options) = match setting {
                RuleSettingRaw::Level(level) => (Some(level), serde_json::Value::Null),
                RuleSettingRaw::Object { severity, options } => (severity, options),
            };
            if let Some(level) = level {
                let parsed = RuleLevel::parse(&level).ok_or_else(|| ConfigError::Invalid {
                    path: path.to_path_buf(),
                    message: format!("rule `{rule}`: unknown level `{level}` (use off, hint, warn or error)"),
                })?;
                config.rule_levels.insert(rule.clone(), parsed);
            }
            if !options.is_null() {
                config.rule_options.insert(rule, options);
            }
        }
        config.ignore = raw.ignore;
        config.guards = raw.guards;
        config.protected = raw.protected;
        config.public = raw.public;
        config.ignore_set = build_globset(&config.ignore)
            .map_err(|message| ConfigError::Invalid { path: path.to_path_buf(), message })?;
        Ok(config)
    }

    /// Overrides rule levels (e.g. from editor settings), last writer wins. `Enabled` keeps a
    /// severity the file chose and only undoes `off`.
    pub fn with_overrides(mut self, overrides: &BTreeMap<String, RuleLevel>) -> Self {
        for (rule, level) in overrides {
            match (level, self.rule_levels.get(rule)) {
                (RuleLevel::Enabled, Some(RuleLevel::On(_))) => {}
                _ => {
                    self.rule_levels.insert(rule.clone(), *level);
                }
            }
        }
        self
    }

    /// Whether `rel_path` (relative to the project root, `/`-separated) is ignored.
    /// Whether any `ignore` glob is configured.
    pub fn has_ignores(&self) -> bool {
        self.ignore_set.is_some()
    }

    pub fn is_ignored(&self, rel_path: &Path) -> bool {
        self.ignore_set.as_ref().is_some_and(|set| set.is_match(rel_path))
    }
}

fn build_globset(patterns: &[String]) -> Result<Option<GlobSet>, String> {
    if patterns.is_empty() {
        return Ok(None);
    }
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern).map_err(|e| format!("ignore pattern `{pattern}`: {e}"))?;
        builder.add(glob);
        // `dir` and `dir/` also ignore everything below.
        let trimmed = pattern.trim_end_matches('/');
        if !trimmed.contains('*')
            && let Ok(glob) = Glob::new(&format!("{trimmed}/**"))
        {
            builder.add(glob);
        }
    }
    builder.build().map(Some).map_err(|e| e.to_string())
}

pub use clerkguard_project::strip_jsonc;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_jsonc_with_comments_and_trailing_commas() {
        let text = r#"{
            // rule levels
            "rules": { "auth-not-awaited": "warn", "parse-error": { "severity": "off" }, },
            /* a block */ "ignore": ["generated/", "**/*.test.ts"],
            "guards": ["requireAdmin"],
        }"#;
        let config = Config::parse(text, Path::new("clerkguard.json")).unwrap();
        assert_eq!(config.rule_levels["auth-not-awaited"], RuleLevel::On(Severity::Warning));
        assert_eq!(config.rule_levels["parse-error"], RuleLevel::Off);
        assert!(config.is_ignored(Path::new("generated/a/b.ts")));
        assert!(config.is_ignored(Path::new("lib/x.test.ts")));
        assert!(!config.is_ignored(Path::new("lib/x.ts")));
        assert_eq!(config.guards, ["requireAdmin"]);
    }

    #[test]
    fn trailing_comma_before_a_comment() {
        let config = Config::parse(r#"{"guards": ["a", /* b */], }"#, Path::new("c.json")).unwrap();
        assert_eq!(config.guards, ["a"]);
    }

    #[test]
    fn keeps_comment_markers_inside_strings() {
        assert_eq!(strip_jsonc(r#"{"a": "http://x/*y*/"}"#), r#"{"a": "http://x/*y*/"}"#);
    }

    #[test]
    fn rejects_unknown_levels_and_keys() {
        assert!(Config::parse(r#"{"rules": {"x": "loud"}}"#, Path::new("c.json")).is_err());
        assert!(Config::parse(r#"{"rulez": {}}"#, Path::new("c.json")).is_err());
    }
}
