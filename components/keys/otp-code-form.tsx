"use client";

import type { ReactNode } from "react";
import { Field, inputClass } from "@/components/ui/field";

/** The "Authentication code" step of every step-up dialog; `children` is its footer. */
export function OtpCodeForm({ id, onCode, children }: { id: string; onCode: (code: string) => void; children: ReactNode }) {
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onCode(String(new FormData(e.currentTarget).get("otp") ?? ""));
      }}
    >
      <p className="text-sm text-slate-700">Open your authenticator app and enter the current code to confirm.</p>
      <div className="mt-4">
        <Field id={`${id}-otp`} label="Authentication code" hint="6 digits, or one of your recovery codes.">
          <input
            id={`${id}-otp`}
            name="otp"
            inputMode="numeric"
            autoComplete="one-time-code"
            autoFocus
            required
            maxLength={20}
            className={`${inputClass} max-w-48 font-mono tracking-widest`}
          />
        </Field>
      </div>
      {children}
    </form>
  );
}
