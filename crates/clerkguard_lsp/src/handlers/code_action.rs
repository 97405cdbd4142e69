use std::collections::HashSet;
use std::sync::Arc;

use clerkguard_linter::{Applicability, Diagnostic, Fix};
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    self as lsp, CodeAction, CodeActionKind, CodeActionOrCommand, CodeActionParams, CodeActionResponse,
};

use crate::capabilities::FIX_ALL_KIND;
use crate::code_actions::{ActionDocument, fix_all_action, is_ignorable, kind_wanted, suppression_edit};
use crate::diagnostics::{DiagnosticData, rule_of};
use crate::edits::{EditTarget, WorkspaceEditBuilder};
use crate::position::IndexedText;
use crate::session::Session;

pub async fn handle(session: &Arc<Session>, params: CodeActionParams) -> Result<Option<CodeActionResponse>> {
    let key = params.text_document.uri.as_str();
    let Some(doc) = session.documents.get(key).map(|d| ActionDocument {
        path: d.path.clone(),
        target: EditTarget { uri: d.uri.clone(), version: Some(d.version), text: d.text() },
    }) else {
        return Ok(None);
    };
    let only = params.context.only.as_deref();
    let mut actions = Vec::new();
    if kind_wanted(only, CodeActionKind::QUICKFIX.as_str()) {
        quick_fixes(session, &doc, &params.context.diagnostics, &mut actions).await;
    }
    if kind_wanted(only, FIX_ALL_KIND)
        && let Some(edit) = session.fix_all_edit(key).await
    {
        actions.push(CodeActionOrCommand::CodeAction(fix_all_action(edit)));
    }
    Ok(Some(actions))
}

async fn quick_fixes(
    session: &Arc<Session>,
    doc: &ActionDocument,
    diagnostics: &[lsp::Diagnostic],
    actions: &mut Vec<CodeActionOrCommand>,
) {
    let caps = session.caps();
    let workspace = session.workspace();
    let mut relinted: Option<Arc<Vec<Diagnostic>>> = None;
    let mut ignored: HashSet<(String, u32)> = HashSet::new();
    for diagnostic in diagnostics {
        let Some(rule) = rule_of(diagnostic) else { continue };
        let fix = match DiagnosticData::from_lsp(diagnostic) {
            Some(data) if data.version.is_some() && data.version == doc.target.version => data.fix,
            _ => {
                // No usable `data` (stripped by the client, or from another version): lint now.
                if relinted.is_none() {
                    relinted = session.lint_now(doc.path.clone(), doc.target.text.clone()).await;
                }
                relinted.as_deref().and_then(|findings| matching_fix(doc, findings, rule, diagnostic, &caps.encoding))
            }
        };
        if let Some(fix) = fix.filter(|f| f.applicability > Applicability::DisplayOnly)
            && let Some(edit) = session.fix_workspace_edit(doc, &fix, &caps, &workspace)
        {
            actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(edit),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..Default::default()
            }));
        }
        let line = diagnostic.range.start.line;
        if is_ignorable(rule)
            && ignored.insert((rule.to_string(), line))
            && let Some(edit) = suppression_edit(&doc.target.text, &doc.path, line, rule)
        {
            let mut builder = WorkspaceEditBuilder::new(caps.encoding, caps.document_changes);
            if builder.add(&doc.target, &[edit]).is_ok() {
                actions.push(CodeActionOrCommand::CodeAction(CodeAction {
                    title: format!("Ignore {rule} for this line"),
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![diagnostic.clone()]),
                    edit: Some(builder.build()),
                    is_preferred: Some(false),
                    ..Default::default()
                }));
            }
        }
    }
}

/// The fix of the fresh finding that matches a client diagnostic: same rule, same range (or,
/// failing that, an overlapping one).
fn matching_fix(
    doc: &ActionDocument,
    findings: &[Diagnostic],
    rule: &str,
    diagnostic: &lsp::Diagnostic,
    encoding: &clerkguard_linter::PositionEncoding,
) -> Option<Fix> {
    let indexed = IndexedText::new(&doc.target.text);
    let wanted = indexed.text_range(diagnostic.range, *encoding);
    let same_rule = || findings.iter().filter(|f| f.rule == rule);
    same_rule()
        .find(|f| f.range == wanted)
        .or_else(|| same_rule().find(|f| f.range.intersects(wanted) || f.range.contains_range(wanted)))
        .and_then(|f| f.fix.clone())
}
