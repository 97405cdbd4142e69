// How the server is launched. No `transport` on purpose: TransportKind.stdio would make
// vscode-languageclient append `--stdio`, which `clerkguard lsp` rejects.
export const SERVER_ARGS = ["lsp"] as const;

export interface Launch {
  command: string;
  args: string[];
  options?: { env: NodeJS.ProcessEnv };
}

export function serverLaunch(command: string, env: NodeJS.ProcessEnv = process.env): { run: Launch; debug: Launch } {
  return {
    run: { command, args: [...SERVER_ARGS] },
    debug: { command, args: [...SERVER_ARGS], options: { env: { ...env, RUST_LOG: "debug" } } },
  };
}

/** What the extension relies on from the server's `initialize` result. */
export const SERVER_FIX_ALL = "clerkguard.fixAll";
export const FIX_ALL_KIND = "source.fixAll.clerkguard";
