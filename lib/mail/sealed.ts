import "server-only";
import { decrypt, encrypt } from "@/lib/crypto/encryption";

// Mail that carries a live secret (an invitation's link) never sits in the outbox in plaintext:
// its props are sealed (AES-256-GCM, lib/crypto/encryption.ts) from the moment they are written,
// and once delivered a mail keeps no props at all and, for the local mailbox only, a sealed body.

type Sealed = { sealed: string };
const isSealed = (v: unknown): v is Sealed => !!v && typeof v === "object" && typeof (v as Sealed).sealed === "string";

export const sealMailProps = (props: object): Sealed => ({ sealed: encrypt(JSON.stringify(props)) });

/** The props as the template needs them, whether stored sealed or (mail about keys) plain. */
export function openMailProps<T>(stored: unknown): T {
  return (isSealed(stored) ? JSON.parse(decrypt(stored.sealed)) : stored) as T;
}

export const sealMailBody = (html: string) => encrypt(html);

/** The delivered body for the local mailbox; null when none was kept or it cannot be opened. */
export function openMailBody(stored: string | null | undefined): string | null {
  if (!stored) return null;
  try {
    return decrypt(stored);
  } catch {
    return null; // a body from before sealing, or under another key: never shown as it is
  }
}
