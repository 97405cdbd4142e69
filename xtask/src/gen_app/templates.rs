//! Code templates for the generated app. Placeholders: `%E%` entity (camelCase model name),
//! `%C%` the entity capitalised, `%N%` a suffix that keeps names unique, plus per-template keys.
//! Every template is valid TypeScript/TSX; the ones marked MISTAKE are what clerkguard reports.

use super::Entity;
use crate::rng::Rng;

pub fn fill(template: &str, e: &Entity, n: usize, extra: &[(&str, &str)]) -> String {
    let mut out = template.replace("%E%", e.name).replace("%C%", &e.cap()).replace("%N%", &n.to_string());
    for (key, value) in extra {
        out = out.replace(key, value);
    }
    out
}

/// One exported Server Action. Returns the code and whether it holds a deliberate mistake.
pub fn server_action(rng: &mut Rng, e: &Entity, n: usize, lib: Option<&Entity>) -> (String, bool) {
    // guarded variants first, mistakes last (indices 7..=11).
    let weights = [18, 12, 12, 6, 10, 6, 10, 7, 5, 4, 3, 3, if lib.is_some() { 6 } else { 0 }];
    let variant = rng.weighted(&weights);
    let template = match variant {
        0 => ACTION_GUARDED_AUTH,
        1 => ACTION_PROTECT,
        2 => ACTION_HELPER,
        3 => ACTION_GET_SELF,
        4 => ACTION_PURE,
        5 => ACTION_CONDITIONAL_READ,
        6 => ACTION_SETTINGS,
        7 => ACTION_MISSING_AUTH,
        8 => ACTION_UNCHECKED,
        9 => ACTION_CLIENT_IDENTITY,
        10 => ACTION_NOT_AWAITED,
        11 => ACTION_PROTECT_NOT_AWAITED,
        _ => ACTION_LIB_QUERY,
    };
    let lib_cap = lib.map(Entity::cap).unwrap_or_default();
    (fill(template, e, n, &[("%L%", &lib_cap)]), (7..=11).contains(&variant))
}

const ACTION_GUARDED_AUTH: &str = r#"
export async function update%C%%N%(id: string, formData: FormData) {
  const { userId } = await auth();
  if (!userId) throw new Error("Unauthenticated");
  const title = String(formData.get("title") ?? "").trim();
  if (title.length === 0) {
    return { ok: false, error: "Title is required" };
  }
  await db.%E%.update({ where: { id, ownerId: userId }, data: { title, updatedAt: new Date() } });
  revalidatePath(`/%E%s/${id}`);
  return { ok: true };
}
"#;

const ACTION_PROTECT: &str = r#"
export async function archive%C%%N%(id: string) {
  await auth.protect();
  const existing = await db.%E%.findUnique({ where: { id } });
  if (!existing) {
    return { ok: false, error: "Not found" };
  }
  await db.%E%.update({ where: { id }, data: { archived: true } });
  revalidatePath("/%E%s");
  return { ok: true };
}
"#;

const ACTION_HELPER: &str = r#"
export async function create%C%%N%(input: { title: string; body?: string }) {
  const { userId } = await requireUser();
  const created = await db.%E%.create({
    data: { title: input.title, body: input.body ?? "", ownerId: userId },
  });
  revalidatePath("/%E%s");
  return created;
}
"#;

const ACTION_GET_SELF: &str = r#"
export async function star%C%%N%(id: string) {
  const me = await getSelf();
  if (!me) redirect("/sign-in");
  await db.star.create({ data: { targetId: id, kind: "%E%", userId: me } });
}
"#;

const ACTION_PURE: &str = r#"
export async function format%C%Title%N%(title: string) {
  const words = title.trim().split(/\s+/).filter(Boolean);
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join(" ").slice(0, 80);
}
"#;

const ACTION_CONDITIONAL_READ: &str = r#"
export async function count%C%s%N%() {
  const { userId } = await auth();
  if (userId) {
    return db.%E%.count({ where: { ownerId: userId, archived: false } });
  }
  return 0;
}
"#;

const ACTION_SETTINGS: &str = r#"
export async function save%C%Settings%N%(formData: FormData) {
  const { userId, orgId, has } = await auth();
  if (!userId) redirect("/sign-in");
  if (!has({ role: "org:admin" })) {
    return { ok: false, error: "Only admins can change settings" };
  }
  const parsed = settingsSchema.safeParse({
    name: formData.get("name"),
    visibility: formData.get("visibility"),
    limit: Number(formData.get("limit") ?? 10),
  });
  if (!parsed.success) {
    return { ok: false, error: parsed.error.message };
  }
  await db.%E%Settings.upsert({
    where: { orgId: orgId ?? userId },
    create: { orgId: orgId ?? userId, ...parsed.data },
    update: parsed.data,
  });
  revalidatePath("/settings/%E%s");
  return { ok: true };
}
"#;

// MISTAKE: server-action-missing-auth
const ACTION_MISSING_AUTH: &str = r#"
export async function delete%C%%N%(id: string) {
  await db.%E%.delete({ where: { id } });
  revalidatePath("/%E%s");
}
"#;

// MISTAKE: auth-result-unchecked
const ACTION_UNCHECKED: &str = r#"
export async function comment%C%%N%(id: string, text: string) {
  const { userId } = await auth();
  await db.comment.create({ data: { targetId: id, kind: "%E%", text, authorId: userId } });
}
"#;

// MISTAKE: client-supplied-identity
const ACTION_CLIENT_IDENTITY: &str = r#"
export async function transfer%C%%N%(id: string, ownerId: string) {
  await auth.protect();
  await db.%E%.update({ where: { id }, data: { ownerId } });
}
"#;

// MISTAKE: auth-not-awaited (Clerk 6)
const ACTION_NOT_AWAITED: &str = r#"
export async function rename%C%%N%(id: string, title: string) {
  const { userId } = auth();
  if (!userId) throw new Error("Unauthenticated");
  await db.%E%.update({ where: { id, ownerId: userId }, data: { title } });
}
"#;

// MISTAKE: protect-not-awaited
const ACTION_PROTECT_NOT_AWAITED: &str = r#"
export async function pin%C%%N%(id: string) {
  auth.protect();
  await db.%E%.update({ where: { id }, data: { pinned: true } });
}
"#;

const ACTION_LIB_QUERY: &str = r#"
export async function list%L%s%N%(q?: string) {
  const { userId } = await requireUser();
  return list%L%sForOwner(userId, { q, limit: 25 });
}
"#;

pub const ACTIONS_HEADER: &str = r#""use server";

import { auth } from "@clerk/nextjs/server";
import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db";
import { requireUser, getSelf } from "@/lib/auth";
"#;

pub const SETTINGS_SCHEMA: &str = r#"
const settingsSchema = z.object({
  name: z.string().min(1).max(120),
  visibility: z.enum(["private", "team", "public"]),
  limit: z.number().int().min(1).max(500),
});
"#;

pub const PAGE_HEADER: &str = r#"import { auth, currentUser } from "@clerk/nextjs/server";
import { redirect } from "next/navigation";
import type { Metadata } from "next";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "%C%s" };

type %C%Row = { id: string; title: string; createdAt: Date; archived: boolean };

function summarize(rows: %C%Row[]) {
  const archived = rows.filter((r) => r.archived).length;
  return { total: rows.length, archived, active: rows.length - archived };
}

export default async function %C%sPage%N%({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
"#;

/// The guard at the top of a page; the last one is a MISTAKE (auth-result-unchecked).
pub const PAGE_GUARDS: [&str; 4] = [
    r#"  const { userId } = await auth();
  if (!userId) redirect("/sign-in");
"#,
    r#"  const user = await currentUser();
  if (!user) redirect("/sign-in");
  const userId = user.id;
"#,
    r#"  const { userId } = await auth.protect();
"#,
    r#"  const { userId } = await auth();
"#,
];

pub const PAGE_BODY: &str = r#"  const { q } = await searchParams;
  const rows: %C%Row[] = await db.%E%.findMany({
    where: { ownerId: userId, title: { contains: q ?? "" } },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  const stats = summarize(rows);
"#;

pub const PAGE_INLINE_ACTIONS: [&str; 2] = [
    r#"
  async function removeArchived() {
    "use server";
    const { userId } = await auth();
    if (!userId) throw new Error("Unauthenticated");
    await db.%E%.deleteMany({ where: { ownerId: userId, archived: true } });
  }
"#,
    // MISTAKE: server-action-missing-auth
    r#"
  async function removeArchived() {
    "use server";
    await db.%E%.deleteMany({ where: { archived: true } });
  }
"#,
];

pub const PAGE_JSX: &str = r#"
  return (
    <main className="mx-auto max-w-4xl p-6">
      <h1 className="text-2xl font-semibold">%C%s</h1>
      <p className="text-sm text-gray-500">
        {stats.total} total, {stats.active} active, {stats.archived} archived
      </p>
      <ul className="divide-y">
        {rows.map((row) => (
          <li key={row.id} className={row.archived ? "opacity-50" : undefined}>
            <a href={`/%E%s/${row.id}`}>{row.title}</a>
            <time dateTime={row.createdAt.toISOString()}>{row.createdAt.toLocaleDateString()}</time>
          </li>
        ))}
      </ul>
%FORM%    </main>
  );
}
"#;

pub const PAGE_FORM: &str = r#"      <form action={removeArchived}>
        <button type="submit">Remove archived</button>
      </form>
"#;

pub const ROUTE_HEADER: &str = r#"import { NextResponse } from "next/server";
import { auth } from "@clerk/nextjs/server";
import { db } from "@/lib/db";

export async function GET(req: Request) {
  const url = new URL(req.url);
  const page = Number(url.searchParams.get("page") ?? "1");
  const rows = await db.%E%.findMany({ where: { published: true }, skip: (page - 1) * 20, take: 20 });
  return NextResponse.json({ page, rows });
}
"#;

/// Mutating handlers; indices 2 and 3 are MISTAKES.
pub const ROUTE_MUTATIONS: [&str; 4] = [
    r#"
export async function POST(req: Request) {
  const { userId } = await auth();
  if (!userId) {
    return new Response("Unauthorized", { status: 401 });
  }
  const body = await req.json();
  const created = await db.%E%.create({ data: { title: String(body.title), ownerId: userId } });
  return NextResponse.json(created, { status: 201 });
}
"#,
    r#"
export async function DELETE(req: Request) {
  const { userId } = await auth.protect();
  const id = new URL(req.url).searchParams.get("id");
  if (!id) return NextResponse.json({ error: "id is required" }, { status: 400 });
  await db.%E%.deleteMany({ where: { id, ownerId: userId } });
  return new Response(null, { status: 204 });
}
"#,
    // MISTAKE: route-handler-missing-auth
    r#"
export async function PATCH(req: Request) {
  const body = await req.json();
  await db.%E%.update({ where: { id: String(body.id) }, data: { title: String(body.title) } });
  return NextResponse.json({ ok: true });
}
"#,
    // MISTAKE: route-handler-missing-auth + client-supplied-identity
    r#"
export async function PUT(req: Request) {
  const body = await req.json();
  const saved = await db.%E%.create({ data: { title: body.title, authorId: body.authorId } });
  return NextResponse.json(saved);
}
"#,
];

/// Pages Router API route; the second variant is a MISTAKE (no check before the write).
pub const PAGES_API: [&str; 2] = [
    r#"import type { NextApiRequest, NextApiResponse } from "next";
import { getAuth } from "@clerk/nextjs/server";
import { db } from "@/lib/db";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const { userId } = getAuth(req);
  if (!userId) {
    return res.status(401).json({ error: "Unauthorized" });
  }
  if (req.method === "POST") {
    const created = await db.%E%.create({ data: { title: String(req.body.title), ownerId: userId } });
    return res.status(201).json(created);
  }
  const rows = await db.%E%.findMany({ where: { ownerId: userId }, take: 100 });
  return res.status(200).json(rows);
}
"#,
    r#"import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/db";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method === "DELETE") {
    await db.%E%.delete({ where: { id: String(req.query.id) } });
    return res.status(204).end();
  }
  const rows = await db.%E%.findMany({ where: { published: true }, take: 100 });
  return res.status(200).json(rows);
}
"#,
];

pub const PAGES_PAGE: &str = r#"import type { GetServerSideProps, InferGetServerSidePropsType } from "next";
import { getAuth } from "@clerk/nextjs/server";
import { db } from "@/lib/db";

type Props = { items: { id: string; title: string }[]; viewer: string };

export const getServerSideProps: GetServerSideProps<Props> = async (ctx) => {
  const { userId } = getAuth(ctx.req);
  if (!userId) {
    return { redirect: { destination: "/sign-in", permanent: false } };
  }
  const items = await db.%E%.findMany({ where: { ownerId: userId }, select: { id: true, title: true } });
  return { props: { items, viewer: userId } };
};

export default function Legacy%C%sPage%N%({ items, viewer }: InferGetServerSidePropsType<typeof getServerSideProps>) {
  return (
    <section>
      <h2>
        {items.length} %E%s for {viewer}
      </h2>
      <ol>
        {items.map((item) => (
          <li key={item.id}>{item.title}</li>
        ))}
      </ol>
    </section>
  );
}
"#;

pub const WEBHOOKS: [&str; 2] = [
    r#"import { Webhook } from "svix";
import { headers } from "next/headers";
import type { WebhookEvent } from "@clerk/nextjs/server";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const body = await req.text();
  const h = await headers();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!);
  const evt = wh.verify(body, {
    "svix-id": h.get("svix-id")!,
    "svix-timestamp": h.get("svix-timestamp")!,
    "svix-signature": h.get("svix-signature")!,
  }) as WebhookEvent;
  if (evt.type === "user.created") {
    await db.user.create({ data: { clerkId: evt.data.id } });
  } else if (evt.type === "user.deleted") {
    await db.%E%.deleteMany({ where: { ownerId: evt.data.id } });
  }
  return new Response("ok");
}
"#,
    r#"import { db } from "@/lib/db";

export async function GET(req: Request) {
  if (req.headers.get("authorization") !== `Bearer ${process.env.CRON_SECRET}`) {
    return new Response("Unauthorized", { status: 401 });
  }
  const cutoff = new Date(Date.now() - 30 * 24 * 60 * 60 * 1000);
  const { count } = await db.%E%.deleteMany({ where: { archived: true, updatedAt: { lt: cutoff } } });
  return Response.json({ purged: count });
}
"#,
];

pub const COMPONENT: &str = r#""use client";

import { useState, useTransition } from "react";
import { useAuth, useUser } from "@clerk/nextjs";

type Props = {
  id: string;
  title: string;
  archived?: boolean;
  onSave?: (id: string, title: string) => Promise<unknown>;
};

export function %C%Card%N%({ id, title, archived = false, onSave }: Props) {
  const { isSignedIn } = useAuth();
  const { user } = useUser();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(title);
  const [pending, startTransition] = useTransition();

  if (!isSignedIn) return null;

  const save = () =>
    startTransition(async () => {
      await onSave?.(id, draft.trim());
      setEditing(false);
    });

  return (
    <article className={archived ? "card card--muted" : "card"} data-owner={user?.id}>
      {editing ? (
        <div className="flex gap-2">
          <input value={draft} onChange={(e) => setDraft(e.target.value)} disabled={pending} />
          <button type="button" onClick={save} disabled={pending || draft.trim().length === 0}>
            Save
          </button>
          <button type="button" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </div>
      ) : (
        <header className="flex items-center justify-between">
          <h3>{title}</h3>
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
        </header>
      )}
    </article>
  );
}
"#;

pub const LIB_QUERIES: &str = r#"import { db } from "@/lib/db";

export type %C%Filter = { q?: string; archived?: boolean; limit?: number };

export async function list%C%sForOwner(ownerId: string, filter: %C%Filter = {}) {
  return db.%E%.findMany({
    where: {
      ownerId,
      archived: filter.archived ?? false,
      title: filter.q ? { contains: filter.q, mode: "insensitive" } : undefined,
    },
    orderBy: { createdAt: "desc" },
    take: Math.min(filter.limit ?? 50, 200),
  });
}

export async function get%C%(id: string) {
  return db.%E%.findUnique({ where: { id }, include: { owner: true } });
}

export async function purge%C%sOlderThan(days: number) {
  const cutoff = new Date(Date.now() - days * 24 * 60 * 60 * 1000);
  return db.%E%.deleteMany({ where: { archived: true, updatedAt: { lt: cutoff } } });
}

export function %E%Slug(title: string) {
  return title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 64);
}
"#;

pub const LIB_GUARDS: &str = r#"import { auth } from "@clerk/nextjs/server";
import { redirect } from "next/navigation";

/** Redirects signed-out users and non-members of the active organization. */
export async function require%C%Member%N%() {
  const { userId, orgId } = await auth();
  if (!userId) redirect("/sign-in");
  if (!orgId) redirect("/select-org");
  return { userId, orgId };
}

/** The signed-in user's id, or null. */
export async function optional%C%Viewer%N%() {
  const { userId } = await auth();
  if (!userId) return null;
  return userId;
}
"#;

pub const LIB_UTILS: &str = r#"const UNITS = ["B", "kB", "MB", "GB"] as const;

export function formatBytes%N%(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${UNITS[unit]}`;
}

export function relativeTime%N%(date: Date, now = new Date()): string {
  const seconds = Math.round((now.getTime() - date.getTime()) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return date.toLocaleDateString();
}

export function groupBy%N%<T, K extends string | number>(items: T[], key: (item: T) => K): Record<K, T[]> {
  const out = {} as Record<K, T[]>;
  for (const item of items) {
    const k = key(item);
    (out[k] ??= []).push(item);
  }
  return out;
}
"#;

pub const MIDDLEWARE: &str = r#"import { clerkMiddleware, createRouteMatcher } from "@clerk/nextjs/server";

const isProtectedRoute = createRouteMatcher(["/dashboard(.*)", "/settings(.*)", "/m(.*)"]);
const isPublicApi = createRouteMatcher(["/api/webhooks(.*)"]);

export default clerkMiddleware(async (auth, req) => {
  if (isPublicApi(req)) return;
  if (isProtectedRoute(req)) await auth.protect();
});

export const config = {
  matcher: [
    "/((?!_next|[^?]*\\.(?:html?|css|js(?!on)|jpe?g|webp|png|gif|svg|ttf|woff2?|ico|csv|docx?|xlsx?|zip|webmanifest)).*)",
    "/(api|trpc)(.*)",
  ],
};
"#;

pub const LIB_DB: &str = r#"import { PrismaClient } from "@prisma/client";

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient };

export const db = globalForPrisma.prisma ?? new PrismaClient();

if (process.env.NODE_ENV !== "production") globalForPrisma.prisma = db;
"#;

pub const LIB_AUTH_GUARDS: &str = r#"import { auth } from "@clerk/nextjs/server";
import { redirect } from "next/navigation";

/** Throws when nobody is signed in. */
export async function requireUser() {
  const { userId } = await auth();
  if (!userId) {
    throw new Error("Unauthenticated");
  }
  return { userId };
}

/** The signed-in user's id, or null. */
export async function getSelf() {
  const { userId } = await auth();
  if (!userId) return null;
  return userId;
}

/** Redirects to sign-in, then checks the org role. */
export const requireAdmin = async () => {
  const { userId, has } = await auth();
  if (!userId) redirect("/sign-in");
  if (!has({ role: "org:admin" })) redirect("/");
  return userId;
};
"#;

pub const LIB_AUTH_INDEX: &str = r#"export { requireUser, getSelf, requireAdmin } from "./guards";
"#;
