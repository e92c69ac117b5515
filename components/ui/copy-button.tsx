"use client";
import { useState } from "react";
import { useToast } from "./toast";
import { cn } from "./cn";

export function CopyButton({
  value,
  label,
  toast = "Copied to clipboard",
  className,
}: {
  value: string;
  label: string;
  toast?: string;
  className?: string;
}) {
  const show = useToast();
  const [done, setDone] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setDone(true);
      show(toast);
      setTimeout(() => setDone(false), 1500);
    } catch {
      show("Could not copy: select the text and copy it by hand");
    }
  }
  return (
    <button
      type="button"
      onClick={copy}
      aria-label={label}
      title={label}
      className={cn(
        "inline-flex h-7 w-7 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-900",
        className,
      )}
    >
      {done ? (
        <svg viewBox="0 0 20 20" className="h-4 w-4 text-emerald-600" aria-hidden="true">
          <path fill="currentColor" d="M7.7 13.3 4.4 10l-1.1 1.1 4.4 4.4 9-9-1.1-1.1z" />
        </svg>
      ) : (
        <svg viewBox="0 0 20 20" className="h-4 w-4" aria-hidden="true">
          <path
            fill="currentColor"
            d="M7 2h8a2 2 0 0 1 2 2v9h-2V4H7zM4 6h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2m0 2v8h8V8z"
          />
        </svg>
      )}
    </button>
  );
}
