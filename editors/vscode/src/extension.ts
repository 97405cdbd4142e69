// clerkguard for VS Code: starts `clerkguard lsp` through vscode-languageclient, mirrors the
// server's settings, and adds the restart / fix-all / route-map commands and a status item.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as vscode from "vscode";
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from "vscode-languageclient/node";
import { FIX_ALL_KIND, SERVER_FIX_ALL, serverLaunch } from "./launch";
import { runRoutes, type Exec } from "./routes";
import { resolveServerPath, type ServerResolution } from "./serverPath";
import { needsRestart, toServerSettings, type ServerSettings } from "./settings";
import { statusView, type ClientPhase } from "./status";

export const SECTION = "clerkguard";
export const COMMANDS = {
  restart: "clerkguard.restart",
  fixAllInFile: "clerkguard.fixAllInFile",
  showRoutes: "clerkguard.showRoutes",
  showOutput: "clerkguard.showOutput",
} as const;
// The server's own command (vscode-languageclient registers it from executeCommandProvider).
export { FIX_ALL_KIND, SERVER_FIX_ALL };
const ROUTES_SCHEME = "clerkguard-routes";
const LANGUAGES = ["typescript", "typescriptreact", "javascript", "javascriptreact"];

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let status: vscode.StatusBarItem;
let extensionPath = "";
const routeDocs = new Map<string, string>();
const routeDocsChanged = new vscode.EventEmitter<vscode.Uri>();

function workspaceFolderPath(): string | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.fsPath;
}

export function currentSettings(): ServerSettings {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const { settings, problems } = toServerSettings((key) => cfg.get(key), workspaceFolderPath());
  for (const p of problems) output?.appendLine(`[settings] ${p.message}`);
  return settings;
}

function isExecutable(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    if (process.platform !== "win32") fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function resolveServer(): ServerResolution {
  return resolveServerPath({
    configured: vscode.workspace.getConfiguration(SECTION).get<string | null>("path"),
    extensionPath,
    workspaceFolder: workspaceFolderPath(),
    platform: process.platform,
    env: process.env,
    homeDir: os.homedir(),
    isExecutable,
  });
}

function setStatus(phase: ClientPhase, detail?: string): void {
  const view = statusView(phase, detail);
  status.text = view.text;
  status.tooltip = view.tooltip;
  status.backgroundColor = view.background ? new vscode.ThemeColor(view.background) : undefined;
}

function phaseFor(state: State): ClientPhase {
  if (state === State.Running) return currentSettings().enable ? "running" : "disabled";
  if (state === State.Starting) return "starting";
  return "stopped";
}

async function startClient(): Promise<void> {
  const server = resolveServer();
  if (!server.ok) {
    output.appendLine(`[server] ${server.message}`);
    output.appendLine(`[server] looked in: ${server.tried.join(", ")}`);
    setStatus("noServer", server.message);
    void vscode.window.showErrorMessage(`clerkguard: ${server.message}`, "Open settings", "Show output").then((pick) => {
      if (pick === "Open settings") void vscode.commands.executeCommand("workbench.action.openSettings", "clerkguard.path");
      else if (pick === "Show output") output.show();
    });
    return;
  }
  output.appendLine(`[server] using ${server.path} (${server.source})`);
  const serverOptions: ServerOptions = serverLaunch(server.path);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      ...LANGUAGES.map((language) => ({ scheme: "file", language })),
      { scheme: "file", pattern: "**/package.json" },
      { scheme: "file", pattern: "**/clerkguard.json" },
      { scheme: "file", pattern: "**/.env*" },
    ],
    initializationOptions: currentSettings(),
    outputChannel: output,
    middleware: {
      workspace: {
        // Answer workspace/configuration for our section with the normalised settings.
        configuration: async (params, token, next) => {
          const result = await next(params, token);
          if (!Array.isArray(result)) return result;
          return result.map((value, i) => (params.items[i]?.section === SECTION ? currentSettings() : value));
        },
      },
    },
  };
  const c = new LanguageClient(SECTION, "clerkguard", serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (client === c) setStatus(phaseFor(e.newState), `${server.path} (${server.source})`);
  });
  setStatus("starting");
  try {
    await c.start();
    setStatus(phaseFor(c.state), `${server.path} (${server.source})`);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    output.appendLine(`[server] failed to start: ${message}`);
    setStatus("error", message);
    void vscode.window.showErrorMessage(`clerkguard: the server failed to start: ${message}`, "Show output").then((pick) => {
      if (pick) output.show();
    });
  }
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop(5000);
    } catch (err) {
      output.appendLine(`[server] stop: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

async function restart(): Promise<void> {
  await stopClient();
  await startClient();
}

async function fixAllInFile(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage("clerkguard: open a file to fix.");
    return;
  }
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage("clerkguard: the server is not running.");
    return;
  }
  try {
    // The server answers by sending workspace/applyEdit, which the client applies.
    await client.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_FIX_ALL,
      arguments: [editor.document.uri.toString()],
    });
  } catch (err) {
    output.appendLine(`[fixAll] ${SERVER_FIX_ALL} failed (${err instanceof Error ? err.message : String(err)}); trying ${FIX_ALL_KIND}`);
    await vscode.commands.executeCommand("editor.action.codeAction", { kind: FIX_ALL_KIND, apply: "first" });
  }
}

const execRoutes: Exec = (file, args, cwd) =>
  new Promise((resolve) => {
    execFile(file, args, { cwd, maxBuffer: 16 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      const spawnError =
        error && typeof (error as NodeJS.ErrnoException).code === "string" ? error.message : undefined;
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr), spawnError });
    });
  });

async function showRoutes(): Promise<void> {
  const root = workspaceFolderPath();
  if (!root) {
    void vscode.window.showInformationMessage("clerkguard: open a folder to see its routes.");
    return;
  }
  const server = resolveServer();
  if (!server.ok) {
    void vscode.window.showErrorMessage(`clerkguard: ${server.message}`);
    return;
  }
  const result = await runRoutes(server.path, root, execRoutes);
  if (!result.ok) {
    output.appendLine(`[routes] ${result.message}`);
    if (result.unavailable) void vscode.window.showWarningMessage(`clerkguard: ${result.message}`);
    else void vscode.window.showErrorMessage(`clerkguard: ${result.message}`);
  }
  const uri = vscode.Uri.parse(`${ROUTES_SCHEME}:/Route protection map.md`).with({ query: root });
  routeDocs.set(uri.toString(), result.markdown);
  routeDocsChanged.fire(uri);
  try {
    await vscode.commands.executeCommand("markdown.showPreview", uri);
  } catch {
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: true });
  }
}

function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
  if (!e.affectsConfiguration(SECTION)) return;
  if (needsRestart((s) => e.affectsConfiguration(s))) {
    output.appendLine("[settings] clerkguard.path changed: restarting the server");
    void restart();
    return;
  }
  if (client && client.state === State.Running) {
    void client.sendNotification(DidChangeConfigurationNotification.type, {
      settings: { [SECTION]: currentSettings() },
    });
    setStatus(phaseFor(client.state));
  }
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  output = vscode.window.createOutputChannel("clerkguard", { log: true });
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 100);
  status.name = "clerkguard";
  status.command = COMMANDS.showOutput;
  status.show();
  context.subscriptions.push(
    output,
    status,
    routeDocsChanged,
    vscode.commands.registerCommand(COMMANDS.restart, restart),
    vscode.commands.registerCommand(COMMANDS.fixAllInFile, fixAllInFile),
    vscode.commands.registerCommand(COMMANDS.showRoutes, showRoutes),
    vscode.commands.registerCommand(COMMANDS.showOutput, () => output.show()),
    vscode.workspace.registerTextDocumentContentProvider(ROUTES_SCHEME, {
      onDidChange: routeDocsChanged.event,
      provideTextDocumentContent: (uri) => routeDocs.get(uri.toString()) ?? "",
    }),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
