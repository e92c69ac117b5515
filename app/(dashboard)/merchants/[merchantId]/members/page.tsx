import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table } from "@/components/ui/table";
import { SectionHeader } from "@/components/layout/section-header";
import { InviteMemberButton } from "@/components/members/invite-member-button";
import { MemberActions, RevokeInvitationButton } from "@/components/members/member-actions";
import { formatDateTime } from "@/components/keys/format";
import { requireMerchant } from "@/lib/data/merchants";
import { membersOf } from "@/lib/data/members";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { PasskeyPolicyForm } from "@/components/members/passkey-policy-form";
import { requiresPasskey } from "@/lib/auth/passkey-policy";
import { userHasTotp } from "@/lib/data/users";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({ params }: { params: Promise<{ merchantId: string }> }) {
  const { merchantId } = await params;
  const { user, access, may } = await requireMerchant(merchantId);
  const manage = may.manageMembers;
  const { members, invitations } = await membersOf(merchantId);
  return (
    <section aria-labelledby="members-heading" className="space-y-6">
      <SectionHeader
        id="members-heading"
        title="Members"
        description={
          access.parentId
            ? "Members of the master account have the same role here unless a membership here says otherwise."
            : "Members have their role here and on every sub-account, unless a sub-account says otherwise."
        }
        actions={manage ? <InviteMemberButton merchantId={merchantId} /> : null}
      />
      <Table caption="Members" columns={["Name", "E-mail", "Role", manage && { label: "Manage", align: "right" }]}>
        {members.map((m) => (
          <tr key={m.membershipId} className="border-t border-slate-100 align-top">
            <td className="px-4 py-3 font-medium text-slate-900">
              {m.name} {m.userId === user.id ? <span className="font-normal text-slate-500">(you)</span> : null}
              {m.disabled ? (
                <Badge tone="slate" className="ml-2">
                  Disabled
                </Badge>
              ) : null}
            </td>
            <td className="px-4 py-3 text-slate-700">{m.email}</td>
            <td className="px-4 py-3">
              <Badge tone={m.role === "OWNER" ? "violet" : "slate"}>{ROLE_LABELS[m.role]}</Badge>
              {m.inheritedFrom ? <p className="mt-1 text-xs text-slate-500">From {m.inheritedFrom.name}</p> : null}
            </td>
            {manage ? (
              <td className="px-4 py-3 text-right">
                {m.inheritedFrom ? (
                  <Link href={`/merchants/${m.inheritedFrom.id}/members`} className="text-sm font-medium text-brand-700 hover:underline">
                    Manage in {m.inheritedFrom.name}
                  </Link>
                ) : (
                  <MemberActions merchantId={merchantId} membershipId={m.membershipId} email={m.email} role={m.role} />
                )}
              </td>
            ) : null}
          </tr>
        ))}
      </Table>
      {manage ? (
        <div className="space-y-3">
          <h3 className="font-semibold">Pending invitations</h3>
          {invitations.length ? (
            <Table caption="Pending invitations" columns={["E-mail", "Role", "Expires", { label: "Manage", align: "right" }]}>
              {invitations.map((i) => (
                <tr key={i.id} className="border-t border-slate-100">
                  <td className="px-4 py-3 text-slate-800">{i.email}</td>
                  <td className="px-4 py-3">
                    <Badge tone="slate">{ROLE_LABELS[i.role]}</Badge>
                  </td>
                  <td className="px-4 py-3 text-slate-700">
                    {i.expired ? <Badge tone="red">Expired</Badge> : formatDateTime(i.expiresAt)}
                  </td>
                  <td className="px-4 py-3 text-right">
                    <RevokeInvitationButton merchantId={merchantId} invitationId={i.id} email={i.email} />
                  </td>
                </tr>
              ))}
            </Table>
          ) : (
            <p className="text-sm text-slate-600">No pending invitations.</p>
          )}
        </div>
      ) : null}
      {manage ? (
        <PasskeyPolicyForm
          merchantId={merchantId}
          current={await requiresPasskey(await getDb(), merchantId)}
          hasTotp={await userHasTotp(user.id)}
        />
      ) : null}
    </section>
  );
}
