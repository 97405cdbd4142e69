//! The blocking half of analysis: runs on a blocking thread, calls the analysis core, and
//! returns owned, ready-to-publish results. No analysis logic lives here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clerkguard_linter::{BufferCache, Diagnostic, FileReport, Workspace, WorkspaceFile};
use tower_lsp_server::ls_types::Uri;

use crate::capabilities::ClientCaps;
use crate::carry::merge_with_last_good;
use crate::diagnostics::{DiagnosticConverter, WireDiagnostics, uri_for_path};
use crate::document::Snapshot;
use crate::logging::LogLevel;
use crate::position::IndexedText;

/// The result of analysing one version of an open document.
pub struct OpenOutcome {
    pub version: i32,
    /// The findings, ready to be sent.
    pub lsp: WireDiagnostics,
    pub findings: Arc<Vec<Diagnostic>>,
    pub parsed_cleanly: bool,
    /// Other files whose findings may have changed with this version.
    pub dependents: Vec<PathBuf>,
    pub logs: Vec<(LogLevel, String)>,
    /// The cache the analysis was lent, now holding this version's syntax tree and analyses.
    pub cache: BufferCache,
}

/// The result of analysing a file that is not open.
pub struct ClosedOutcome {
    pub path: PathBuf,
    pub uri: Option<Uri>,
    pub lsp: WireDiagnostics,
    pub logs: Vec<(LogLevel, String)>,
}

pub fn analyse_open(
    workspace: &Workspace,
    snapshot: &Snapshot,
    mut cache: BufferCache,
    caps: &ClientCaps,
) -> OpenOutcome {
    let mut logs = Vec::new();
    let mut dependents = Vec::new();
    if snapshot.on_disk {
        // Only a newer version may replace the overlay, and none once the document closed.
        let mut overlay = snapshot.overlay.lock().unwrap_or_else(|p| p.into_inner());
        if !overlay.closed && overlay.version.is_none_or(|v| v < snapshot.version) {
            dependents = workspace.set_overlay_cached(&snapshot.path, Some(&snapshot.text), &mut cache);
            overlay.version = Some(snapshot.version);
        }
    }
    let report = workspace.lint_text_reparsing(&snapshot.path, &snapshot.text, &mut cache);
    note_report(&report, &mut logs);
    let clean = !report.syntax_error;
    let findings = match (&snapshot.last_good, clean) {
        (Some(last_good), false) => {
            merge_with_last_good(report.diagnostics, last_good, &snapshot.edits_since_good, &snapshot.path)
        }
        _ => report.diagnostics,
    };
    // The lint's own line index of this text, when the buffer kept it.
    let text = match cache.line_index_of(&snapshot.text) {
        Some(index) => IndexedText::with_index(&snapshot.text, index.clone()),
        None => IndexedText::new(&snapshot.text),
    };
    let findings = Arc::new(findings);
    let lsp = DiagnosticConverter::new(
        text,
        &snapshot.path,
        &snapshot.uri,
        caps.encoding,
        Some(snapshot.version),
        caps.related_information,
        workspace,
    )
    .convert_all(findings.clone());
    dependents.retain(|p| p != &snapshot.path);
    OpenOutcome { version: snapshot.version, lsp, findings, parsed_cleanly: clean, dependents, logs, cache }
}

pub fn analyse_closed(workspace: &Workspace, path: &Path, caps: &ClientCaps) -> ClosedOutcome {
    let mut logs = Vec::new();
    let uri = uri_for_path(path);
    let lsp = match workspace.read(path) {
        WorkspaceFile::Text(text) => {
            let report = workspace.lint_text(path, &text);
            note_report(&report, &mut logs);
            match &uri {
                Some(uri) => DiagnosticConverter::new(
                    IndexedText::new(&text),
                    path,
                    uri,
                    caps.encoding,
                    None,
                    caps.related_information,
                    workspace,
                )
                .convert_all(Arc::new(report.diagnostics)),
                None => WireDiagnostics::default(),
            }
        }
        WorkspaceFile::Skipped(reason) => {
            logs.push((LogLevel::Info, format!("skipped {}: {reason}", path.display())));
            WireDiagnostics::default()
        }
    };
    ClosedOutcome { path: path.to_path_buf(), uri, lsp, logs }
}

fn note_report(report: &FileReport, logs: &mut Vec<(LogLevel, String)>) {
    if let Some(reason) = &report.skipped {
        logs.push((LogLevel::Info, format!("skipped {}: {reason}", report.path.display())));
    }
    for rule in &report.panicked_rules {
        logs.push((
            LogLevel::Error,
            format!("rule `{rule}` panicked on {}; its findings were dropped", report.path.display()),
        ));
    }
}
