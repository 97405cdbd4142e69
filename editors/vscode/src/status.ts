// What the status bar item shows for each client state.
export type ClientPhase = "starting" | "running" | "stopped" | "disabled" | "noServer" | "error";

export interface StatusView {
  text: string;
  tooltip: string;
  /** VS Code ThemeColor id for the background, when the state needs attention. */
  background?: string;
}

export function statusView(phase: ClientPhase, detail?: string): StatusView {
  const more = detail ? `\n${detail}` : "";
  switch (phase) {
    case "starting":
      return { text: "$(sync~spin) clerkguard", tooltip: `clerkguard: starting…${more}` };
    case "running":
      return { text: "$(shield) clerkguard", tooltip: `clerkguard: running${more}\nClick for the server output.` };
    case "disabled":
      return { text: "$(circle-slash) clerkguard", tooltip: `clerkguard: disabled (clerkguard.enable is false)${more}` };
    case "stopped":
      return { text: "$(debug-stop) clerkguard", tooltip: `clerkguard: stopped${more}\nRun "clerkguard: Restart server".`, background: "statusBarItem.warningBackground" };
    case "noServer":
      return { text: "$(error) clerkguard", tooltip: `clerkguard: no server binary found${more}`, background: "statusBarItem.errorBackground" };
    case "error":
      return { text: "$(error) clerkguard", tooltip: `clerkguard: the server failed${more}`, background: "statusBarItem.errorBackground" };
  }
}
