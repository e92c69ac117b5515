import "server-only";
import { hash, verify, type Algorithm } from "@node-rs/argon2";

// OWASP's Argon2id floor: 19 MiB, 2 passes, 1 lane. (Algorithm is an ambient const enum: 2 = Argon2id.)
const OPTIONS = { algorithm: 2 as Algorithm.Argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

// Verified against when the e-mail is unknown, so both failures take the same time.
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword("keyport-timing-equaliser"));
