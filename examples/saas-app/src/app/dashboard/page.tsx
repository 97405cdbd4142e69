import { auth } from "@clerk/nextjs/server";
import { db } from "@/lib/db";
import { deleteInvoice } from "../actions/invoices";

export default async function Dashboard() {
  const { userId, redirectToSignIn } = await auth();
  if (!userId) return redirectToSignIn();
  const invoices = await db.invoice.findMany({ where: { ownerId: userId } });
  return (
    <ul>
      {invoices.map((invoice) => (
        <li key={invoice.id}>
          {invoice.amount}
          <form action={deleteInvoice.bind(null, invoice.id)}>
            <button>Delete</button>
          </form>
        </li>
      ))}
    </ul>
  );
}
