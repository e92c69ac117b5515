"use client";
import { inputClass } from "@/components/ui/field";
import { MIN_PASSWORD_LENGTH, USERNAME_RE } from "@/lib/keys/schema";

export interface OwnCredentialsChoice {
  mode: "own" | "generated";
  username: string;
  password: string;
}

export const EMPTY_OWN_CREDENTIALS: OwnCredentialsChoice = { mode: "own", username: "", password: "" };

/** Enough to continue; the server checks the rest (a common password, a username in use). */
export const ownCredentialsReady = (v: OwnCredentialsChoice) =>
  v.mode === "generated" || (USERNAME_RE.test(v.username.trim()) && v.password.length >= MIN_PASSWORD_LENGTH);

/**
 * Rotating a key that uses its own username and password asks for new ones, as creation does,
 * or for a switch to a generated pair: a rotation never changes the kind of credential silently.
 */
export function OwnCredentialsFields({ value, onChange }: { value: OwnCredentialsChoice; onChange: (v: OwnCredentialsChoice) => void }) {
  const set = (patch: Partial<OwnCredentialsChoice>) => onChange({ ...value, ...patch });
  return (
    <fieldset className="space-y-3 rounded-lg border border-slate-200 p-3">
      <legend className="px-1 text-sm font-medium text-slate-900">New credentials</legend>
      <p className="text-sm text-slate-700">
        This key uses its own username and password. Choose new ones, or switch it to a generated pair.
      </p>
      <div className="flex flex-wrap gap-4">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="own-mode"
            checked={value.mode === "own"}
            onChange={() => set({ mode: "own" })}
            className="accent-brand-600"
          />
          New username and password
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="own-mode"
            checked={value.mode === "generated"}
            onChange={() => set({ mode: "generated" })}
            className="accent-brand-600"
          />
          Auto-generated
        </label>
      </div>
      {value.mode === "own" ? (
        <div className="grid grid-cols-2 gap-3">
          <label className="text-sm font-medium text-slate-800">
            New username
            <input
              autoComplete="off"
              value={value.username}
              onChange={(e) => set({ username: e.target.value })}
              className={`${inputClass} mt-1`}
            />
          </label>
          <label className="text-sm font-medium text-slate-800">
            New password
            <input
              type="password"
              autoComplete="new-password"
              value={value.password}
              onChange={(e) => set({ password: e.target.value })}
              className={`${inputClass} mt-1`}
            />
          </label>
          <p className="col-span-2 text-xs text-slate-600">
            A username the key has not used yet: the current one keeps working until the grace window ends. At least {MIN_PASSWORD_LENGTH}{" "}
            characters, not a common password.
          </p>
        </div>
      ) : null}
    </fieldset>
  );
}
