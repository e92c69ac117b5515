import "server-only";
import type { z } from "zod";
import { getDb } from "@/lib/db/client";
import { githubKeys, type GithubKeys } from "./github-keys";
import { GITHUB_REPORTER, handleLeakReports } from "./report";
import { leakReportSchema } from "./schema";

const json = (body: unknown, status: number) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });

/**
 * `POST /api/v1/secret-scanning/github`, GitHub's secret scanning partner protocol: the raw body
 * must carry a valid ECDSA P-256 signature (`Github-Public-Key-Signature`, base64 DER) under one of
 * GitHub's published keys (`Github-Public-Key-Identifier`); anything else is 401 and changes
 * nothing. The answer labels each token by its SHA-256.
 */
export async function githubSecretScanning(req: Request, keys: GithubKeys = githubKeys()): Promise<Response> {
  const body = Buffer.from(await req.arrayBuffer());
  const signed = await keys.verify(body, req.headers.get("github-public-key-identifier"), req.headers.get("github-public-key-signature"));
  if (!signed) return json({ error: "invalid_signature", message: "The report is not signed by GitHub." }, 401);
  let parsed: z.infer<typeof leakReportSchema>;
  try {
    parsed = leakReportSchema.parse(JSON.parse(body.toString("utf8")));
  } catch {
    return json({ error: "invalid_report", message: "Send a JSON array of {token, type, url, source}, 1 to 1,000 items." }, 422);
  }
  return json(await handleLeakReports(await getDb(), parsed, GITHUB_REPORTER), 200);
}
