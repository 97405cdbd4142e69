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
//!
//! The findings are serialised straight into that JSON ([`WireDiagnostics`]): building an
//! `lsp::Diagnostic` per finding, with its `data` as a `serde_json::Value`, and serialising
//! those took 183 + 132 µs for the 125 findings of the latency harness's 3,000-line file, more
//! than a tenth of a keystroke's time.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use clerkguard_linter::{Diagnostic, Fix, PositionEncoding, Severity, Workspace, WorkspaceFile, registry};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use tower_lsp_server::ls_types::{
    self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};

use crate::position::IndexedText;

/// Where rule documentation lives; the page of a rule is `<base><rule-id>.md`.
pub const RULE_DOCS_BASE: &str = "https://github.com/clerkguard/clerkguard/blob/main/docs/rules/";
/// The `source` of every diagnostic the server publishes.
pub const SOURCE: &str = "clerkguard";

/// The payload of `Diagnostic.data`, read back from the client's copy of a diagnostic
/// ([`DataRef`] writes it).
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
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

/// The documentation link of a registered rule (made once per rule, not per diagnostic).
fn docs_link(rule: &str) -> Option<&'static str> {
    static LINKS: OnceLock<HashMap<&'static str, String>> = OnceLock::new();
    let links = LINKS.get_or_init(|| registry().metas().map(|meta| (meta.id, rule_docs_url(meta.id))).collect());
    links.get(rule).map(String::as_str)
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

    /// Converts the positions of `findings` (and their related locations, when the client
    /// shows them), ready to be sent.
    pub fn convert_all(&mut self, findings: Arc<Vec<Diagnostic>>) -> WireDiagnostics {
        let converted = findings
            .iter()
            .map(|d| {
                let related = if self.related_information && !d.related.is_empty() {
                    Some(d.related.iter().filter_map(|r| self.related(r)).collect())
                } else {
                    None
                };
                Converted { range: self.text.range(d.range, self.encoding), related }
            })
            .collect();
        WireDiagnostics { findings, converted, version: self.version }
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

/// The findings of one file as the client is sent them: serialises to a JSON array of LSP
/// `Diagnostic`s.
#[derive(Default)]
pub struct WireDiagnostics {
    findings: Arc<Vec<Diagnostic>>,
    /// Per finding, in order.
    converted: Vec<Converted>,
    /// The document version fixes refer to (`None` for files not open).
    version: Option<i32>,
}

/// What a finding's LSP form needs beyond the finding: positions in the client's encoding.
struct Converted {
    range: lsp::Range,
    related: Option<Vec<DiagnosticRelatedInformation>>,
}

impl WireDiagnostics {
    pub fn is_empty(&self) -> bool {
        self.findings.is_empty()
    }
}

impl Serialize for WireDiagnostics {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let version = self.version;
        serializer.collect_seq(self.findings.iter().zip(&self.converted).map(|(finding, converted)| Wire {
            finding,
            converted,
            version,
        }))
    }
}

/// One finding as an LSP `Diagnostic` (the fields of `ls_types::Diagnostic`, in its order).
struct Wire<'a> {
    finding: &'a Diagnostic,
    converted: &'a Converted,
    version: Option<i32>,
}

impl Serialize for Wire<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.finding;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("range", &self.converted.range)?;
        map.serialize_entry("severity", &severity(d.severity))?;
        map.serialize_entry("code", &d.rule)?;
        if let Some(href) = docs_link(&d.rule) {
            map.serialize_entry("codeDescription", &Href { href })?;
        }
        map.serialize_entry("source", SOURCE)?;
        map.serialize_entry("message", &Message(d))?;
        if let Some(related) = &self.converted.related {
            map.serialize_entry("relatedInformation", related)?;
        }
        map.serialize_entry("data", &DataRef { version: self.version, fix: d.fix.as_ref() })?;
        map.end()
    }
}

#[derive(Serialize)]
struct Href<'a> {
    href: &'a str,
}

/// [`DiagnosticData`], borrowed.
#[derive(Serialize)]
struct DataRef<'a> {
    version: Option<i32>,
    fix: Option<&'a Fix>,
}

/// The message, then the help line when there is one: the same in every client.
struct Message<'a>(&'a Diagnostic);

impl Serialize for Message<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0.help.as_deref() {
            Some(help) if !help.is_empty() => serializer.collect_str(self),
            _ => serializer.serialize_str(&self.0.message),
        }
    }
}

impl fmt::Display for Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)?;
        if let Some(help) = self.0.help.as_deref().filter(|h| !h.is_empty()) {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use clerkguard_linter::{Edit, RelatedInfo, TextRange};

    use super::*;

    fn send(findings: Vec<Diagnostic>, related_information: bool) -> Vec<lsp::Diagnostic> {
        let text = "const a = \"é\";\nawait auth();\n";
        let path = PathBuf::from("/tmp/wire/a.ts");
        let uri = uri_for_path(&path).unwrap();
        let workspace = Workspace::new(vec![PathBuf::from("/tmp/wire")]);
        let wire = DiagnosticConverter::new(
            IndexedText::new(text),
            &path,
            &uri,
            PositionEncoding::Utf16,
            Some(7),
            related_information,
            &workspace,
        )
        .convert_all(Arc::new(findings));
        serde_json::from_slice(&serde_json::to_vec(&wire).unwrap()).unwrap()
    }

    #[test]
    fn findings_are_sent_as_lsp_diagnostics() {
        let fix = Fix::safe("Await it", vec![Edit::insert(16, "await ")]);
        let finding = Diagnostic::new("auth-not-awaited", Severity::Error, TextRange::new(16, 22), "Not awaited")
            .with_help("Add `await`");
        let mut finding = Diagnostic { fix: Some(fix.clone()), ..finding };
        finding.related.push(RelatedInfo {
            path: PathBuf::new(),
            range: TextRange::new(11, 13),
            message: "here".into(),
        });

        let [sent] = send(vec![finding.clone()], true).try_into().unwrap();
        assert_eq!(sent.range, lsp::Range::new(lsp::Position::new(1, 0), lsp::Position::new(1, 6)));
        assert_eq!(sent.severity, Some(DiagnosticSeverity::ERROR));
        assert_eq!(rule_of(&sent), Some("auth-not-awaited"));
        assert_eq!(sent.code_description.as_ref().unwrap().href.as_str(), rule_docs_url("auth-not-awaited"));
        assert_eq!(sent.message, "Not awaited\nhelp: Add `await`");
        let related = sent.related_information.clone().unwrap();
        // `é` is one UTF-16 unit: the related range is in the client's encoding.
        assert_eq!(related[0].location.range, lsp::Range::new(lsp::Position::new(0, 11), lsp::Position::new(0, 12)));
        assert_eq!(DiagnosticData::from_lsp(&sent), Some(DiagnosticData { version: Some(7), fix: Some(fix) }));

        // Without the client's support there is no related information; without help, the
        // message alone; an unknown rule has no documentation link.
        let [sent] = send(vec![finding], false).try_into().unwrap();
        assert!(sent.related_information.is_none());
        let plain = Diagnostic::new("not-a-rule", Severity::Hint, TextRange::new(0, 5), "Plain");
        let [sent] = send(vec![plain], true).try_into().unwrap();
        assert_eq!((sent.message.as_str(), &sent.code_description), ("Plain", &None));
        assert_eq!(DiagnosticData::from_lsp(&sent), Some(DiagnosticData { version: Some(7), fix: None }));
    }
}
