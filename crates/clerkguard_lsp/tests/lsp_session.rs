//! Editing sessions: diagnostics, edits, positions, code actions, stale versions.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::*;

const UNUSED: &str = "// clerkguard-ignore-next-line foo -- r\nconst a = 1;\n";

fn has_rule(rule: &str) -> bool {
    clerkguard_linter::registry().find(rule).is_some()
}

async fn code_actions(client: &mut TestClient, uri: &str, diagnostics: Value, only: Option<Value>) -> Vec<Value> {
    let range = diagnostics.get(0).map(|d| d["range"].clone()).unwrap_or_else(|| range(0, 0, 0, 0));
    let mut context = json!({ "diagnostics": diagnostics });
    if let Some(only) = only {
        context["only"] = only;
    }
    let response = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": uri }, "range": range, "context": context }),
        )
        .await;
    response["result"].as_array().cloned().unwrap_or_default()
}

/// Sends the edits of a WorkspaceEdit for `uri` as one didChange (in reverse order, so each
/// range is still valid) and returns the new text.
async fn apply_via_did_change(
    client: &TestClient,
    uri: &str,
    text: &str,
    edit: &Value,
    version: i64,
    utf8: bool,
) -> String {
    let mut edits = edits_for(edit, uri);
    let new_text = apply_text_edits(text, &edits, utf8);
    edits.sort_by_key(|e| {
        (
            std::cmp::Reverse(e["range"]["start"]["line"].as_u64()),
            std::cmp::Reverse(e["range"]["start"]["character"].as_u64()),
        )
    });
    let changes: Vec<Value> = edits.iter().map(|e| json!({ "range": e["range"], "text": e["newText"] })).collect();
    client.change(uri, version, Value::Array(changes)).await;
    new_text
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_edit_fix_and_the_diagnostic_is_gone() {
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/a.ts"));
    let mut client = TestClient::start();
    let init = client.initialize(Some(&root), capabilities(false), Value::Null).await;
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["capabilities"]["textDocumentSync"]["change"], 2);

    client.open(&uri, "typescript", 1, UNUSED).await;
    let first = client.diagnostics_for_version(&uri, 1).await;
    assert_eq!(codes(&first), ["suppression-unused"]);
    let d = &first["diagnostics"][0];
    assert_eq!(d["source"], "clerkguard");
    assert_eq!(d["range"]["start"], json!({ "line": 0, "character": 0 }));
    assert_eq!(
        d["codeDescription"]["href"],
        "https://github.com/clerkguard/clerkguard/blob/main/docs/rules/suppression-unused.md"
    );
    assert_eq!(d["data"]["version"], 1);

    // Edit: a syntax error on a new line; the earlier finding stays.
    let text = format!("{UNUSED}const b = ;\n");
    client.change(&uri, 2, json!([{ "range": range(2, 0, 2, 0), "text": "const b = ;\n" }])).await;
    let second = client.diagnostics_for_version(&uri, 2).await;
    let mut got = codes(&second);
    got.sort();
    assert_eq!(got, ["parse-error", "suppression-unused"]);

    // Code action from the diagnostic's data.
    let unused: Vec<Value> = second["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "suppression-unused")
        .cloned()
        .collect();
    let actions = code_actions(&mut client, &uri, json!(unused), None).await;
    let fix = actions.iter().find(|a| a["title"] == "Remove the unused suppression").expect("quick fix offered");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    assert_eq!(fix["edit"]["documentChanges"][0]["textDocument"]["version"], 2);
    assert!(!actions.iter().any(|a| a["title"].as_str().unwrap().starts_with("Ignore suppression-")));

    let text = apply_via_did_change(&client, &uri, &text, &fix["edit"], 3, false).await;
    assert_eq!(text, "const a = 1;\nconst b = ;\n");
    let third = client.diagnostics_for_version(&uri, 3).await;
    assert_eq!(codes(&third), ["parse-error"]);
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_fix_without_data_lints_again() {
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/a.ts"));
    let mut client = TestClient::start();
    client.initialize(Some(&root), json!({}), Value::Null).await;
    client.open(&uri, "typescript", 1, UNUSED).await;
    let published = client.diagnostics_for_version(&uri, 1).await;
    let mut diagnostic = published["diagnostics"][0].clone();
    diagnostic.as_object_mut().unwrap().remove("data");
    let actions = code_actions(&mut client, &uri, json!([diagnostic.clone()]), None).await;
    let fix = actions.iter().find(|a| a["title"] == "Remove the unused suppression").expect("fix found by re-linting");
    // No documentChanges support declared: plain `changes`.
    assert!(fix["edit"]["changes"][&uri].is_array());
    diagnostic["data"] = json!("garbled");
    let actions = code_actions(&mut client, &uri, json!([diagnostic]), None).await;
    assert!(actions.iter().any(|a| a["title"] == "Remove the unused suppression"));
    assert_eq!(client.shutdown_and_exit().await, 0);
}

/// A line with an emoji (2 UTF-16 units, 4 bytes), CJK (1 unit, 3 bytes) and a combining mark
/// (1 unit, 2 bytes) before the finding.
const NON_ASCII: &str = "const s = \"🚀日é\"; // clerkguard-ignore-line foo -- r\n";

async fn positions_in(utf8: bool) {
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/u.ts"));
    let mut client = TestClient::start();
    let init = client.initialize(Some(&root), capabilities(utf8), Value::Null).await;
    assert_eq!(init["capabilities"]["positionEncoding"], if utf8 { "utf-8" } else { "utf-16" });
    client.open(&uri, "typescript", 1, NON_ASCII).await;
    let published = client.diagnostics_for_version(&uri, 1).await;
    let d = &published["diagnostics"][0];
    assert_eq!(d["code"], "suppression-unused");
    let comment = NON_ASCII.find("//").unwrap();
    let prefix = &NON_ASCII[..comment];
    let expected = if utf8 { prefix.len() } else { prefix.encode_utf16().count() };
    assert_eq!(d["range"]["start"], json!({ "line": 0, "character": expected }));

    // Replace the rule name `foo` with `bar` through a range in the negotiated encoding.
    let rule_at = NON_ASCII.find("foo").unwrap();
    let col = |byte: usize| if utf8 { byte } else { NON_ASCII[..byte].encode_utf16().count() } as u32;
    client.change(&uri, 2, json!([{ "range": range(0, col(rule_at), 0, col(rule_at + 3)), "text": "bar" }])).await;
    let published = client.diagnostics_for_version(&uri, 2).await;
    let message = published["diagnostics"][0]["message"].as_str().unwrap();
    assert!(message.contains("bar") && !message.contains("foo"), "{message}");

    // A position inside the emoji's surrogate pair (UTF-16) or its bytes (UTF-8) snaps to its start.
    let rocket = NON_ASCII.find('🚀').unwrap();
    client.change(&uri, 3, json!([{ "range": range(0, col(rocket) + 1, 0, col(rocket) + 1), "text": "x" }])).await;
    let published = client.diagnostics_for_version(&uri, 3).await;
    let start = published["diagnostics"][0]["range"]["start"]["character"].as_u64().unwrap();
    assert_eq!(start, expected as u64 + 1);
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf16_positions_on_non_ascii_lines() {
    positions_in(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn utf8_positions_on_non_ascii_lines() {
    positions_in(true).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_versions_are_never_published() {
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/s.ts"));
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;
    client.open(&uri, "typescript", 1, "const a = 1;\n").await;
    for version in 2..=30 {
        let line = format!("// clerkguard-ignore-next-line r{version} -- x\n");
        client.change(&uri, version, json!([{ "range": range(0, 0, 0, 0), "text": line }])).await;
    }
    let last = client.diagnostics_for_version(&uri, 30).await;
    assert_eq!(codes(&last), vec!["suppression-unused"; 29]);
    client.collect_for(Duration::from_millis(300)).await;
    let versions: Vec<i64> =
        client.published.iter().filter(|p| p["uri"] == uri).map(|p| p["version"].as_i64().unwrap()).collect();
    assert!(versions.windows(2).all(|w| w[0] <= w[1]), "versions went back: {versions:?}");
    assert_eq!(versions.last(), Some(&30));
    assert!(versions.len() < 20, "bursts should coalesce, got {} publishes", versions.len());
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fix_all_applies_every_safe_fix() {
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/f.ts"));
    let text = "// clerkguard-ignore-next-line foo -- r\nconst a = 1;\n  // clerkguard-ignore-next-line bar -- r\nconst b = 2;\n";
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(true), Value::Null).await;
    client.open(&uri, "typescript", 1, text).await;
    let published = client.diagnostics_for_version(&uri, 1).await;
    assert_eq!(codes(&published), ["suppression-unused", "suppression-unused"]);

    let actions = code_actions(&mut client, &uri, json!([]), Some(json!(["source.fixAll"]))).await;
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.clerkguard");
    let fixed = apply_text_edits(text, &edits_for(&actions[0]["edit"], &uri), true);
    assert_eq!(fixed, "const a = 1;\nconst b = 2;\n");
    // Only quick fixes requested: no fix-all.
    let actions = code_actions(&mut client, &uri, json!([]), Some(json!(["quickfix"]))).await;
    assert!(actions.is_empty());

    // The command form goes through workspace/applyEdit.
    let response =
        client.request("workspace/executeCommand", json!({ "command": "clerkguard.fixAll", "arguments": [uri] })).await;
    assert_eq!(response["result"], true, "{response}");
    let apply = client.wait_for(|m| m["method"] == "workspace/applyEdit").await;
    assert_eq!(apply_text_edits(text, &edits_for(&apply["params"]["edit"], &uri), true), fixed);
    let response = client.request("workspace/executeCommand", json!({ "command": "nope", "arguments": [] })).await;
    assert_eq!(response["error"]["code"], -32602);
    assert_eq!(client.shutdown_and_exit().await, 0);
}

const NOT_AWAITED: &str = "import { auth } from \"@clerk/nextjs/server\";\n\nexport async function getUser() {\n  const { userId } = auth();\n  return userId;\n}\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ignore_action_suppresses_and_goes_stale_when_fixed() {
    if !has_rule("auth-not-awaited") {
        eprintln!("auth-not-awaited is not in the registry; skipped");
        return;
    }
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/user.ts"));
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;
    client.open(&uri, "typescript", 1, NOT_AWAITED).await;
    let published = client.diagnostics_for_version(&uri, 1).await;
    let finding: Vec<Value> = published["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "auth-not-awaited")
        .cloned()
        .collect();
    assert_eq!(finding.len(), 1, "{published}");
    let actions = code_actions(&mut client, &uri, json!(finding), None).await;
    let fix = actions.iter().find(|a| a["isPreferred"] == true).expect("a preferred safe fix");
    assert_eq!(fix["kind"], "quickfix");
    let ignore = actions.iter().find(|a| a["title"] == "Ignore auth-not-awaited for this line").expect("ignore action");
    assert_eq!(ignore["isPreferred"], false);

    let text = apply_via_did_change(&client, &uri, NOT_AWAITED, &ignore["edit"], 2, false).await;
    assert!(text.contains(
        "  // clerkguard-ignore-next-line auth-not-awaited -- TODO: explain why this is safe\n  const { userId } = auth();"
    ));
    let published = client.diagnostics_for_version(&uri, 2).await;
    let got = codes(&published);
    assert!(!got.contains(&"auth-not-awaited".to_string()), "{got:?}");
    assert!(!got.iter().any(|c| c.starts_with("suppression-")), "{got:?}");

    // Apply the real fix: the suppression now waives nothing and is reported.
    let line = text.lines().position(|l| l.contains("= auth()")).unwrap() as u32;
    let col = text.lines().nth(line as usize).unwrap().find("auth()").unwrap() as u32;
    client.change(&uri, 3, json!([{ "range": range(line, col, line, col), "text": "await " }])).await;
    let published = client.diagnostics_for_version(&uri, 3).await;
    assert!(codes(&published).contains(&"suppression-unused".to_string()), "{published}");

    // Safe fix through fix-all on the original text.
    client.change(&uri, 4, full_change(NOT_AWAITED)).await;
    client.diagnostics_for_version(&uri, 4).await;
    let actions = code_actions(&mut client, &uri, json!([]), Some(json!(["source.fixAll.clerkguard"]))).await;
    let fixed = apply_text_edits(NOT_AWAITED, &edits_for(&actions[0]["edit"], &uri), false);
    assert!(fixed.contains("await auth()"), "{fixed}");
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn last_good_findings_survive_a_syntax_error_and_move_with_edits() {
    if !has_rule("auth-not-awaited") {
        eprintln!("auth-not-awaited is not in the registry; skipped");
        return;
    }
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/user.ts"));
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;
    client.open(&uri, "typescript", 1, NOT_AWAITED).await;
    let line_of = |p: &Value| {
        p["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == "auth-not-awaited")
            .map(|d| d["range"]["start"]["line"].clone())
    };
    let first = client.diagnostics_for_version(&uri, 1).await;
    assert_eq!(line_of(&first), Some(json!(3)));
    // Break the function after the finding.
    client.change(&uri, 2, json!([{ "range": range(4, 0, 4, 0), "text": "  const z = ;\n" }])).await;
    let broken = client.diagnostics_for_version(&uri, 2).await;
    assert!(codes(&broken).contains(&"parse-error".to_string()), "{broken}");
    assert_eq!(line_of(&broken), Some(json!(3)), "{broken}");
    // A line added above moves it down, still while the text does not parse.
    client.change(&uri, 3, json!([{ "range": range(1, 0, 1, 0), "text": "\n" }])).await;
    let moved = client.diagnostics_for_version(&uri, 3).await;
    assert_eq!(line_of(&moved), Some(json!(4)), "{moved}");
    // Editing the finding itself drops it.
    client.change(&uri, 4, json!([{ "range": range(4, 20, 4, 26), "text": "whoami()" }])).await;
    let edited = client.diagnostics_for_version(&uri, 4).await;
    assert_eq!(line_of(&edited), None, "{edited}");
    assert_eq!(client.shutdown_and_exit().await, 0);
}
