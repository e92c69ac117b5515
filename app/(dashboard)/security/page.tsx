import type { Metadata } from "next";
import { PageHeader, Card } from "@/components/ui/card";
import { Badge } from "@/components/ui/badge";
import { TotpSetup } from "@/components/auth/totp-setup";
import { requireUser } from "@/lib/auth/session";
import { userHasTotp } from "@/lib/data/users";
import { sameOriginPath } from "@/lib/server/same-origin-path";
import { Passkeys } from "@/components/auth/passkeys";
import { listPasskeys } from "@/lib/auth/passkeys";
import { getDb } from "@/lib/db/client";

export const metadata: Metadata = { title: "Security" };

export default async function SecurityPage({ searchParams }: { searchParams: Promise<{ returnTo?: string }> }) {
  const user = await requireUser();
  const enabled = await userHasTotp(user.id);
  const { returnTo } = await searchParams;
  const passkeys = await listPasskeys(await getDb(), user.id);
  return (
    <div className="space-y-6">
      <PageHeader title="Security" description="Your sign-in and the second factor for actions that break an integration." />
      <Card className="p-6">
        <section aria-labelledby="totp-heading" className="space-y-4">
          <div className="flex items-center gap-3">
            <h2 id="totp-heading" className="text-lg font-semibold">
              Authenticator app
            </h2>
            <Badge tone={enabled ? "green" : "slate"}>{enabled ? "On" : "Off"}</Badge>
          </div>
          <TotpSetup enabled={enabled} returnTo={sameOriginPath(returnTo)} />
        </section>
      </Card>
      <Card className="p-6">
        <section aria-labelledby="passkeys-heading" className="space-y-4">
          <div className="flex items-center gap-3">
            <h2 id="passkeys-heading" className="text-lg font-semibold">
              Passkeys
            </h2>
            <Badge tone={passkeys.length ? "green" : "slate"}>{passkeys.length ? `${passkeys.length}` : "None"}</Badge>
          </div>
          <Passkeys
            hasTotp={enabled}
            passkeys={passkeys.map((p) => ({
              id: p.id,
              name: p.name,
              createdAt: p.createdAt.toISOString(),
              lastUsedAt: p.lastUsedAt?.toISOString() ?? null,
              backedUp: p.backedUp,
              counterRegressed: !!p.counterRegressedAt,
            }))}
          />
        </section>
      </Card>
    </div>
  );
}
