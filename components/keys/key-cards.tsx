"use client";
import { useState } from "react";
import dynamic from "next/dynamic";
import { useRouter } from "next/navigation";
import type { KeyRowDto } from "@/lib/data/keys";
import type { KeyCardExtraDto } from "@/lib/data/key-cards";
import type { IssuedSecret } from "@/lib/keys/types";
import { Button } from "@/components/ui/button";
import { KeyCard, type CardAbilities } from "./key-card";
import { SecretRevealDialog } from "./secret-reveal-dialog";

// Loaded with the first selection: most visits select nothing.
const BulkBar = dynamic(() => import("./bulk-bar").then((m) => m.BulkBar), { ssr: false });

// Loaded when a card's "Rotate key" is first pressed, not with the grid.
const CardRotateDialog = dynamic(() => import("./card-rotate-dialog").then((m) => m.CardRotateDialog), { ssr: false });

/**
 * The "detailed key view": one card per key; the one rotate dialog and secret reveal live outside
 * the cards. "Select" turns on a select mode with a checkbox per card and the grid's bulk actions
 * (cards are the only view on a phone, so this is where a phone selects keys).
 */
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
  const [selecting, setSelecting] = useState(false);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const selected = rows.filter((r) => picked.has(r.id)).map((r) => ({ id: r.id, name: r.name }));
  const toggle = (id: string, on: boolean) =>
    setPicked((p) => {
      const next = new Set(p);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allPicked = rows.length > 0 && selected.length === rows.length;
  return (
    <>
      <div className="flex flex-wrap items-center gap-3">
        <Button
          variant="secondary"
          size="sm"
          aria-pressed={selecting}
          onClick={() => {
            setSelecting(!selecting);
            setPicked(new Set());
          }}
        >
          {selecting ? "Done selecting" : "Select"}
        </Button>
        {selecting ? (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              checked={allPicked}
              onChange={(e) => setPicked(new Set(e.target.checked ? rows.map((r) => r.id) : []))}
              className="h-4 w-4 accent-brand-600"
            />
            Select all on this page
          </label>
        ) : null}
      </div>
      {selecting && selected.length ? (
        <div className="sticky top-2 z-10 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
          <BulkBar
            merchantId={merchantId}
            selected={selected}
            may={{ toggle: may.toggle, owner: may.rotate }}
            hasTotp={hasTotp}
            onClear={() => setPicked(new Set())}
          />
        </div>
      ) : null}
      <ul aria-label="API keys" className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
        {rows.map((row) => (
          <li key={row.id} className="flex">
            <div className="relative w-full">
              {selecting ? (
                <input
                  type="checkbox"
                  aria-label={`Select ${row.name}`}
                  checked={picked.has(row.id)}
                  onChange={(e) => toggle(row.id, e.target.checked)}
                  className="absolute left-2 top-2 z-[1] h-5 w-5 accent-brand-600"
                />
              ) : null}
              <div className={selecting ? "h-full [&>article]:h-full [&>article]:pl-9" : "h-full [&>article]:h-full"}>
                <KeyCard merchantId={merchantId} row={row} extra={extras[row.id]} may={may} onRotate={() => setRotating(row)} />
              </div>
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
