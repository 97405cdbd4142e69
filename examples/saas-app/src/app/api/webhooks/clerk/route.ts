import { Webhook } from "svix";
import type { WebhookEvent } from "@clerk/nextjs/server";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const body = await req.text();
  const wh = new Webhook(process.env.CLERK_WEBHOOK_SIGNING_SECRET!);
  const evt = wh.verify(body, {
    "svix-id": req.headers.get("svix-id")!,
    "svix-timestamp": req.headers.get("svix-timestamp")!,
    "svix-signature": req.headers.get("svix-signature")!,
  }) as WebhookEvent;
  if (evt.type === "user.deleted") {
    await db.invoice.deleteMany({ where: { ownerId: evt.data.id } });
  }
  return new Response("ok");
}
