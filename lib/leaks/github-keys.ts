import { createPublicKey, verify, type KeyObject } from "node:crypto";
import { env } from "@/lib/env";

/** GitHub's secret-scanning public keys (KEYPORT_GITHUB_KEYS_URL overrides it, e.g. for tests). */
export const DEFAULT_GITHUB_KEYS_URL = "https://api.github.com/meta/public_keys/secret_scanning";

/**
 * The keys GitHub signs its secret-scanning reports with, in GitHub's JSON format
 * (`{"public_keys": [{"key_identifier", "key" (PEM), "is_current"}]}`), cached. An identifier not
 * in the cache refreshes it, at most once a minute: a stream of made-up identifiers cannot turn
 * into a stream of requests to GitHub.
 */
export class GithubKeys {
  private keys = new Map<string, KeyObject>();
  private refreshedAt = Number.NEGATIVE_INFINITY;
  private refreshing: Promise<void> | null = null;
  /** How many times the keys were fetched (for tests and the operator's log). */
  fetches = 0;

  constructor(
    private readonly url: string,
    private readonly opts: { fetch?: typeof fetch; minRefreshMs?: number; now?: () => number } = {},
  ) {}

  private refresh() {
    this.refreshing ??= (async () => {
      try {
        this.fetches++;
        this.refreshedAt = (this.opts.now ?? Date.now)();
        const res = await (this.opts.fetch ?? fetch)(this.url, {
          headers: { accept: "application/json" },
          signal: AbortSignal.timeout(5000),
        });
        if (!res.ok) return;
        const body = (await res.json()) as { public_keys?: { key_identifier?: unknown; key?: unknown }[] };
        const next = new Map<string, KeyObject>();
        for (const k of body.public_keys ?? []) {
          if (typeof k.key_identifier !== "string" || typeof k.key !== "string") continue;
          try {
            next.set(k.key_identifier, createPublicKey(k.key));
          } catch {
            /* a key that does not parse is left out */
          }
        }
        if (next.size) this.keys = next;
      } catch {
        /* unreachable: the cached keys stay */
      } finally {
        this.refreshing = null;
      }
    })();
    return this.refreshing;
  }

  private async keyFor(id: string) {
    const known = this.keys.get(id);
    if (known) return known;
    const now = (this.opts.now ?? Date.now)();
    if (now - this.refreshedAt >= (this.opts.minRefreshMs ?? 60_000)) await this.refresh();
    return this.keys.get(id) ?? null;
  }

  /** Whether `signature` (base64 DER, ECDSA P-256 over SHA-256) signs `body` under the key `id`. */
  async verify(body: Buffer, id: string | null, signature: string | null): Promise<boolean> {
    if (!id || !signature || id.length > 200 || signature.length > 400) return false;
    const key = await this.keyFor(id);
    if (!key) return false;
    try {
      return verify("sha256", body, { key, dsaEncoding: "der" }, Buffer.from(signature, "base64"));
    } catch {
      return false;
    }
  }
}

const KEYS = Symbol.for("keyport.githubKeys");
/** One cache per process (both module graphs of the custom server share it). */
export function githubKeys(): GithubKeys {
  const g = globalThis as { [KEYS]?: GithubKeys };
  return (g[KEYS] ??= new GithubKeys(env().KEYPORT_GITHUB_KEYS_URL || DEFAULT_GITHUB_KEYS_URL));
}
