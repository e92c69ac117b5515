import "server-only";
import { customSecretHint, hashCustomSecret } from "../custom-credentials";

/** A user-chosen credential ready to insert: the password's slow hash is computed before the transaction. */
export interface OwnCredential {
  secret: string;
  data: { kind: "USER_CHOSEN"; accessKey: string; secretHash: string; secretHint: string; createdById: string };
}

export async function ownCredential(username: string, password: string, actorId: string): Promise<OwnCredential> {
  return {
    secret: password,
    data: {
      kind: "USER_CHOSEN",
      accessKey: username,
      secretHash: await hashCustomSecret(password),
      secretHint: customSecretHint(password),
      createdById: actorId,
    },
  };
}
