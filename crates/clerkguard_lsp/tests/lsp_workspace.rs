//! The workspace: closed files, file watching, configuration, settings, open/close scopes.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use support::*;

const UNUSED: &str = "// clerkguard-ignore-next-line foo -- r\nconst a = 1;\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scan_publishes_closed_files_and_config_changes_republish_them() {
    let (_dir, root) =
        project(&[("lib/a.ts", UNUSED), ("app/page.tsx", "export default function P() { return null; }\n")]);
    let a = root.join("lib/a.ts");
    let a_uri = file_uri(&a);
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;
    // Watchers registered (dynamic registration allowed) and progress reported.
    let registration = client.wait_for(|m| m["method"] == "client/registerCapability").await;
    let watchers = &registration["params"]["registrations"][0]["registerOptions"]["watchers"];
    assert!(watchers.as_array().unwrap().iter().any(|w| w["globPattern"] == "**/clerkguard.json"));
    client.wait_for(|m| m["method"] == "window/workDoneProgress/create").await;

    let scanned = client.diagnostics_where(&a_uri, |p| !p["diagnostics"].as_array().unwrap().is_empty()).await;
    assert_eq!(codes(&scanned), ["suppression-unused"]);
    assert_eq!(scanned["version"], Value::Null);
    client.wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end").await;

    // clerkguard.json turns the rule off: the closed file is republished without it.
    std::fs::write(root.join("clerkguard.json"), r#"{ "rules": { "suppression-unused": "off" } }"#).unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": file_uri(&root.join("clerkguard.json")), "type": 1 }] }),
        )
        .await;
    let cleared = client.diagnostics_where(&a_uri, |p| p["diagnostics"].as_array().unwrap().is_empty()).await;
    assert_eq!(cleared["version"], Value::Null);

    // And back on (the file changed on disk: no restart needed).
    std::fs::write(root.join("clerkguard.json"), r#"{ "rules": { "suppression-unused": "error" } }"#).unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": file_uri(&root.join("clerkguard.json")), "type": 2 }] }),
        )
        .await;
    let back = client.diagnostics_where(&a_uri, |p| !p["diagnostics"].as_array().unwrap().is_empty()).await;
    assert_eq!(back["diagnostics"][0]["severity"], 1);

    // A deleted file loses its diagnostics.
    std::fs::remove_file(&a).unwrap();
    client.notify("workspace/didChangeWatchedFiles", json!({ "changes": [{ "uri": a_uri, "type": 3 }] })).await;
    client.diagnostics_where(&a_uri, |p| p["diagnostics"].as_array().unwrap().is_empty()).await;
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn package_json_change_republishes_dependents() {
    if clerkguard_linter::registry().find("auth-not-awaited").is_none() {
        eprintln!("auth-not-awaited is not in the registry; skipped");
        return;
    }
    let user = "import { auth } from \"@clerk/nextjs/server\";\n\nexport async function getUser() {\n  const { userId } = auth();\n  return userId;\n}\n";
    let (_dir, root) = project(&[("lib/user.ts", user)]);
    let uri = file_uri(&root.join("lib/user.ts"));
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;
    let has = |p: &Value| codes(p).contains(&"auth-not-awaited".to_string());
    client.diagnostics_where(&uri, has).await;
    // On Clerk 5, auth() is synchronous: the finding goes away.
    std::fs::write(root.join("package.json"), r#"{"dependencies":{"@clerk/nextjs":"^5.7.0","next":"14.2.0"}}"#)
        .unwrap();
    client
        .notify(
            "workspace/didChangeWatchedFiles",
            json!({ "changes": [{ "uri": file_uri(&root.join("package.json")), "type": 2 }] }),
        )
        .await;
    client.diagnostics_where(&uri, |p| !has(p)).await;
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn close_keeps_disk_findings_in_workspace_scope_and_clears_in_open_files_scope() {
    let (_dir, root) = project(&[("lib/a.ts", "const a = 1;\n")]);
    let uri = file_uri(&root.join("lib/a.ts"));

    // Workspace scope: the buffer's finding is replaced by the disk's (none) on close.
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;
    client.open(&uri, "typescript", 1, UNUSED).await;
    client.diagnostics_for_version(&uri, 1).await;
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await;
    let after = client.diagnostics_where(&uri, |p| p["version"].is_null()).await;
    assert!(after["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(client.shutdown_and_exit().await, 0);

    // Open-files scope: disk findings are not published; closing clears.
    std::fs::write(root.join("lib/b.ts"), UNUSED).unwrap();
    let mut client = TestClient::start();
    let options = json!({ "clerkguard": { "diagnostics": { "scope": "openFiles" } } });
    client.initialize(Some(&root), capabilities(false), options).await;
    client.open(&uri, "typescript", 1, UNUSED).await;
    client.diagnostics_for_version(&uri, 1).await;
    client.notify("textDocument/didClose", json!({ "textDocument": { "uri": uri } })).await;
    let after = client.diagnostics_where(&uri, |p| p["version"].is_null()).await;
    assert!(after["diagnostics"].as_array().unwrap().is_empty());
    client.collect_for(Duration::from_millis(300)).await;
    let b_uri = file_uri(&root.join("lib/b.ts"));
    assert!(!client.published.iter().any(|p| p["uri"] == b_uri), "closed file published in openFiles scope");
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_change_rules_and_enable() {
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/a.ts"));
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), json!({ "rules": { "suppression-unused": "hint" } })).await;
    client.open(&uri, "typescript", 1, UNUSED).await;
    let first = client.diagnostics_for_version(&uri, 1).await;
    assert_eq!(first["diagnostics"][0]["severity"], 4, "hint level from initializationOptions");

    client
        .notify(
            "workspace/didChangeConfiguration",
            json!({ "settings": { "clerkguard": { "rules": { "suppression-unused": "error" } } } }),
        )
        .await;
    client.diagnostics_where(&uri, |p| p["diagnostics"][0]["severity"] == 1).await;

    client
        .notify("workspace/didChangeConfiguration", json!({ "settings": { "clerkguard": { "enable": false } } }))
        .await;
    client.diagnostics_where(&uri, |p| p["diagnostics"].as_array().unwrap().is_empty()).await;
    // Disabled: edits publish nothing.
    client.change(&uri, 2, full_change(UNUSED)).await;
    client.collect_for(Duration::from_millis(300)).await;
    assert!(!client.published.iter().any(|p| p["version"] == 2));

    client.notify("workspace/didChangeConfiguration", json!({ "settings": { "enable": true } })).await;
    client.diagnostics_where(&uri, |p| p["version"] == 2 && !p["diagnostics"].as_array().unwrap().is_empty()).await;
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn configuration_is_pulled_only_when_declared() {
    let (_dir, root) = project(&[]);
    let uri = file_uri(&root.join("lib/a.ts"));
    let mut client = TestClient::start();
    *client.configuration.lock().unwrap() = json!({ "rules": { "suppression-unused": "off" } });
    let mut caps = capabilities(false);
    caps["workspace"]["configuration"] = json!(true);
    client.initialize(Some(&root), caps, Value::Null).await;
    client.wait_for(|m| m["method"] == "workspace/configuration").await;
    client.open(&uri, "typescript", 1, UNUSED).await;
    client.collect_for(Duration::from_millis(300)).await;
    let last = client.diagnostics_where(&uri, |p| p["version"] == 1).await;
    assert!(last["diagnostics"].as_array().unwrap().is_empty(), "{last}");
    assert_eq!(client.shutdown_and_exit().await, 0);

    // Without the capability the server never asks.
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;
    client.collect_for(Duration::from_millis(300)).await;
    assert!(
        client.try_wait_for(Duration::from_millis(10), |m| m["method"] == "workspace/configuration").await.is_none()
    );
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn workspace_folders_can_change() {
    let (_dir1, root1) = project(&[]);
    let (_dir2, root2) = project(&[("lib/a.ts", UNUSED)]);
    let uri = file_uri(&root2.join("lib/a.ts"));
    let mut client = TestClient::start();
    client.initialize(Some(&root1), capabilities(false), Value::Null).await;
    client
        .notify(
            "workspace/didChangeWorkspaceFolders",
            json!({ "event": { "added": [{ "uri": file_uri(&root2), "name": "two" }], "removed": [] } }),
        )
        .await;
    let scanned = client.diagnostics_where(&uri, |p| !p["diagnostics"].as_array().unwrap().is_empty()).await;
    assert_eq!(codes(&scanned), ["suppression-unused"]);
    client
        .notify(
            "workspace/didChangeWorkspaceFolders",
            json!({ "event": { "added": [], "removed": [{ "uri": file_uri(&root2), "name": "two" }] } }),
        )
        .await;
    client.diagnostics_where(&uri, |p| p["diagnostics"].as_array().unwrap().is_empty()).await;
    assert_eq!(client.shutdown_and_exit().await, 0);
}

/// Editing a guard helper in the editor (unsaved) updates the diagnostics of a closed file that
/// imports it through a tsconfig alias and an index re-export, and leaves unrelated files alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn editing_a_helper_republishes_its_importers() {
    let guard = "import { auth } from \"@clerk/nextjs/server\";\n\nexport async function requireUser() {\n  const { userId } = await auth();\n  if (!userId) throw new Error(\"Unauthenticated\");\n  return userId;\n}\n";
    let action = "\"use server\";\nimport { requireUser } from \"@/lib\";\nimport { db } from \"@/lib/db\";\n\nexport async function remove(id: string) {\n  await requireUser();\n  await db.post.delete({ where: { id } });\n}\n";
    let (_dir, root) = project(&[
        ("tsconfig.json", r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@/*": ["./*"] } } }"#),
        ("lib/index.ts", "export * from \"./guards\";\n"),
        ("lib/guards.ts", guard),
        ("lib/db.ts", "export const db = {} as any;\n"),
        ("app/actions.ts", action),
    ]);
    let guard_uri = file_uri(&root.join("lib/guards.ts"));
    let action_uri = file_uri(&root.join("app/actions.ts"));
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;
    client.wait_for(|m| m["method"] == "$/progress" && m["params"]["value"]["kind"] == "end").await;

    client.open(&guard_uri, "typescript", 1, guard).await;
    // Remove the check: requireUser() no longer guards its callers.
    let weakened = guard.replace("  if (!userId) throw new Error(\"Unauthenticated\");\n", "");
    client.change(&guard_uri, 2, full_change(&weakened)).await;
    let flagged =
        client.diagnostics_where(&action_uri, |p| codes(p).contains(&"server-action-missing-auth".to_string())).await;
    assert_eq!(flagged["version"], Value::Null, "the importer is not open");

    // Put the check back: the finding goes away again.
    client.change(&guard_uri, 3, full_change(guard)).await;
    client.diagnostics_where(&action_uri, |p| p["diagnostics"].as_array().unwrap().is_empty()).await;
    assert_eq!(client.shutdown_and_exit().await, 0);
}
