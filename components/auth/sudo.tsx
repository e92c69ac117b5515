"use client";
import { createContext, useContext, useEffect, useState, type ReactNode } from "react";
import dynamic from "next/dynamic";

// Loaded only while a window is open: most page views never ship it.
const SudoNotice = dynamic(() => import("./sudo-notice").then((m) => m.SudoNotice));

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
  if (!until || now === null || now >= until) return null;
  return <SudoNotice merchantId={merchantId} secondsLeft={Math.ceil((until - now) / 1000)} />;
}
