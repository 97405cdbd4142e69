"use server";

import { auth } from "@clerk/nextjs/server";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/db";
import { requireUser } from "@/lib/auth";

export async function createInvoice(formData: FormData) {
  const userId = await requireUser();
  await db.invoice.create({ data: { amount: Number(formData.get("amount")), ownerId: userId } });
  revalidatePath("/dashboard");
}

export async function deleteInvoice(id: string) {
  await db.invoice.delete({ where: { id } });
  revalidatePath("/dashboard");
}

export async function markPaid(id: string) {
  const { userId } = await auth();
  await db.invoice.update({ where: { id, ownerId: userId }, data: { paid: true } });
}
