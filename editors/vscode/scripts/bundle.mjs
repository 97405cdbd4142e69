// Bundles the extension (dist/extension.js) and, with --tests, the unit tests (out/test/*.test.cjs,
// with `vscode` aliased to the stub in test/vscode-stub.cjs).
import { build } from "esbuild";
import { readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const common = { bundle: true, platform: "node", format: "cjs", target: "node20", logLevel: "warning", absWorkingDir: root };

await build({
  ...common,
  entryPoints: ["src/extension.ts"],
  outfile: "dist/extension.js",
  external: ["vscode"],
  minify: true,
  sourcemap: true,
});

if (process.argv.includes("--tests")) {
  rmSync(join(root, "out", "test"), { recursive: true, force: true });
  const tests = readdirSync(join(root, "test")).filter((f) => f.endsWith(".test.ts"));
  await build({
    ...common,
    entryPoints: tests.map((f) => `test/${f}`),
    outdir: "out/test",
    outExtension: { ".js": ".cjs" },
    alias: { vscode: "./test/vscode-stub.cjs" },
    sourcemap: "inline",
  });
}
