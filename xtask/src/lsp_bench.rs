//! `cargo xtask lsp-bench`: starts a language server on a generated workspace, waits for the
//! workspace scan, opens the large file, replays typing as single-character incremental
//! `didChange` edits, and measures `didChange` → `publishDiagnostics` latency (matched on the
//! document version), time to all workspace diagnostics, and the server's peak RSS. Also times
//! `clerkguard_syntax::parse_source` on the edited file, the yardstick for the latency target.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::lsp_client::{Incoming, LspProcess, file_uri};

pub struct Options {
    pub label: String,
    pub command: String,
    pub workspace: PathBuf,
    pub file: PathBuf,
    pub edits: usize,
    pub pause: Duration,
    /// Wait for the server's workspace scan (`$/progress` end) before opening the file.
    pub wait_workspace: bool,
}

/// What we type, one character per edit, at the start of a function body in the middle of
/// the file: every prefix is a state the editor really sends (most of them do not parse).
const TYPED: &str = "  const note = [\"audit\", id, Date.now()].join(\":\");\n";

pub fn run(opts: &Options) -> Result<Value, String> {
    let text = std::fs::read_to_string(&opts.file).map_err(|e| format!("{}: {e}", opts.file.display()))?;
    let workspace = opts.workspace.canonicalize().map_err(|e| format!("{}: {e}", opts.workspace.display()))?;
    let file = opts.file.canonicalize().map_err(|e| format!("{}: {e}", opts.file.display()))?;
    let uri = file_uri(&file);
    let root_uri = file_uri(&workspace);
    let (line, insert_at) = insertion_point(&text).ok_or("no function body to type into")?;
    let parse = parse_times(&text, insert_at);

    let mut server = LspProcess::spawn(&opts.command).map_err(|e| format!("cannot start `{}`: {e}", opts.command))?;
    let started = Instant::now();
    let init = server.request(
        "initialize",
        json!({
            "processId": std::process::id(),
            "rootUri": root_uri,
            "workspaceFolders": [{ "uri": root_uri, "name": "bench" }],
            "capabilities": {
                "general": { "positionEncodings": ["utf-16"] },
                "window": { "workDoneProgress": true },
                "workspace": { "workspaceFolders": true, "configuration": false },
                "textDocument": {
                    "synchronization": { "didSave": true, "dynamicRegistration": false },
                    "publishDiagnostics": { "versionSupport": true, "relatedInformation": true }
                }
            },
            "initializationOptions": {}
        }),
    );
    let mut published: Vec<(Instant, String, Option<i64>)> = Vec::new();
    let record = |m: &Incoming, published: &mut Vec<(Instant, String, Option<i64>)>| {
        if m.msg.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics") {
            let uri = m.msg.pointer("/params/uri").and_then(Value::as_str).unwrap_or("").to_string();
            let version = m.msg.pointer("/params/version").and_then(Value::as_i64);
            published.push((m.at, uri, version));
        }
    };
    server
        .wait_response(init, Duration::from_secs(60), |m| record(m, &mut published))
        .ok_or("no initialize response")?;
    let init_ms = ms(started.elapsed());
    server.notify("initialized", json!({}));

    // Workspace scan: done when the server ends its progress report; servers without a scan
    // are given a quiet period instead.
    let mut scan_ms = None;
    if opts.wait_workspace {
        let deadline = Instant::now() + Duration::from_secs(600);
        let mut saw_progress = false;
        while Instant::now() < deadline {
            let quiet = if saw_progress { Duration::from_secs(120) } else { Duration::from_secs(3) };
            let Some(m) = server.recv(quiet) else { break };
            record(&m, &mut published);
            if m.msg.get("method").and_then(Value::as_str) == Some("$/progress") {
                saw_progress = true;
                if m.msg.pointer("/params/value/kind").and_then(Value::as_str) == Some("end") {
                    scan_ms = Some(ms(m.at - started));
                    break;
                }
            }
        }
    }
    let workspace_uris: BTreeSet<&str> = published.iter().map(|(_, u, _)| u.as_str()).collect();
    let workspace_uri_count = workspace_uris.len();
    let last_workspace_publish_ms = published.last().map(|(t, _, _)| ms(*t - started));
    let (hwm_after_scan, rss_after_scan) = server.memory_kb();

    // Open the file and wait for its first diagnostics.
    let lang = if file.extension().is_some_and(|e| e == "tsx") { "typescriptreact" } else { "typescript" };
    let opened = Instant::now();
    server.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": lang, "version": 1, "text": text } }),
    );
    let open_ms =
        wait_for_version(&mut server, &uri, 1, opened, Duration::from_secs(30), &mut published).map(|t| ms(t - opened));

    // Typing.
    let mut sent: Vec<(i64, Instant)> = Vec::new();
    let (mut l, mut c) = (line, 0u32);
    for (i, ch) in TYPED.chars().cycle().take(opts.edits).enumerate() {
        let version = 2 + i as i64;
        let change = json!({
            "range": { "start": { "line": l, "character": c }, "end": { "line": l, "character": c } },
            "text": ch.to_string()
        });
        let at = Instant::now();
        server.notify(
            "textDocument/didChange",
            json!({ "textDocument": { "uri": uri, "version": version }, "contentChanges": [change] }),
        );
        sent.push((version, at));
        if ch == '\n' {
            (l, c) = (l + 1, 0);
        } else {
            c += ch.len_utf16() as u32;
        }
        let until = at + opts.pause;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match server.recv(left) {
                Some(m) => record(&m, &mut published),
                None => break,
            }
        }
    }
    // The final version's publish may already have arrived while typing: look from the moment
    // the last edit was sent, not from now.
    let (last_version, last_sent) = sent.last().map_or((1, Instant::now()), |(v, at)| (*v, *at));
    let final_at =
        wait_for_version(&mut server, &uri, last_version, last_sent, Duration::from_secs(30), &mut published);
    let (hwm, rss) = server.memory_kb();
    server.shutdown();

    // Latency of version v: the first publish for the file carrying v or later (a server that
    // coalesces edits answers several versions with one publish), or, for servers that send no
    // version, the first publish for the file after the edit.
    let file_publishes: Vec<(Instant, Option<i64>)> =
        published.iter().filter(|(_, u, _)| *u == uri).map(|(t, _, v)| (*t, *v)).collect();
    let mut latencies: Vec<f64> = Vec::new();
    let mut in_order: Vec<Option<f64>> = Vec::new();
    let mut unanswered = 0;
    for (version, at) in &sent {
        let answered = file_publishes
            .iter()
            .find(|(t, v)| *t >= *at && v.is_none_or(|v| v >= *version))
            .map(|(t, _)| ms(*t - *at));
        in_order.push(answered);
        match answered {
            Some(latency) => latencies.push(latency),
            None => unanswered += 1,
        }
    }
    latencies.sort_by(f64::total_cmp);
    let file_versions_published = file_publishes.iter().filter(|(_, v)| v.is_some_and(|v| v >= 2)).count();
    Ok(json!({
        "label": opts.label,
        "command": opts.command,
        "workspace": workspace,
        "file": file,
        "file_lines": text.lines().count(),
        "file_bytes": text.len(),
        "edits": opts.edits,
        "pause_ms": ms(opts.pause),
        "initialize_ms": init_ms,
        "workspace_scan_end_ms": scan_ms,
        "workspace_uris_published": workspace_uri_count,
        "last_workspace_publish_ms": last_workspace_publish_ms,
        "rss_after_scan_kb": rss_after_scan,
        "peak_rss_after_scan_kb": hwm_after_scan,
        "open_to_diagnostics_ms": open_ms,
        "final_version_published": final_at.is_some(),
        "publishes_for_file_during_typing": file_versions_published,
        "unanswered_edits": unanswered,
        "latency_ms": {
            "p50": percentile(&latencies, 50.0),
            "p95": percentile(&latencies, 95.0),
            "p99": percentile(&latencies, 99.0),
            "max": latencies.last().copied(),
        },
        "latency_by_edit_ms": in_order,
        "peak_rss_kb": hwm,
        "rss_kb": rss,
        "parse_ms": parse,
    }))
}

fn wait_for_version(
    server: &mut LspProcess,
    uri: &str,
    version: i64,
    since: Instant,
    timeout: Duration,
    published: &mut Vec<(Instant, String, Option<i64>)>,
) -> Option<Instant> {
    let seen = |p: &(Instant, String, Option<i64>)| p.1 == uri && p.0 >= since && p.2.is_none_or(|v| v >= version);
    if let Some(p) = published.iter().find(|p| seen(p)) {
        return Some(p.0);
    }
    let deadline = Instant::now() + timeout;
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let m = server.recv(left)?;
        if m.msg.get("method").and_then(Value::as_str) == Some("textDocument/publishDiagnostics") {
            let entry = (
                m.at,
                m.msg.pointer("/params/uri").and_then(Value::as_str).unwrap_or("").to_string(),
                m.msg.pointer("/params/version").and_then(Value::as_i64),
            );
            let hit = seen(&entry);
            published.push(entry);
            if hit {
                return Some(m.at);
            }
        }
    }
    None
}

/// The line after the first `export async function … {` at or past the middle of the file,
/// and its byte offset.
fn insertion_point(text: &str) -> Option<(u32, usize)> {
    let total = text.lines().count();
    let mut offset = 0;
    let mut found_header = false;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if found_header {
            return Some((i as u32, offset));
        }
        if i >= total / 2 && line.starts_with("export async function") && line.trim_end().ends_with('{') {
            found_header = true;
        }
        offset += line.len();
    }
    None
}

/// Median `parse_source` time of the file as it is, and with the typed line half-way in (a
/// state that needs the recovery pass).
fn parse_times(text: &str, insert_at: usize) -> Value {
    let kind = clerkguard_syntax::SourceKind::TypeScript;
    let half = &TYPED[..TYPED.len() / 2];
    let broken = format!("{}{half}{}", &text[..insert_at], &text[insert_at..]);
    let time = |src: &str| {
        let mut samples: Vec<f64> = (0..25)
            .map(|_| {
                let t = Instant::now();
                std::hint::black_box(clerkguard_syntax::parse_source(src, kind));
                ms(t.elapsed())
            })
            .collect();
        samples.sort_by(f64::total_cmp);
        samples[samples.len() / 2]
    };
    json!({
        "clean_median": time(text),
        "mid_typing_median": time(&broken),
        "optimized_build": !cfg!(debug_assertions),
    })
}

fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    Some(sorted[rank.clamp(1, sorted.len()) - 1])
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// The large file of a generated app.
pub fn default_file(workspace: &Path) -> PathBuf {
    workspace.join(crate::gen_app::BIG_FILE)
}

/// Medians across runs of the same configuration, keyed by the JSON pointer of each number.
pub fn medians(runs: &[Value]) -> HashMap<&'static str, Option<f64>> {
    const KEYS: [&str; 9] = [
        "/initialize_ms",
        "/workspace_scan_end_ms",
        "/open_to_diagnostics_ms",
        "/latency_ms/p50",
        "/latency_ms/p95",
        "/latency_ms/p99",
        "/peak_rss_kb",
        "/parse_ms/clean_median",
        "/parse_ms/mid_typing_median",
    ];
    KEYS.iter()
        .map(|key| {
            let mut values: Vec<f64> = runs.iter().filter_map(|r| r.pointer(key).and_then(Value::as_f64)).collect();
            values.sort_by(f64::total_cmp);
            (*key, (!values.is_empty()).then(|| values[values.len() / 2]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), Some(50.0));
        assert_eq!(percentile(&v, 99.0), Some(99.0));
        assert_eq!(percentile(&[3.0], 99.0), Some(3.0));
        assert_eq!(percentile(&[], 99.0), None);
    }

    #[test]
    fn insertion_point_is_inside_a_function_in_the_second_half() {
        let text = "a\nb\nexport async function f() {\n  x;\n}\nexport async function g() {\n  y;\n}\n";
        let (line, offset) = insertion_point(text).unwrap();
        assert_eq!(line, 6);
        assert!(text[offset..].starts_with("  y;"));
    }
}
