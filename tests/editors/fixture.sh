#!/usr/bin/env bash
# Writes the e2e fixture project into $1 (created if missing): a Next.js + Clerk v6 app with
#   app/actions.ts           auth-not-awaited (quick-fix inserts `await `)
#   lib/flags.ts             suppression-unused (quick-fix removes the comment line)
#   app/fixall_action.ts     both, twice auth(): for fix-all through the code action
#   app/fixall_command.ts    same, for fix-all through the clerkguard.fixAll command
#   app/restart.ts           auth-not-awaited, opened after :ClerkguardRestart
set -euo pipefail
dir="$1"
mkdir -p "$dir/app" "$dir/lib"
cat > "$dir/package.json" <<'JSON'
{"name":"e2e-fixture","private":true,"dependencies":{"@clerk/nextjs":"^6.30.0","next":"15.2.4"}}
JSON
cat > "$dir/app/actions.ts" <<'TS'
"use server";
import { auth } from "@clerk/nextjs/server";
export async function save() {
  const { userId } = auth();
  return userId;
}
TS
cat > "$dir/lib/flags.ts" <<'TS'
// clerkguard-ignore-next-line foo -- reason
export const x = 1;
TS
cat > "$dir/app/restart.ts" <<'TS'
import { auth } from "@clerk/nextjs/server";
export async function whoami() {
  const { userId } = auth();
  return userId;
}
TS
for name in fixall_action fixall_command; do
cat > "$dir/app/$name.ts" <<'TS'
import { auth } from "@clerk/nextjs/server";
// clerkguard-ignore-next-line foo -- reason
export const x = 1;
export async function save() {
  const { userId } = auth();
  return userId;
}
export async function load() {
  const { userId } = auth();
  return userId;
}
TS
done
# A repository root, as in real projects (Emacs' project.el picks the root from it).
git -C "$dir" init -q 2>/dev/null || true
