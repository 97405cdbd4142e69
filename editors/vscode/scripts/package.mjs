// Packages the extension offline with vsce.
//   node scripts/package.mjs                                   universal .vsix (server from PATH / setting)
//   node scripts/package.mjs --target linux-x64 [--server BIN] platform .vsix with server/clerkguard
//        [--out FILE] [--check]
// --server defaults to ../../target/release/clerkguard. The copied binary is removed again
// afterwards so the work tree stays clean. --check opens the .vsix and verifies its contents.
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { listZip } from "./zip.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const target = opt("--target");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const out = resolve(opt("--out") ?? join(root, "out", `${pkg.name}-${target ?? "universal"}-${pkg.version}.vsix`));
mkdirSync(dirname(out), { recursive: true });

const exe = target?.startsWith("win32") ? "clerkguard.exe" : "clerkguard";
const bundled = join(root, "server", exe);
let copied = false;
if (target) {
  const server = resolve(opt("--server") ?? join(root, "..", "..", "target", "release", "clerkguard"));
  if (!existsSync(server)) {
    console.error(`package: no server binary at ${server} (build it with \`cargo build --release -p clerkguard\` or pass --server)`);
    process.exit(2);
  }
  mkdirSync(join(root, "server"), { recursive: true });
  copyFileSync(server, bundled);
  chmodSync(bundled, 0o755);
  copied = true;
  console.log(`package: bundling ${server} (${(statSync(server).size / 1e6).toFixed(1)} MB) as server/${exe}`);
}

try {
  execFileSync(process.execPath, [join(root, "scripts", "bundle.mjs")], { stdio: "inherit" });
  const vsce = join(root, "node_modules", "@vscode", "vsce", "vsce");
  const vsceArgs = ["package", "--no-dependencies", "--allow-missing-repository", "-o", out];
  if (target) vsceArgs.push("--target", target);
  execFileSync(process.execPath, [vsce, ...vsceArgs], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
} finally {
  if (copied) rmSync(bundled, { force: true });
}

if (args.includes("--check")) {
  const entries = listZip(readFileSync(out));
  const byName = new Map(entries.map((e) => [e.name, e]));
  const problems = [];
  for (const name of ["extension/package.json", "extension/dist/extension.js", "extension/schemas/clerkguard.schema.json", "extension/readme.md", "extension/LICENSE.txt", "extension.vsixmanifest"]) {
    if (!byName.has(name)) problems.push(`missing ${name}`);
  }
  for (const e of entries) {
    if (/^extension\/(src|test|node_modules|scripts|out)\//.test(e.name)) problems.push(`should not ship ${e.name}`);
  }
  if (target) {
    const server = byName.get(`extension/server/${exe}`);
    if (!server) problems.push(`missing extension/server/${exe}`);
    else if (!target.startsWith("win32") && (server.mode & 0o111) === 0) problems.push(`server/${exe} is not executable (mode ${server.mode.toString(8)})`);
    const manifest = entries.find((e) => e.name === "extension.vsixmanifest");
    if (manifest && !manifest.text().includes(`TargetPlatform="${target}"`)) problems.push(`manifest lacks TargetPlatform="${target}"`);
  }
  console.log(`package: ${out} (${(statSync(out).size / 1e6).toFixed(1)} MB, ${entries.length} files)`);
  for (const e of entries) console.log(`  ${e.mode ? e.mode.toString(8) : "   -  "} ${e.name}`);
  if (problems.length) {
    console.error(`package: check failed:\n  ${problems.join("\n  ")}`);
    process.exit(1);
  }
  console.log("package: check ok");
}
