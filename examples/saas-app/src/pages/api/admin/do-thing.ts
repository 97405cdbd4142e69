import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/db";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method === "POST") {
    await db.invoice.deleteMany({ where: { paid: false } });
    return res.status(200).json({ purged: true });
  }
  res.status(405).end();
}
