"use client";
import { useEffect, useState } from "react";
import { formatDateTime } from "./format";

function left(ms: number) {
  if (ms <= 0) return "expired";
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return d ? `${d}d ${h}h ${m}m` : h ? `${h}h ${m}m` : `${m}m ${s % 60}s`;
}

/** "in 23h 59m", ticking; the absolute time renders first so server and browser agree. */
export function Countdown({ to }: { to: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return (
    <time dateTime={to} title={formatDateTime(to)}>
      {now === null ? formatDateTime(to) : left(new Date(to).getTime() - now)}
    </time>
  );
}
