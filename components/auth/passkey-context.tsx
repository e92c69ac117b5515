"use client";
import { createContext, useContext, type ReactNode } from "react";

const HasPasskey = createContext(false);

/** Whether the signed-in user has a passkey: step-up dialogs then offer "Use a passkey". */
export function PasskeyProvider({ hasPasskey, children }: { hasPasskey: boolean; children: ReactNode }) {
  return <HasPasskey.Provider value={hasPasskey}>{children}</HasPasskey.Provider>;
}
export const useHasPasskey = () => useContext(HasPasskey);
