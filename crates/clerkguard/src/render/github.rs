//! `--format github`: GitHub Actions workflow commands, one annotation per finding:
//!
//! ```text
//! ::error file=app/actions.ts,line=4,endLine=4,col=23,endColumn=33,title=server-action-missing-auth::message
//! ```
//!
//! Hints become `notice`. Columns are 1-based UTF-16 code units. The message carries the help
//! on a second line. Escaping follows the runner's rules: in the message `%`, `\r`, `\n`; in
//! properties also `:` and `,`.

use std::fmt::Write as _;

use clerkguard_linter::Severity;

use super::{Position, RenderInput};
use crate::mask::mask_secrets;

pub fn render(input: &RenderInput<'_>) -> String {
    let mut out = String::new();
    let mut sources = input.sources();
    for (file, d) in input.findings() {
        let source = sources.get(&file.path);
        let start = Position::of(source.as_ref(), d.range.start);
        let end = Position::of(source.as_ref(), d.range.end);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Hint => "notice",
        };
        let mut message = mask_secrets(&d.message).into_owned();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(&mask_secrets(help));
        }
        let _ = writeln!(
            out,
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            escape_property(&input.display_path(&file.path)),
            start.line,
            end.line,
            start.column_utf16,
            end.column_utf16,
            escape_property(&d.rule),
            escape_data(&message),
        );
    }
    out
}

/// Escapes a workflow command's message.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow command's property value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("100% sure\r\nnext: a, b"), "100%25 sure%0D%0Anext: a, b");
        assert_eq!(escape_property("app/a,b:c%.ts"), "app/a%2Cb%3Ac%25.ts");
    }
}
