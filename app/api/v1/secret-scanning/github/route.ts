import { githubSecretScanning } from "@/lib/leaks/github-endpoint";

// Called by GitHub's secret scanning (no session, no token): the signature is the authentication.
export const POST = (req: Request) => githubSecretScanning(req);
