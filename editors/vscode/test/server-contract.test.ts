// Starts the real server exactly as the extension does (serverLaunch + the settings it sends)
// and checks the initialize result has what the extension's commands rely on.
// Runs when CLERKGUARD_BIN points at a binary (tests/editors/run.sh sets it); skipped otherwise.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import { FIX_ALL_KIND, SERVER_FIX_ALL, serverLaunch } from "../src/launch";
import { DEFAULT_SETTINGS } from "../src/settings";

const bin = process.env["CLERKGUARD_BIN"];
const skip = !bin || !existsSync(bin) ? "CLERKGUARD_BIN not set to a server binary" : false;

function session(command: string, args: string[]) {
  const child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
  let buf = Buffer.alloc(0);
  const waiting = new Map<number, (msg: { result?: unknown; error?: unknown }) => void>();
  child.stdout.on("data", (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const sep = buf.indexOf("\r\n\r\n");
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString())?.[1]);
      if (buf.length < sep + 4 + len) return;
      const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString());
      buf = buf.subarray(sep + 4 + len);
      if (msg.id !== undefined && !msg.method) waiting.get(msg.id)?.(msg);
    }
  });
  const send = (msg: object) => {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...msg }));
    child.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
  };
  const request = (id: number, method: string, params: unknown) =>
    new Promise<{ result?: unknown; error?: unknown }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer in 20 s`)), 20_000);
      waiting.set(id, (m) => {
        clearTimeout(timer);
        resolve(m);
      });
      send({ id, method, params });
    });
  return { child, send, request };
}

describe("server contract", { skip }, () => {
  it("starts with the extension's command line and settings, and offers fix-all both ways", async () => {
    const launch = serverLaunch(bin as string).run;
    const s = session(launch.command, launch.args);
    const exited = new Promise<number | null>((resolve) => s.child.on("exit", (code) => resolve(code)));
    const init = await s.request(1, "initialize", {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true, applyEdit: true } },
      initializationOptions: DEFAULT_SETTINGS,
    });
    assert.equal(init.error, undefined);
    const caps = (init.result as { capabilities: Record<string, any> }).capabilities;
    assert.ok(caps["codeActionProvider"].codeActionKinds.includes(FIX_ALL_KIND), "source.fixAll.clerkguard offered");
    assert.ok(caps["codeActionProvider"].codeActionKinds.includes("quickfix"));
    assert.deepEqual(caps["executeCommandProvider"].commands, [SERVER_FIX_ALL]);
    s.send({ method: "initialized", params: {} });
    s.send({ method: "workspace/didChangeConfiguration", params: { settings: { clerkguard: { ...DEFAULT_SETTINGS, run: "onSave" } } } });
    const shut = await s.request(2, "shutdown", null);
    assert.equal(shut.error, undefined);
    s.send({ method: "exit" });
    assert.equal(await exited, 0);
  });
});
