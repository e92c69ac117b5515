import type { Metadata } from "next";
import Link from "next/link";
import { Logo } from "@/components/layout/logo";
import { AcceptInvitation, CreateAccountForm } from "@/components/members/accept-invitation";
import { getSessionUser } from "@/lib/auth/session";
import { invitationByToken } from "@/lib/data/members";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { buttonClass } from "@/components/ui/button";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const [invitation, user] = await Promise.all([invitationByToken(decodeURIComponent(token)), getSessionUser()]);
  let body: React.ReactNode;
  if (!invitation) {
    body = (
      <>
        <h1 className="text-xl font-semibold tracking-tight">This invitation link is not valid</h1>
        <p className="mt-2 text-sm text-slate-600">
          It was already used, has expired (links work for 72 hours), or was replaced by a newer one. Ask an owner of the merchant to invite
          you again.
        </p>
      </>
    );
  } else {
    const intro = (
      <>
        <h1 className="text-xl font-semibold tracking-tight">Join {invitation.merchantName}</h1>
        <p className="mt-2 text-sm text-slate-600">
          You are invited as <strong>{ROLE_LABELS[invitation.role]}</strong> with {invitation.email}.
        </p>
      </>
    );
    const callback = `/login?callbackUrl=${encodeURIComponent(`/invite/${token}`)}&email=${encodeURIComponent(invitation.email)}`;
    body = user ? (
      user.email === invitation.email ? (
        <>
          {intro}
          <AcceptInvitation token={token} />
        </>
      ) : (
        <>
          {intro}
          <p role="alert" className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-600/20">
            You are signed in as {user.email}. Sign out, then sign in as {invitation.email} to accept.
          </p>
        </>
      )
    ) : invitation.hasAccount ? (
      <>
        {intro}
        <Link href={callback} className={`${buttonClass("primary")} mt-5`}>
          Sign in to accept
        </Link>
      </>
    ) : (
      <>
        {intro}
        <CreateAccountForm token={token} email={invitation.email} />
      </>
    );
  }
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-slate-100 px-4">
      <div className="w-full max-w-md">
        <div className="mb-6 flex justify-center">
          <Logo className="h-10 w-10" />
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm">{body}</div>
      </div>
    </main>
  );
}
