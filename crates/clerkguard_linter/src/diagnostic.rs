use std::path::PathBuf;

use clerkguard_syntax::TextRange;
use serde::{Deserialize, Serialize};

use crate::fix::Fix;

/// How loud a finding is. `Off` lives in configuration only; a diagnostic always has one of these.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hint => "hint",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A location in another file (or this one) that explains a finding, e.g. the matcher entry that
/// excludes a route.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedInfo {
    pub path: PathBuf,
    pub range: TextRange,
    pub message: String,
}

/// One finding of one rule in one file. Ranges are byte offsets into the file's text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// The rule id, e.g. `server-action-missing-auth` (a public interface: never renamed).
    pub rule: String,
    pub severity: Severity,
    pub range: TextRange,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, in one sentence.
    pub help: Option<String>,
    pub fix: Option<Fix>,
    pub related: Vec<RelatedInfo>,
}

impl Diagnostic {
    pub fn new(rule: &str, severity: Severity, range: TextRange, message: impl Into<String>) -> Self {
        Self {
            rule: rule.to_string(),
            severity,
            range,
            message: message.into(),
            help: None,
            fix: None,
            related: Vec::new(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_fix(mut self, fix: Option<Fix>) -> Self {
        self.fix = fix;
        self
    }

    pub fn with_related(mut self, related: RelatedInfo) -> Self {
        self.related.push(related);
        self
    }
}
