import { NextResponse } from "next/server";
import { auth } from "@clerk/nextjs/server";
import { db } from "@/lib/db";

export async function GET() {
  const { userId } = await auth();
  if (!userId) return NextResponse.json({ error: "Unauthorized" }, { status: 401 });
  const invoices = await db.invoice.findMany({ where: { ownerId: userId } });
  return NextResponse.json(invoices);
}

export async function POST(req: Request) {
  await auth.protect();
  const body = await req.json();
  const invoice = await db.invoice.create({ data: { amount: body.amount, ownerId: body.ownerId } });
  return NextResponse.json(invoice, { status: 201 });
}
