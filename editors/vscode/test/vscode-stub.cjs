// A stand-in for the `vscode` module, enough to load and activate the bundled extension in
// plain Node (esbuild aliases `vscode` to this file for the unit tests). Unknown members resolve
// to inert classes through a Proxy prototype, so vscode-languageclient loads too.
"use strict";

const state = {
  settings: {}, // "clerkguard.path" -> value
  commands: new Map(),
  executed: [],
  messages: [], // { level, text }
  statusItems: [],
  outputs: [],
  contentProviders: new Map(),
  workspaceFolders: undefined,
  reset() {
    this.settings = {};
    this.commands.clear();
    this.executed = [];
    this.messages = [];
    this.statusItems = [];
    this.outputs = [];
    this.contentProviders.clear();
    this.workspaceFolders = undefined;
  },
};

class Disposable {
  constructor(fn) { this._fn = fn; }
  static from(...ds) { return new Disposable(() => ds.forEach((d) => d && d.dispose && d.dispose())); }
  dispose() { if (this._fn) this._fn(); this._fn = undefined; }
}

class EventEmitter {
  constructor() {
    this._listeners = new Set();
    this.event = (fn) => { this._listeners.add(fn); return new Disposable(() => this._listeners.delete(fn)); };
  }
  fire(v) { for (const l of this._listeners) l(v); }
  dispose() { this._listeners.clear(); }
}

class Uri {
  constructor(scheme, path, query = "") { this.scheme = scheme; this.path = path; this.query = query; this.fsPath = path; }
  static parse(s) { const m = /^([a-z][\w+.-]*):(.*?)(?:\?(.*))?$/i.exec(s); return new Uri(m[1], m[2], m[3] || ""); }
  static file(p) { return new Uri("file", p); }
  with(change) { return new Uri(change.scheme ?? this.scheme, change.path ?? this.path, change.query ?? this.query); }
  toString() { return `${this.scheme}:${this.path}${this.query ? "?" + this.query : ""}`; }
}

class ThemeColor { constructor(id) { this.id = id; } }

function message(level) {
  return (text, ...items) => { state.messages.push({ level, text, items }); return Promise.resolve(undefined); };
}

function outputChannel(name) {
  const lines = [];
  const ch = {
    name, lines,
    append: (s) => lines.push(s), appendLine: (s) => lines.push(s), replace: () => {}, clear: () => { lines.length = 0; },
    show: () => {}, hide: () => {}, dispose: () => {},
    trace: (s) => lines.push(s), debug: (s) => lines.push(s), info: (s) => lines.push(s), warn: (s) => lines.push(s), error: (s) => lines.push(String(s)),
    logLevel: 2, onDidChangeLogLevel: () => new Disposable(),
  };
  state.outputs.push(ch);
  return ch;
}

function configuration(section) {
  const key = (k) => (section ? `${section}.${k}` : k);
  return {
    get: (k, def) => (key(k) in state.settings ? state.settings[key(k)] : def),
    has: (k) => key(k) in state.settings,
    inspect: () => undefined,
    update: async (k, v) => { state.settings[key(k)] = v; },
  };
}

const api = {
  __stub: state,
  version: "1.91.0",
  Disposable, EventEmitter, Uri, ThemeColor,
  StatusBarAlignment: { Left: 1, Right: 2 },
  window: {
    activeTextEditor: undefined,
    createOutputChannel: outputChannel,
    createStatusBarItem: (alignment, priority) => {
      const item = { alignment, priority, text: "", tooltip: "", show() { this.visible = true; }, hide() { this.visible = false; }, dispose() {} };
      state.statusItems.push(item);
      return item;
    },
    showErrorMessage: message("error"),
    showWarningMessage: message("warning"),
    showInformationMessage: message("info"),
    showTextDocument: async (doc) => doc,
  },
  workspace: {
    get workspaceFolders() { return state.workspaceFolders; },
    getWorkspaceFolder: () => state.workspaceFolders && state.workspaceFolders[0],
    getConfiguration: configuration,
    onDidChangeConfiguration: () => new Disposable(),
    registerTextDocumentContentProvider: (scheme, provider) => { state.contentProviders.set(scheme, provider); return new Disposable(); },
    openTextDocument: async (uri) => ({ uri }),
  },
  commands: {
    registerCommand: (id, fn) => {
      if (state.commands.has(id)) throw new Error(`command '${id}' already exists`);
      state.commands.set(id, fn);
      return new Disposable(() => state.commands.delete(id));
    },
    executeCommand: async (id, ...args) => {
      state.executed.push({ id, args });
      const fn = state.commands.get(id);
      return fn ? fn(...args) : undefined;
    },
  },
  languages: {},
  env: { language: "en" },
};

// Anything else: an inert class (constructible, with itself as any static member).
const inert = new Proxy(class {}, { get: (t, p) => (p in t ? t[p] : inert) });
const fallback = new Proxy({}, { get: (_t, p) => (typeof p === "symbol" || p === "then" || p === "__esModule" ? undefined : inert) });
module.exports = Object.assign(Object.create(fallback), api, { __esModule: true });
