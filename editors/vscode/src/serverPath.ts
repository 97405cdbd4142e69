// Where the clerkguard binary comes from: the `clerkguard.path` setting, else the binary bundled
// in a platform-specific .vsix (server/clerkguard), else `clerkguard` on PATH.
// Pure logic (file system and environment are injected) so it is unit-tested without VS Code.
import * as path from "node:path";

export type ServerSource = "setting" | "bundled" | "PATH";

export type ServerResolution =
  | { ok: true; path: string; source: ServerSource }
  | { ok: false; message: string; tried: string[] };

export interface ResolveInput {
  /** Value of `clerkguard.path` (null/empty when unset). */
  configured: string | null | undefined;
  /** The extension's install directory (holds server/ in a platform-specific .vsix). */
  extensionPath: string;
  /** First workspace folder, for resolving a relative `clerkguard.path`. */
  workspaceFolder?: string | undefined;
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homeDir: string;
  /** True when the file exists and is executable (on Windows: exists). */
  isExecutable: (file: string) => boolean;
}

export function binaryName(platform: NodeJS.Platform): string {
  return platform === "win32" ? "clerkguard.exe" : "clerkguard";
}

export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, "server", binaryName(platform));
}

/** Expands `~` and `${workspaceFolder}`, and makes a relative path absolute. */
export function expandConfiguredPath(value: string, homeDir: string, workspaceFolder?: string): string {
  let p = value.trim();
  if (workspaceFolder) p = p.replace(/\$\{workspaceFolder\}/g, workspaceFolder);
  if (p === "~" || p.startsWith("~/") || p.startsWith("~\\")) p = path.join(homeDir, p.slice(1));
  if (!path.isAbsolute(p)) p = path.resolve(workspaceFolder ?? process.cwd(), p);
  return p;
}

/** Every candidate for `name` on PATH, in order (with PATHEXT on Windows). */
export function pathCandidates(name: string, env: Record<string, string | undefined>, platform: NodeJS.Platform): string[] {
  const sep = platform === "win32" ? ";" : ":";
  const pathVar = env["PATH"] ?? env["Path"] ?? "";
  const exts =
    platform === "win32" && !path.extname(name)
      ? (env["PATHEXT"] ?? ".EXE;.CMD;.BAT").split(";").filter(Boolean)
      : [""];
  const join = platform === "win32" ? path.win32.join : path.posix.join;
  const out: string[] = [];
  for (const dir of pathVar.split(sep)) {
    if (!dir) continue;
    for (const ext of exts) out.push(join(dir, name + ext.toLowerCase()));
  }
  return out;
}

export function resolveServerPath(input: ResolveInput): ServerResolution {
  const tried: string[] = [];
  const configured = input.configured?.trim();
  if (configured) {
    const p = expandConfiguredPath(configured, input.homeDir, input.workspaceFolder);
    if (input.isExecutable(p)) return { ok: true, path: p, source: "setting" };
    // A wrong explicit setting is an error, not a reason to silently run another binary.
    return {
      ok: false,
      tried: [p],
      message: `clerkguard.path is set to "${configured}", but ${p} is not an executable file. Fix the setting or clear it to use the bundled server or clerkguard on PATH.`,
    };
  }
  const bundled = bundledServerPath(input.extensionPath, input.platform);
  tried.push(bundled);
  if (input.isExecutable(bundled)) return { ok: true, path: bundled, source: "bundled" };
  for (const candidate of pathCandidates("clerkguard", input.env, input.platform)) {
    tried.push(candidate);
    if (input.isExecutable(candidate)) return { ok: true, path: candidate, source: "PATH" };
  }
  return {
    ok: false,
    tried,
    message:
      'No clerkguard server found. Install clerkguard (e.g. `cargo install clerkguard`) and put it on PATH, set "clerkguard.path" to the binary, or install the platform-specific build of this extension that bundles it.',
  };
}
