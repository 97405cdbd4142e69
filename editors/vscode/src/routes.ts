// `clerkguard routes --format markdown` → a markdown document, or a clear explanation of why not.
export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Set when the process could not be started at all (ENOENT, EACCES, …). */
  spawnError?: string | undefined;
}

export type Exec = (file: string, args: string[], cwd: string) => Promise<ExecResult>;

export type RoutesResult =
  | { ok: true; markdown: string }
  | { ok: false; unavailable: boolean; message: string; markdown: string };

export function routesArgs(root: string): string[] {
  return ["routes", root, "--format", "markdown"];
}

/** clap's messages when the subcommand or the flag does not exist in this build. */
export function isUnavailable(stderr: string): boolean {
  return /unrecognized subcommand|unexpected argument|invalid value .* '--format'|unknown command/i.test(stderr);
}

export async function runRoutes(bin: string, root: string, exec: Exec): Promise<RoutesResult> {
  const r = await exec(bin, routesArgs(root), root);
  if (r.spawnError !== undefined) {
    const message = `Could not run ${bin}: ${r.spawnError}`;
    return { ok: false, unavailable: false, message, markdown: `# clerkguard routes\n\n${message}\n` };
  }
  if (r.code === 0) return { ok: true, markdown: r.stdout };
  if (isUnavailable(r.stderr)) {
    const message = `\`clerkguard routes\` is not available in this clerkguard build (${bin}). Update clerkguard to get the route protection map.`;
    return { ok: false, unavailable: true, message, markdown: `# clerkguard routes\n\n${message}\n` };
  }
  const message = `\`clerkguard routes\` failed (exit code ${r.code ?? "?"}).`;
  return {
    ok: false,
    unavailable: false,
    message,
    markdown: `# clerkguard routes\n\n${message}\n\n\`\`\`\n${r.stderr.trim()}\n\`\`\`\n`,
  };
}
