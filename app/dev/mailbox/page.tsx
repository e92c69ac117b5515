import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { listMailbox, mailboxEnabled } from "@/lib/data/mailbox";
import { requireUser } from "@/lib/auth/session";
import { formatDateTime } from "@/components/keys/format";
import { Badge } from "@/components/ui/badge";

export const metadata: Metadata = { title: "Mailbox" };
export const dynamic = "force-dynamic";

export default async function MailboxPage({ searchParams }: { searchParams: Promise<{ id?: string }> }) {
  if (!mailboxEnabled()) notFound();
  const user = await requireUser();
  const { id } = await searchParams;
  const { mails, selected } = await listMailbox(user.email, id);
  return (
    <main className="mx-auto max-w-7xl space-y-4 px-6 py-8">
      <div>
        <Link href="/merchants" className="text-sm font-medium text-brand-700 hover:underline">
          ← Back to Keyport
        </Link>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight">Mailbox</h1>
        <p className="text-sm text-slate-600">
          Development only: the mail Keyport would have sent you. Set RESEND_API_KEY to deliver for real.
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-5">
        <ul
          aria-label="Messages"
          className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white lg:col-span-2"
        >
          {mails.map((m) => (
            <li key={m.id}>
              <Link
                href={`/dev/mailbox?id=${m.id}`}
                aria-current={m.id === selected?.id ? "true" : undefined}
                className="block px-4 py-3 hover:bg-slate-50 aria-[current=true]:bg-brand-50"
              >
                <p className="text-sm font-medium text-slate-900">{m.subject}</p>
                <p className="text-xs text-slate-600">
                  To {m.toAddress} · {formatDateTime((m.sentAt ?? m.createdAt).toISOString())}{" "}
                  {m.status !== "SENT" ? <Badge tone="amber">{m.status.toLowerCase()}</Badge> : null}
                </p>
              </Link>
            </li>
          ))}
          {mails.length === 0 ? <li className="px-4 py-10 text-center text-sm text-slate-600">No mail yet.</li> : null}
        </ul>
        <div className="lg:col-span-3">
          {selected?.html ? (
            <iframe
              title={selected.subject}
              srcDoc={selected.html}
              sandbox=""
              className="h-[640px] w-full rounded-xl border border-slate-200 bg-white"
            />
          ) : (
            <p className="rounded-xl border border-dashed border-slate-300 bg-white p-10 text-center text-sm text-slate-600">
              {selected ? "This message is queued and has not been sent yet. Reload in a moment." : "Select a message."}
            </p>
          )}
        </div>
      </div>
    </main>
  );
}
