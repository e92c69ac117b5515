"use client";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { endSudoAction } from "@/lib/actions/sudo";
import { Button } from "@/components/ui/button";

const SudoContext = createContext<{ merchantId: string; until: number | null; now: number | null }>({
  merchantId: "",
  until: null,
  now: null,
});

/**
 * The session's step-up sudo window on this merchant (lib/auth/sudo.ts), from the server: when it
 * ends. The clock runs only in the browser, after the first render (no hydration mismatch).
 */
export function SudoProvider({ merchantId, until, children }: { merchantId: string; until: string | null; children: ReactNode }) {
  const [now, setNow] = useState<number | null>(null);
  const end = until ? Date.parse(until) : null;
  useEffect(() => {
    if (!end) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [end]);
  return <SudoContext.Provider value={{ merchantId, until: end, now }}>{children}</SudoContext.Provider>;
}

/** Whether a step-up action that shows no secret may go on without a code right now. */
export function useSudoActive() {
  const { until, now } = useContext(SudoContext);
  return !!until && now !== null && now < until;
}

/** "Authenticator confirmed · 4:12 left", with "End now". Nothing when no window is open. */
export function SudoBanner() {
  const { merchantId, until, now } = useContext(SudoContext);
  const router = useRouter();
  const [ending, setEnding] = useState(false);
  if (!until || now === null || now >= until) return null;
  const s = Math.ceil((until - now) / 1000);
  const left = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
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
