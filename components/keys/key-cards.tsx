"use client";
import { useState } from "react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import type { KeyRowDto } from "@/lib/data/keys";
import type { KeyCardExtraDto } from "@/lib/data/key-cards";
import type { IssuedSecret } from "@/lib/keys/types";
import { KeyCard, type CardAbilities } from "./key-card";
import { SecretRevealDialog } from "./secret-reveal-dialog";

// Loaded when a card's "Rotate key" is first pressed, not with the grid.
const CardRotateDialog = dynamic(() => import("./card-rotate-dialog").then((m) => m.CardRotateDialog));

/** The "detailed key view": one card per key; the one rotate dialog and secret reveal live outside the cards. */
export function KeyCards({
  merchantId,
  rows,
  extras,
  may,
  hasTotp,
}: {
  merchantId: string;
  rows: KeyRowDto[];
  extras: Record<string, KeyCardExtraDto>;
  may: CardAbilities;
  hasTotp: boolean;
}) {
  const router = useRouter();
  const [rotating, setRotating] = useState<KeyRowDto | null>(null);
  const [issued, setIssued] = useState<IssuedSecret | null>(null);
  return (
    <>
      <ul aria-label="API keys" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {rows.map((row) => (
          <li key={row.id} className="flex">
            <div className="w-full [&>article]:h-full">
              <KeyCard merchantId={merchantId} row={row} extra={extras[row.id]} may={may} onRotate={() => setRotating(row)} />
            </div>
          </li>
        ))}
      </ul>
      {rotating ? (
        <CardRotateDialog
          merchantId={merchantId}
          keyId={rotating.id}
          keyName={rotating.name}
          version={extras[rotating.id]?.version ?? 0}
          ownCredentials={!!extras[rotating.id]?.ownCredentials}
          open
          hasTotp={hasTotp}
          onClose={() => setRotating(null)}
          onRotated={(s) => setIssued(s)}
        />
      ) : null}
      <SecretRevealDialog
        issued={issued}
        title="New secret key"
        onClose={() => {
          setIssued(null);
          router.refresh();
        }}
      />
    </>
  );
}
