//! Source text, parsing and positions for clerkguard.
//!
//! Everything here works in UTF-8 byte offsets into the file's text. Conversion to editor
//! positions (UTF-16 or UTF-8 columns) is done by [`LineIndex`] at the edge.

mod directives;
mod line_index;
mod parse;
mod range;
mod reparse;
mod source_kind;
#[doc(hidden)]
pub mod test_rng;
mod text_change;

pub use directives::{Directive, function_directives, module_directives};
pub use line_index::{LineCol, LineIndex, PositionEncoding};
pub use parse::{ParsedFile, SourceComment, SyntaxError, parse_source};
pub use range::TextRange;
pub use reparse::{ReparseKind, Reparser};
pub use source_kind::SourceKind;
pub use text_change::TextChange;

/// Re-exported so downstream crates use the exact swc versions this crate parses with.
pub use swc_atoms::Atom;
pub use swc_common;
pub use swc_ecma_ast as ast;
pub use swc_ecma_visit as visit;
