"use client";
import { useState } from "react";
import { useRouter } from "next/navigation";
import { endSudoAction } from "@/lib/actions/sudo";
import { Button } from "@/components/ui/button";

/** The open sudo window: what it allows, how long is left, and "End now". */
export function SudoNotice({ merchantId, secondsLeft }: { merchantId: string; secondsLeft: number }) {
  const router = useRouter();
  const [ending, setEnding] = useState(false);
  const left = `${Math.floor(secondsLeft / 60)}:${String(secondsLeft % 60).padStart(2, "0")}`;
  return (
    <div
      role="status"
      aria-label="Authenticator confirmed"
      className="flex flex-wrap items-center gap-x-3 gap-y-1 rounded-lg bg-emerald-50 px-3 py-2 text-sm text-emerald-950 ring-1 ring-emerald-600/20"
    >
      <span>
        <span className="font-medium">Authenticator confirmed</span> · <span className="tabular-nums">{left}</span> left
      </span>
      <span className="text-xs text-emerald-900">
        Revoke, delete, roll back and extend need no new code until then; rotation always does.
      </span>
      <Button
        size="sm"
        variant="secondary"
        className="ml-auto"
        disabled={ending}
        onClick={async () => {
          setEnding(true);
          await endSudoAction(merchantId);
          setEnding(false);
          router.refresh();
        }}
      >
        End now
      </Button>
    </div>
  );
}
