// Activates the real extension module against the stub `vscode` (no editor, no server).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, it } from "node:test";
import * as vscode from "vscode";
import { activate, COMMANDS, deactivate, SERVER_FIX_ALL } from "../src/extension";
import { statusView } from "../src/status";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const stub = (vscode as any).__stub;
const extRoot = join(__dirname, "..", "..");
const pkg = JSON.parse(readFileSync(join(extRoot, "package.json"), "utf8"));

function context() {
  return { extensionPath: "/nonexistent-extension-dir", subscriptions: [] as { dispose(): void }[] };
}

describe("activation without a server binary", () => {
  beforeEach(() => stub.reset());

  it("shows a clear error naming clerkguard.path, and a red status item", async () => {
    stub.settings["clerkguard.path"] = "/definitely/not/here/clerkguard";
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await activate(context() as any);
    const errors = stub.messages.filter((m: { level: string }) => m.level === "error");
    assert.equal(errors.length, 1);
    assert.match(errors[0].text, /^clerkguard: clerkguard\.path is set to "\/definitely\/not\/here\/clerkguard"/);
    assert.deepEqual(errors[0].items, ["Open settings", "Show output"]);
    const item = stub.statusItems[0];
    assert.equal(item.text, statusView("noServer").text);
    assert.equal(item.visible, true);
    assert.equal(item.command, COMMANDS.showOutput);
    await deactivate();
  });

  it("with nothing configured, says where it looked", async () => {
    const savedPath = process.env["PATH"];
    process.env["PATH"] = "/nonexistent-bin";
    try {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await activate(context() as any);
    } finally {
      process.env["PATH"] = savedPath;
    }
    assert.match(stub.messages[0].text, /No clerkguard server found/);
    const out = stub.outputs[0].lines.join("\n");
    assert.match(out, /\/nonexistent-extension-dir\/server\/clerkguard/);
    assert.match(out, /\/nonexistent-bin\/clerkguard/);
    await deactivate();
  });

  it("registers every command package.json contributes, none clashing with the server's", async () => {
    stub.settings["clerkguard.path"] = "/nope";
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await activate(context() as any);
    const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
    assert.deepEqual([...stub.commands.keys()].sort(), contributed);
    assert.ok(!contributed.includes(SERVER_FIX_ALL), "vscode-languageclient registers the server's command itself");
    await deactivate();
  });

  it("fix-all and routes commands explain themselves when there is nothing to act on", async () => {
    stub.settings["clerkguard.path"] = "/nope";
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    await activate(context() as any);
    stub.messages.length = 0;
    await stub.commands.get(COMMANDS.fixAllInFile)();
    await stub.commands.get(COMMANDS.showRoutes)();
    assert.deepEqual(
      stub.messages.map((m: { text: string }) => m.text),
      ["clerkguard: open a file to fix.", "clerkguard: open a folder to see its routes."],
    );
    await deactivate();
  });
});

describe("manifest", () => {
  it("contributes the clerkguard.json schema, which exists and is closed", () => {
    const jv = pkg.contributes.jsonValidation;
    assert.deepEqual(jv, [{ fileMatch: "clerkguard.json", url: "./schemas/clerkguard.schema.json" }]);
    const schemaFile = join(extRoot, pkg.contributes.jsonValidation[0].url as string);
    assert.ok(existsSync(schemaFile));
    const schema = JSON.parse(readFileSync(schemaFile, "utf8"));
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual(Object.keys(schema.properties).sort(), ["$schema", "guards", "ignore", "protected", "public", "rules"]);
    assert.deepEqual(schema.definitions.severity.enum, ["off", "hint", "warn", "error"]);
  });

  it("pins @types/vscode to the engines.vscode minimum (vsce refuses otherwise)", () => {
    assert.equal(pkg.engines.vscode, `^${pkg.devDependencies["@types/vscode"]}`);
    for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) {
      assert.match(String(version), /^\d+\.\d+\.\d+$/, `${name} is pinned exactly`);
    }
  });
});
