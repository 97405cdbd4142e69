//! Malformed input never kills the server; exit codes follow the protocol.

mod support;

use serde_json::{Value, json};
use support::*;

async fn still_answers(client: &mut TestClient) {
    let response = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": "file:///nowhere/x.ts" }, "range": range(0, 0, 0, 0), "context": { "diagnostics": [] } }),
        )
        .await;
    assert!(response.get("error").is_none(), "{response}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_messages_get_errors_and_the_server_keeps_going() {
    let (_dir, root) = project(&[]);
    let mut client = TestClient::start();
    client.initialize(Some(&root), capabilities(false), Value::Null).await;

    client.send_raw("{ this is not json").await;
    let error = client.wait_for(|m| m["id"].is_null() && m.get("error").is_some()).await;
    assert_eq!(error["error"]["code"], -32700);
    still_answers(&mut client).await;

    // A bad Content-Length header: an error, then the next message is read normally.
    client.send_unframed(b"Content-Length: many\r\n\r\n{}").await;
    let error = client.wait_for(|m| m["id"].is_null() && m.get("error").is_some()).await;
    assert_eq!(error["error"]["code"], -32700);
    // Valid JSON that is not JSON-RPC: invalid request, with the id when usable.
    client.send_raw(r#"{"jsonrpc":"1.0","id":77,"method":"x"}"#).await;
    let error = client.wait_for(|m| m["id"] == 77).await;
    assert_eq!(error["error"]["code"], -32600);
    still_answers(&mut client).await;

    let unknown = client.request("clerkguard/nope", json!({})).await;
    assert_eq!(unknown["error"]["code"], -32601);
    client.notify("clerkguard/unknownNotification", json!({})).await;
    client.notify("$/somethingOptional", json!({})).await;

    let invalid = client.request("textDocument/codeAction", json!({ "foo": 1 })).await;
    assert_eq!(invalid["error"]["code"], -32602);
    client.notify("textDocument/didOpen", json!({ "textDocument": 42 })).await;
    still_answers(&mut client).await;

    // didChange for a document that is not open.
    client.change("file:///nowhere/ghost.ts", 2, full_change("x")).await;
    still_answers(&mut client).await;

    // Out-of-range positions clamp.
    let uri = file_uri(&root.join("lib/a.ts"));
    client.open(&uri, "typescript", 1, "const a = 1;\n").await;
    client.diagnostics_for_version(&uri, 1).await;
    client.change(&uri, 2, json!([{ "range": range(99, 5, 120, 0), "text": "const b = ;" }])).await;
    let published = client.diagnostics_for_version(&uri, 2).await;
    assert_eq!(codes(&published), ["parse-error"]);
    assert_eq!(published["diagnostics"][0]["range"]["start"]["line"], 1);
    client.change(&uri, 3, json!([{ "range": range(0, 400, 0, 2), "text": "" }])).await;
    client.diagnostics_for_version(&uri, 3).await;

    // A 3 MB document is skipped (no findings) and the server answers afterwards.
    let big_uri = file_uri(&root.join("lib/big.ts"));
    let big = "const a = ;\n".repeat(3 * 1024 * 1024 / 12);
    client.open(&big_uri, "typescript", 1, &big).await;
    let published = client.diagnostics_for_version(&big_uri, 1).await;
    assert!(published["diagnostics"].as_array().unwrap().is_empty());
    still_answers(&mut client).await;

    // A document that is not a file is linted under a synthetic path.
    client.open("untitled:Untitled-1", "typescriptreact", 1, "const a = ;\n").await;
    let published = client.diagnostics_for_version("untitled:Untitled-1", 1).await;
    assert_eq!(codes(&published), ["parse-error"]);
    let actions = client
        .request(
            "textDocument/codeAction",
            json!({ "textDocument": { "uri": "untitled:Untitled-1" }, "range": range(0, 0, 0, 0),
                    "context": { "diagnostics": published["diagnostics"] } }),
        )
        .await;
    assert!(actions.get("error").is_none(), "{actions}");
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_before_initialize_are_refused() {
    let mut client = TestClient::start();
    let response = client.request("textDocument/codeAction", json!({})).await;
    assert_eq!(response["error"]["code"], -32002);
    client.initialize(None, json!({}), Value::Null).await;
    still_answers(&mut client).await;
    assert_eq!(client.shutdown_and_exit().await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn exit_without_shutdown_is_code_1() {
    let mut client = TestClient::start();
    client.initialize(None, json!({}), Value::Null).await;
    client.notify("exit", Value::Null).await;
    assert_eq!(client.exit_code().await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_then_exit_is_code_0_and_requests_after_shutdown_fail() {
    let mut client = TestClient::start();
    client.initialize(None, json!({}), Value::Null).await;
    let response = client.request("shutdown", Value::Null).await;
    assert!(response.get("error").is_none());
    let after = client.request("textDocument/codeAction", json!({})).await;
    assert_eq!(after["error"]["code"], -32600);
    client.notify("exit", Value::Null).await;
    assert_eq!(client.exit_code().await, 0);
}
