-- Management API tokens: per merchant, created by an owner, stored as SHA-256 only.
CREATE TABLE "management_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "merchant_id" UUID NOT NULL,
    "created_by_id" UUID NOT NULL,
    "name" VARCHAR(60) NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "token_hint" VARCHAR(16) NOT NULL,
    "scopes" TEXT[],
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "management_tokens_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "management_tokens_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "management_tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "management_tokens_token_hash_key" ON "management_tokens"("token_hash");
CREATE INDEX "management_tokens_merchant_id_created_at_idx" ON "management_tokens"("merchant_id", "created_at" DESC);

-- Idempotency-Key rows: inserted first in a POST's transaction, so a concurrent repeat waits on
-- the unique index and then replays the stored (encrypted) answer.
CREATE TABLE "idempotency_keys" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "token_id" UUID NOT NULL,
    "key" VARCHAR(255) NOT NULL,
    "request_hash" CHAR(64) NOT NULL,
    "status" INTEGER,
    "response_enc" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "idempotency_keys_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "management_tokens"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE UNIQUE INDEX "idempotency_keys_token_id_key_key" ON "idempotency_keys"("token_id", "key");
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");
