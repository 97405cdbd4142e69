//! Fixes (byte-range edits, possibly into other files) → LSP `WorkspaceEdit`s.

use std::collections::HashMap;
use std::path::Path;

use clerkguard_linter::{Edit, PositionEncoding, TextRange, Workspace, WorkspaceFile};
use tower_lsp_server::ls_types::{
    CreateFile, CreateFileOptions, DocumentChangeOperation, DocumentChanges, OneOf,
    OptionalVersionedTextDocumentIdentifier, ResourceOp, TextDocumentEdit, TextEdit, Uri, WorkspaceEdit,
};

use crate::diagnostics::uri_for_path;
use crate::position::IndexedText;
use crate::session::Session;

/// A file an edit applies to, with the text its byte ranges refer to.
#[derive(Clone, Debug)]
pub struct EditTarget {
    pub uri: Uri,
    /// The open document's version; `None` for a file that is not open.
    pub version: Option<i32>,
    pub text: String,
}

impl Session {
    /// The current text of `path` for editing: the open document when there is one, else disk.
    pub fn edit_target(&self, path: &Path, workspace: &Workspace) -> Option<EditTarget> {
        if let Some(doc) = self.documents.iter().find(|d| d.path == path) {
            return Some(EditTarget { uri: doc.uri.clone(), version: Some(doc.version), text: doc.text() });
        }
        match workspace.read(path) {
            WorkspaceFile::Text(text) => Some(EditTarget { uri: uri_for_path(path)?, version: None, text }),
            WorkspaceFile::Skipped(_) => None,
        }
    }
}

/// Collects text edits per file and builds a `WorkspaceEdit` in the form the client supports.
pub struct WorkspaceEditBuilder {
    encoding: PositionEncoding,
    document_changes: bool,
    files: Vec<(EditTarget, Vec<TextEdit>)>,
    /// Files the edit creates (before their text edits).
    creates: Vec<Uri>,
}

impl WorkspaceEditBuilder {
    pub fn new(encoding: PositionEncoding, document_changes: bool) -> Self {
        Self { encoding, document_changes, files: Vec::new(), creates: Vec::new() }
    }

    /// Creates the file at `path` (empty) before its edits are applied; `edits` are insertions
    /// into the empty text. Needs `documentChanges` (resource operations); fails without it.
    pub fn create<'a>(&mut self, path: &Path, edits: impl IntoIterator<Item = &'a Edit>) -> Result<(), String> {
        if !self.document_changes {
            return Err(format!("the client cannot create {}", path.display()));
        }
        let uri = uri_for_path(path).ok_or_else(|| format!("no URI for {}", path.display()))?;
        let target = EditTarget { uri: uri.clone(), version: None, text: String::new() };
        self.add(&target, edits)?;
        self.creates.push(uri);
        Ok(())
    }

    /// Adds edits whose byte ranges refer to `target.text`. Fails (adding nothing) when a range
    /// is out of bounds or not on character boundaries.
    pub fn add<'a>(&mut self, target: &EditTarget, edits: impl IntoIterator<Item = &'a Edit>) -> Result<(), String> {
        let indexed = IndexedText::new(&target.text);
        let mut converted = Vec::new();
        for edit in edits {
            check_range(&target.text, edit.range)
                .map_err(|()| format!("edit {:?} does not fit {}", edit.range, target.uri.as_str()))?;
            converted
                .push(TextEdit { range: indexed.range(edit.range, self.encoding), new_text: edit.new_text.clone() });
        }
        match self.files.iter_mut().find(|(t, _)| t.uri == target.uri) {
            Some((_, existing)) => existing.extend(converted),
            None => self.files.push((target.clone(), converted)),
        }
        Ok(())
    }

    pub fn is_empty(&self) -> bool {
        self.files.iter().all(|(_, edits)| edits.is_empty())
    }

    pub fn build(self) -> WorkspaceEdit {
        if self.document_changes && !self.creates.is_empty() {
            let mut operations: Vec<DocumentChangeOperation> = self
                .creates
                .iter()
                .map(|uri| {
                    DocumentChangeOperation::Op(ResourceOp::Create(CreateFile {
                        uri: uri.clone(),
                        options: Some(CreateFileOptions { overwrite: Some(false), ignore_if_exists: Some(true) }),
                        annotation_id: None,
                    }))
                })
                .collect();
            operations.extend(self.files.into_iter().map(|(target, edits)| {
                DocumentChangeOperation::Edit(TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri: target.uri, version: target.version },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                })
            }));
            return WorkspaceEdit {
                changes: None,
                document_changes: Some(DocumentChanges::Operations(operations)),
                change_annotations: None,
            };
        }
        if self.document_changes {
            let edits = self
                .files
                .into_iter()
                .map(|(target, edits)| TextDocumentEdit {
                    text_document: OptionalVersionedTextDocumentIdentifier { uri: target.uri, version: target.version },
                    edits: edits.into_iter().map(OneOf::Left).collect(),
                })
                .collect();
            WorkspaceEdit {
                changes: None,
                document_changes: Some(DocumentChanges::Edits(edits)),
                change_annotations: None,
            }
        } else {
            let changes: HashMap<Uri, Vec<TextEdit>> =
                self.files.into_iter().map(|(target, edits)| (target.uri, edits)).collect();
            WorkspaceEdit { changes: Some(changes), document_changes: None, change_annotations: None }
        }
    }
}

fn check_range(text: &str, range: TextRange) -> Result<(), ()> {
    let (start, end) = (range.start as usize, range.end as usize);
    if start <= end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end) {
        Ok(())
    } else {
        Err(())
    }
}

/// The smallest single replacement turning `old` into `new` (common prefix and suffix kept).
pub fn minimal_replacement(old: &str, new: &str) -> Option<(TextRange, String)> {
    if old == new {
        return None;
    }
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let max_suffix = old.len().min(new.len()) - prefix;
    let mut suffix = old.bytes().rev().zip(new.bytes().rev()).take(max_suffix).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(old.len() - suffix) || !new.is_char_boundary(new.len() - suffix) {
        suffix -= 1;
    }
    Some((TextRange::new(prefix as u32, (old.len() - suffix) as u32), new[prefix..new.len() - suffix].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creating_a_file_needs_document_changes_and_comes_first() {
        let path = std::env::temp_dir().join("clerkguard-missing-dir/middleware.ts");
        let edits = [Edit::insert(0, "export {};\n")];
        let mut plain = WorkspaceEditBuilder::new(PositionEncoding::Utf16, false);
        assert!(plain.create(&path, &edits).is_err());
        let mut builder = WorkspaceEditBuilder::new(PositionEncoding::Utf16, true);
        builder.create(&path, &edits).unwrap();
        let Some(DocumentChanges::Operations(ops)) = builder.build().document_changes else { panic!("operations") };
        assert!(matches!(&ops[0], DocumentChangeOperation::Op(ResourceOp::Create(_))));
        assert!(matches!(&ops[1], DocumentChangeOperation::Edit(e) if e.edits.len() == 1));
    }

    #[test]
    fn minimal_replacement_keeps_common_ends_on_char_boundaries() {
        let (old, new) = ("const a = auth();", "const a = await auth();");
        let (range, text) = minimal_replacement(old, new).unwrap();
        assert!(range.is_empty() && text.len() == 6);
        assert_eq!(clerkguard_linter::apply_edits(old, &[Edit::replace(range, text)]).unwrap(), new);
        let (range, text) = minimal_replacement("x🚀y", "x🚁y").unwrap();
        assert_eq!(&"x🚀y"[range.as_usize_range()], "🚀");
        assert_eq!(text, "🚁");
        assert!(minimal_replacement("same", "same").is_none());
    }
}
