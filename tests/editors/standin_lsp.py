#!/usr/bin/env python3
"""TEMPORARY stand-in for `clerkguard lsp` while the real server is being written.
Delete before finishing. Implements just enough: push diagnostics for `auth-not-awaited`
(`= auth()` without await) and `suppression-unused` (clerkguard-ignore-next-line), quickfix +
ignore actions, source.fixAll.clerkguard, and the clerkguard.fixAll command."""
import json, re, sys

docs = {}
out = sys.stdout.buffer
inp = sys.stdin.buffer
next_id = [1000]


def send(msg):
    msg["jsonrpc"] = "2.0"
    body = json.dumps(msg).encode()
    out.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    out.flush()


def read():
    headers = {}
    while True:
        line = inp.readline()
        if not line:
            return None
        line = line.strip()
        if not line:
            break
        k, v = line.split(b":", 1)
        headers[k.lower()] = v.strip()
    return json.loads(inp.read(int(headers[b"content-length"])))


def lint(uri):
    text = docs[uri]
    diags = []
    lines = text.split("\n")
    for i, l in enumerate(lines):
        m = re.search(r"=\s*(auth\(\))", l)
        if m and "await" not in l:
            c = m.start(1)
            fix = {"range": {"start": {"line": i, "character": c}, "end": {"line": i, "character": c}}, "newText": "await "}
            diags.append({"range": {"start": {"line": i, "character": c}, "end": {"line": i, "character": c + 6}},
                          "severity": 1, "source": "clerkguard", "code": "auth-not-awaited",
                          "message": "`auth()` returns a Promise in @clerk/nextjs v6: await it", "data": {"fix": [fix]}})
        m = re.search(r"//\s*clerkguard-ignore-next-line", l)
        if m:
            fix = {"range": {"start": {"line": i, "character": 0}, "end": {"line": i + 1, "character": 0}}, "newText": ""}
            diags.append({"range": {"start": {"line": i, "character": m.start()}, "end": {"line": i, "character": len(l)}},
                          "severity": 2, "source": "clerkguard", "code": "suppression-unused",
                          "message": "this suppression matches no diagnostic", "data": {"fix": [fix]}})
    send({"method": "textDocument/publishDiagnostics", "params": {"uri": uri, "diagnostics": diags}})
    return diags


def fix_all_edit(uri):
    edits = [e for d in lint(uri) for e in d["data"]["fix"]]
    return {"changes": {uri: edits}}


def main():
    while True:
        msg = read()
        if msg is None:
            return
        m = msg.get("method")
        p = msg.get("params") or {}
        if m == "initialize":
            send({"id": msg["id"], "result": {"capabilities": {
                "textDocumentSync": {"openClose": True, "change": 1, "save": {"includeText": False}},
                "codeActionProvider": {"codeActionKinds": ["quickfix", "source.fixAll.clerkguard"]},
                "executeCommandProvider": {"commands": ["clerkguard.fixAll"]}},
                "serverInfo": {"name": "clerkguard-standin"}}})
        elif m == "shutdown":
            send({"id": msg["id"], "result": None})
        elif m == "exit":
            return
        elif m == "textDocument/didOpen":
            docs[p["textDocument"]["uri"]] = p["textDocument"]["text"]
            lint(p["textDocument"]["uri"])
        elif m == "textDocument/didChange":
            docs[p["textDocument"]["uri"]] = p["contentChanges"][-1]["text"]
            lint(p["textDocument"]["uri"])
        elif m == "textDocument/codeAction":
            uri = p["textDocument"]["uri"]
            only = (p.get("context") or {}).get("only")
            acts = []
            if not only or any(k.startswith("quickfix") for k in only):
                for d in p["context"]["diagnostics"]:
                    if d.get("source") != "clerkguard":
                        continue
                    fix = (d.get("data") or {}).get("fix")
                    if fix:
                        acts.append({"title": "Fix " + d["code"], "kind": "quickfix", "isPreferred": True,
                                     "diagnostics": [d], "edit": {"changes": {uri: fix}}})
                    line = d["range"]["start"]["line"]
                    acts.append({"title": "Ignore %s for this line" % d["code"], "kind": "quickfix", "diagnostics": [d],
                                 "edit": {"changes": {uri: [{"range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
                                                             "newText": "// clerkguard-ignore-next-line %s -- <reason>\n" % d["code"]}]}}})
            if not only or any("source.fixAll.clerkguard".startswith(k) for k in only):
                acts.append({"title": "Fix all safe clerkguard issues", "kind": "source.fixAll.clerkguard", "edit": fix_all_edit(uri)})
            send({"id": msg["id"], "result": acts})
        elif m == "workspace/executeCommand":
            uri = (p.get("arguments") or [None])[0]
            if isinstance(uri, dict):
                uri = uri.get("uri")
            next_id[0] += 1
            send({"id": next_id[0], "method": "workspace/applyEdit", "params": {"label": "clerkguard: fix all", "edit": fix_all_edit(uri)}})
            send({"id": msg["id"], "result": None})
        elif "id" in msg and m:
            send({"id": msg["id"], "error": {"code": -32601, "message": "unhandled " + m}})


main()
