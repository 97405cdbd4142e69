//! `clerkguard rule` and `clerkguard lsp` entry points.

mod common;

use std::path::Path;

use common::run_in;

#[test]
fn lists_every_rule() {
    let run = run_in(Path::new("."), &["rule"]);
    run.assert_code(0);
    let header = run.stdout.lines().next().unwrap();
    assert!(header.starts_with("RULE") && header.contains("CATEGORY") && header.contains("SUMMARY"), "{header}");
    for id in ["parse-error", "suppression-unused", "suppression-without-reason"] {
        assert!(run.stdout.lines().any(|l| l.starts_with(id)), "{id} missing:\n{}", run.stdout);
    }
}

#[test]
fn prints_exactly_the_generated_docs_page() {
    let run = run_in(Path::new("."), &["rule", "suppression-unused"]);
    run.assert_code(0);
    let page = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/rules/suppression-unused.md");
    let expected = std::fs::read_to_string(page).expect("docs/rules/suppression-unused.md is generated");
    assert_eq!(run.stdout, expected);
}

#[test]
fn unknown_rule_is_a_usage_error_with_a_suggestion() {
    let run = run_in(Path::new("."), &["rule", "parse-eror"]);
    run.assert_code(2);
    assert!(run.stderr.contains("unknown rule `parse-eror`; did you mean `parse-error`?"), "{}", run.stderr);
}

fn lsp_frame(body: &str) -> String {
    format!("Content-Length: {}\r\n\r\n{body}", body.len())
}

/// Reads one `Content-Length` framed message.
fn read_frame(reader: &mut impl std::io::BufRead) -> String {
    let mut length = 0;
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).expect("read header") > 0, "server closed stdout");
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().expect("numeric Content-Length");
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).expect("read body");
    String::from_utf8(body).expect("UTF-8 body")
}

/// Reads frames until the response to request `id`.
fn read_response(reader: &mut impl std::io::BufRead, id: u32) -> String {
    let needle = format!(r#""id":{id}"#);
    read_until(reader, |frame| frame.contains(&needle) && !frame.contains(r#""method""#))
}

/// Reads frames until one that `wanted` accepts.
fn read_until(reader: &mut impl std::io::BufRead, wanted: impl Fn(&str) -> bool) -> String {
    loop {
        let frame = read_frame(reader);
        if wanted(&frame) {
            return frame;
        }
    }
}

#[test]
fn lsp_serves_stdio_and_exits_zero_after_shutdown() {
    use std::io::Write as _;
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_clerkguard"))
        .args(["lsp", "--log-level", "error"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start clerkguard lsp");
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut send = |message: &str| {
        stdin.write_all(lsp_frame(message).as_bytes()).unwrap();
        stdin.flush().unwrap();
    };

    send(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    let initialized = read_response(&mut stdout, 1);
    assert!(initialized.contains(r#""capabilities""#), "{initialized}");
    send(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
    // A malformed message is answered, and the session goes on.
    send("{nope");
    let rejected = read_until(&mut stdout, |frame| frame.contains(r#""id":null"#));
    assert!(rejected.contains("-32700"), "{rejected}");
    // An opened document's findings are published (from the analysis thread, through stdout's).
    send(
        r#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"untitled:a.ts","languageId":"typescript","version":3,"text":"export const a = 1;\n"}}}"#,
    );
    let published = read_until(&mut stdout, |frame| frame.contains("textDocument/publishDiagnostics"));
    assert!(published.contains(r#""uri":"untitled:a.ts""#) && published.contains(r#""version":3"#), "{published}");
    send(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#);
    read_response(&mut stdout, 2);
    send(r#"{"jsonrpc":"2.0","method":"exit"}"#);
    let status = child.wait().expect("server exits");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn lsp_rejects_unknown_log_levels() {
    run_in(Path::new("."), &["lsp", "--log-level", "loud"]).assert_code(2);
}
