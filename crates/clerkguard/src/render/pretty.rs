//! Code frames for people, in the style of rustc and oxlint:
//!
//! ```text
//! error[server-action-missing-auth]: Server action `deleteUser` writes data without checking auth
//!  --> app/actions.ts:4:23
//!   |
//! 4 | export async function deleteUser(id: string) {
//!   |                       ^^^^^^^^^^
//!   |
//!   = help: Call `auth()` and return early when `userId` is null
//!   = fix available (safe): Insert an auth guard; run with `--fix`
//! ```
//!
//! Columns in the `-->` line count characters (1-based). Underlines are placed by display width:
//! tabs expand to four columns and wide characters (CJK, emoji) take two.

use std::fmt::Write as _;
use std::sync::Mutex;

use clerkguard_linter::{Applicability, Diagnostic, Severity};
use rayon::prelude::*;
use unicode_width::UnicodeWidthChar;

use super::{Counts, Position, RenderInput, SourceFile, plural};
use crate::check::CheckedFile;
use crate::mask::{mask_secrets, secret_spans};

const TAB_WIDTH: usize = 4;
/// Longer multi-line ranges show their first and last lines around an ellipsis.
const MAX_FRAME_LINES: usize = 6;

pub struct PrettyOptions {
    pub color: bool,
    /// Files that were analysed (for the summary line).
    pub files_checked: usize,
    /// Whether `--fix` ran (the summary then does not advertise it again).
    pub fix_ran: bool,
}

struct Paint {
    enabled: bool,
}

impl Paint {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    }

    fn severity(&self, severity: Severity, text: &str) -> String {
        let code = match severity {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Hint => "1;36",
        };
        self.paint(code, text)
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }

    fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }
}

pub fn render(input: &RenderInput<'_>, options: &PrettyOptions) -> String {
    let paint = Paint { enabled: options.color };
    let sources = Mutex::new(input.sources());
    // Files render in parallel (each with its line index built once), in their order.
    let chunks: Vec<String> = input
        .files
        .par_iter()
        .map(|file| {
            let mut out = String::new();
            if file.report.diagnostics.is_empty() {
                return out;
            }
            let source = file.text.as_deref().map(SourceFile::new);
            for diagnostic in &file.report.diagnostics {
                render_diagnostic(&mut out, input, &sources, file, source.as_ref(), diagnostic, &paint);
                out.push('\n');
            }
            out
        })
        .collect();
    let mut out = chunks.concat();
    out.push_str(&summary(input.files, options, &paint));
    out
}

fn render_diagnostic(
    out: &mut String,
    input: &RenderInput<'_>,
    sources: &Mutex<super::Sources<'_>>,
    file: &CheckedFile,
    source: Option<&SourceFile<'_>>,
    d: &Diagnostic,
    paint: &Paint,
) {
    let label = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Hint => "hint",
    };
    let start = Position::of(source, d.range.start);
    let frame = source.map(|s| frame_lines(s, d.range.start, d.range.end)).unwrap_or_default();
    let gutter_width = frame.iter().filter_map(|l| l.number).max().unwrap_or(start.line).to_string().len();
    let pad = " ".repeat(gutter_width);
    let bar = paint.gutter("|");

    let _ = writeln!(
        out,
        "{}{}",
        paint.severity(d.severity, &format!("{label}[{}]", d.rule)),
        paint.bold(&format!(": {}", mask_secrets(&d.message)))
    );
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}",
        paint.gutter("-->"),
        input.display_path(&file.path),
        start.line,
        start.column_chars
    );
    if !frame.is_empty() {
        let _ = writeln!(out, "{pad} {bar}");
        for line in &frame {
            match line.number {
                Some(n) => {
                    let number = paint.gutter(&format!("{n:>gutter_width$}"));
                    let _ = writeln!(out, "{number} {bar} {}", line.text.trim_end());
                    if let Some((from, to)) = line.underline {
                        let carets = paint.severity(d.severity, &"^".repeat((to - from).max(1)));
                        let _ = writeln!(out, "{pad} {bar} {}{carets}", " ".repeat(from));
                    }
                }
                None => {
                    let _ = writeln!(out, "{} {bar}", paint.gutter(&format!("{:>gutter_width$}", "...")));
                }
            }
        }
        let _ = writeln!(out, "{pad} {bar}");
    }
    let eq = paint.gutter("=");
    if let Some(help) = &d.help {
        let _ = writeln!(out, "{pad} {eq} {}: {}", paint.bold("help"), mask_secrets(help));
    }
    for related in &d.related {
        let pos = {
            let mut sources = sources.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let target = sources.get(&related.path);
            Position::of(target.as_ref(), related.range.start)
        };
        let _ = writeln!(
            out,
            "{pad} {eq} {}: {}:{}:{}: {}",
            paint.bold("note"),
            input.display_path(&related.path),
            pos.line,
            pos.column_chars,
            mask_secrets(&related.message)
        );
    }
    if let Some(fix) = &d.fix {
        let how = match fix.applicability {
            Applicability::Safe => "safe; run with `--fix`",
            Applicability::Unsafe => "unsafe; run with `--fix --unsafe-fixes` and review the diff",
            Applicability::DisplayOnly => "suggestion; apply it by hand",
        };
        let _ = writeln!(out, "{pad} {eq} {}: {} ({how})", paint.bold("fix available"), mask_secrets(&fix.title));
    }
}

/// One row of a code frame: a numbered source line (display text, underline span in display
/// columns) or an elision marker (`number: None`).
#[derive(Debug, Default, PartialEq, Eq)]
struct FrameLine {
    number: Option<u32>,
    text: String,
    underline: Option<(usize, usize)>,
}

fn frame_lines(source: &SourceFile<'_>, start: u32, end: u32) -> Vec<FrameLine> {
    let text = source.text;
    let len = text.len() as u32;
    let (start, end) = (start.min(len), end.min(len).max(start.min(len)));
    let first = source.index.line_of(start);
    // A range ending right after a newline ends on the line before.
    let last = if end > start { source.index.line_of(end - 1) } else { first };
    let all: Vec<u32> = (first..=last).collect();
    let shown: Vec<Option<u32>> = if all.len() > MAX_FRAME_LINES {
        let head = MAX_FRAME_LINES / 2;
        let tail = MAX_FRAME_LINES - head - 1;
        all[..head]
            .iter()
            .map(|&l| Some(l))
            .chain([None])
            .chain(all[all.len() - tail..].iter().map(|&l| Some(l)))
            .collect()
    } else {
        all.iter().map(|&l| Some(l)).collect()
    };
    shown
        .into_iter()
        .map(|line| match line {
            None => FrameLine::default(),
            Some(line) => {
                let (line_start, line_end) = source.index.line_range(text, line).unwrap_or((len, len));
                let line_text = text.get(line_start as usize..line_end as usize).unwrap_or("");
                let (display, col_at) = display_line(line_text);
                let from_byte = start.max(line_start) - line_start;
                let to_byte = end.min(line_end).max(start.max(line_start)) - line_start;
                let mut from = col_at[from_byte as usize];
                let to = col_at[to_byte as usize];
                if line != first {
                    // Continuation lines are underlined from their first non-blank character.
                    let indent = line_text.len() - line_text.trim_start().len();
                    from = from.max(col_at[indent.min(to_byte as usize)]);
                }
                let underline = if to > from || first == last { Some((from, to.max(from))) } else { None };
                FrameLine { number: Some(line + 1), text: display, underline }
            }
        })
        .collect()
}

/// The line as it is shown (tabs expanded, control characters replaced, secrets masked) and the
/// display column of every byte offset of the original line (`len + 1` entries).
fn display_line(line: &str) -> (String, Vec<usize>) {
    let mut display = String::with_capacity(line.len());
    let mut col_at = vec![0; line.len() + 1];
    let mut col = 0;
    let mut secrets = secret_spans(line).into_iter().peekable();
    let mut i = 0;
    while i < line.len() {
        if let Some(span) = secrets.next_if(|s| s.range.start == i) {
            col_at[span.range.clone()].fill(col);
            display.push_str(&span.replacement);
            col += span.replacement.chars().map(|c| c.width().unwrap_or(0)).sum::<usize>();
            i = span.range.end;
            continue;
        }
        let Some(c) = line[i..].chars().next() else { break };
        col_at[i..i + c.len_utf8()].fill(col);
        match c {
            '\t' => {
                display.push_str(&" ".repeat(TAB_WIDTH));
                col += TAB_WIDTH;
            }
            c if c.is_control() => {
                display.push('\u{fffd}');
                col += 1;
            }
            c => {
                display.push(c);
                col += c.width().unwrap_or(0);
            }
        }
        i += c.len_utf8();
    }
    col_at[line.len()] = col;
    (display, col_at)
}

fn summary(files: &[CheckedFile], options: &PrettyOptions, paint: &Paint) -> String {
    let counts = Counts::of(files);
    let checked = plural(options.files_checked, "file");
    if counts.total() == 0 {
        return format!("{} ({checked} checked)\n", paint.bold("No issues found"));
    }
    let mut parts = vec![plural(counts.errors, "error"), plural(counts.warnings, "warning")];
    if counts.hints > 0 {
        parts.push(plural(counts.hints, "hint"));
    }
    let mut out = format!(
        "{} in {} ({checked} checked)\n",
        paint.bold(&parts.join(", ")),
        plural(counts.files_with_findings, "file")
    );
    if !options.fix_ran && counts.safe_fixable > 0 {
        let _ = writeln!(out, "{} fixable with `--fix`", plural(counts.safe_fixable, "issue"));
    }
    if counts.unsafe_fixable > 0 {
        let _ = writeln!(out, "{} fixable with `--fix --unsafe-fixes`", plural(counts.unsafe_fixable, "more issue"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(text: &str, start: usize, end: usize) -> Vec<FrameLine> {
        let source = SourceFile::new(text);
        frame_lines(&source, start as u32, end as u32)
    }

    #[test]
    fn underlines_tabs_and_wide_characters_by_display_width() {
        let text = "\tconst 日本 = x;";
        let start = text.find('x').unwrap();
        let lines = frame(text, start, start + 1);
        assert_eq!(lines[0].text, "    const 日本 = x;");
        // 4 (tab) + 6 ("const ") + 4 (two wide chars) + 3 (" = ")
        assert_eq!(lines[0].underline, Some((17, 18)));
    }

    #[test]
    fn multi_line_ranges_underline_each_line() {
        let text = "a(\n  b,\n  c)\n";
        let lines = frame(text, 1, text.len() - 1);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].underline, Some((1, 2)));
        assert_eq!(lines[1].underline, Some((2, 4)));
        assert_eq!(lines[2].underline, Some((2, 4)));
    }

    #[test]
    fn long_ranges_are_elided() {
        let text = "x\n".repeat(20);
        let lines = frame(&text, 0, text.len());
        assert_eq!(lines.len(), MAX_FRAME_LINES);
        assert!(lines.iter().any(|l| l.number.is_none()));
    }

    #[test]
    fn masks_secrets_in_frames_and_keeps_underlines_aligned() {
        let text = r#"const k = "sk_live_0123456789abcdefWXYZ"; bad()"#;
        let start = text.find("bad").unwrap();
        let lines = frame(text, start, start + 3);
        assert_eq!(lines[0].text, r#"const k = "sk_live_…WXYZ"; bad()"#);
        let col = lines[0].text.chars().take_while(|&c| c != 'b').count();
        assert_eq!(lines[0].underline, Some((col, col + 3)));
    }

    #[test]
    fn empty_ranges_get_one_caret_at_the_position() {
        let lines = frame("abc", 3, 3);
        assert_eq!(lines[0].underline, Some((3, 3)));
    }
}
