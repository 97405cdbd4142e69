//! Linter findings → LSP diagnostics.
//!
//! - `code` is the rule id, `codeDescription.href` its documentation page, `source` is
//!   `clerkguard`.
//! - The message is the finding's message; when the finding has a help line it follows on a
//!   second line as `help: …` (the same in every client).
//! - Severity: error → ERROR, warning → WARNING, hint → HINT (a rule configured as "hint" is
//!   meant to stay unobtrusive, which is what clients do with HINT).
//! - `relatedInformation` is sent when the client declares support for it.
//! - `data` carries the fix and the document version it was computed for, so code actions do
//!   not need to lint again.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use clerkguard_linter::{Diagnostic, Fix, PositionEncoding, Severity, Workspace, WorkspaceFile, registry};
use serde::{Deserialize, Serialize};
use tower_lsp_server::ls_types::{
    self as lsp, CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};

use crate::position::IndexedText;

/// Where rule documentation lives; the page of a rule is `<base><rule-id>.md`.
pub const RULE_DOCS_BASE: &str = "https://github.com/clerkguard/clerkguard/blob/main/docs/rules/";
/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "clerkguard";

/// The payload of `Diagnostic.data`.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct DiagnosticData {
    /// The document version the fix's byte ranges refer to (`None` for files not open).
    pub version: Option<i32>,
    pub fix: Option<Fix>,
}

impl DiagnosticData {
    /// Reads the payload back; `None` when it is missing or not ours.
    pub fn from_lsp(diagnostic: &lsp::Diagnostic) -> Option<Self> {
        serde_json::from_value(diagnostic.data.clone()?).ok()
    }
}

pub fn rule_docs_url(rule: &str) -> String {
    format!("{RULE_DOCS_BASE}{rule}.md")
}

/// The documentation link of a registered rule (parsed once per rule, not per diagnostic).
fn code_description(rule: &str) -> Option<CodeDescription> {
    static LINKS: OnceLock<HashMap<&'static str, CodeDescription>> = OnceLock::new();
    let links = LINKS.get_or_init(|| {
        registry()
            .metas()
            .filter_map(|meta| Some((meta.id, CodeDescription { href: rule_docs_url(meta.id).parse().ok()? })))
            .collect()
    });
    links.get(rule).cloned()
}

/// The rule id of one of our diagnostics.
pub fn rule_of(diagnostic: &lsp::Diagnostic) -> Option<&str> {
    if diagnostic.source.as_deref() != Some(SOURCE) {
        return None;
    }
    match &diagnostic.code {
        Some(NumberOrString::String(rule)) => Some(rule),
        _ => None,
    }
}

pub fn uri_for_path(path: &Path) -> Option<Uri> {
    Uri::from_file_path(path)
}

/// Converts the findings of one file. Related locations in other files are resolved against
/// their current text (open buffer or disk), read once per file.
pub struct DiagnosticConverter<'a> {
    text: IndexedText<'a>,
    path: &'a Path,
    uri: &'a Uri,
    encoding: PositionEncoding,
    version: Option<i32>,
    related_information: bool,
    workspace: &'a Workspace,
    other_files: HashMap<PathBuf, Option<String>>,
}

impl<'a> DiagnosticConverter<'a> {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        text: IndexedText<'a>,
        path: &'a Path,
        uri: &'a Uri,
        encoding: PositionEncoding,
        version: Option<i32>,
        related_information: bool,
        workspace: &'a Workspace,
    ) -> Self {
        Self { text, path, uri, encoding, version, related_information, workspace, other_files: HashMap::new() }
    }

    pub fn convert_all(&mut self, diagnostics: &[Diagnostic]) -> Vec<lsp::Diagnostic> {
        diagnostics.iter().map(|d| self.convert(d)).collect()
    }

    pub fn convert(&mut self, d: &Diagnostic) -> lsp::Diagnostic {
        let message = match &d.help {
            Some(help) if !help.is_empty() => format!("{}\nhelp: {help}", d.message),
            _ => d.message.clone(),
        };
        let code_description = code_description(&d.rule);
        let related_information = if self.related_information && !d.related.is_empty() {
            Some(d.related.iter().filter_map(|r| self.related(r)).collect())
        } else {
            None
        };
        let data = DiagnosticData { version: self.version, fix: d.fix.clone() };
        lsp::Diagnostic {
            range: self.text.range(d.range, self.encoding),
            severity: Some(severity(d.severity)),
            code: Some(NumberOrString::String(d.rule.clone())),
            code_description,
            source: Some(SOURCE.to_string()),
            message,
            related_information,
            tags: None,
            data: serde_json::to_value(data).ok(),
        }
    }

    fn related(&mut self, related: &clerkguard_linter::RelatedInfo) -> Option<DiagnosticRelatedInformation> {
        let (uri, range) = if related.path == self.path || related.path.as_os_str().is_empty() {
            (self.uri.clone(), self.text.range(related.range, self.encoding))
        } else {
            let workspace = self.workspace;
            let text = self
                .other_files
                .entry(related.path.clone())
                .or_insert_with(|| match workspace.read(&related.path) {
                    WorkspaceFile::Text(text) => Some(text),
                    WorkspaceFile::Skipped(_) => None,
                })
                .as_deref()?;
            (uri_for_path(&related.path)?, IndexedText::new(text).range(related.range, self.encoding))
        };
        Some(DiagnosticRelatedInformation { location: Location { uri, range }, message: related.message.clone() })
    }
}

pub fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Hint => DiagnosticSeverity::HINT,
    }
}
