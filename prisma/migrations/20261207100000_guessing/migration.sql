-- Limits every process and instance shares (rate-limiter-flexible's PostgreSQL store, its own
-- column layout). UNLOGGED: a counter is worth no WAL, and a crash that empties it only resets
-- the windows in progress.
CREATE UNLOGGED TABLE "rate_limits" (
    "key" VARCHAR(255) NOT NULL,
    "points" INTEGER NOT NULL DEFAULT 0,
    "expire" BIGINT,

    CONSTRAINT "rate_limits_pkey" PRIMARY KEY ("key")
);
CREATE INDEX "rate_limits_expire_idx" ON "rate_limits"("expire");

-- Client addresses that verified a user-chosen credential with its right password: they keep
-- working while strangers' guesses are throttled, in every process and after a restart.
CREATE TABLE "known_client_addresses" (
    "credential_id" UUID NOT NULL,
    "address" VARCHAR(64) NOT NULL,
    "last_success_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "known_client_addresses_pkey" PRIMARY KEY ("credential_id","address")
);
CREATE INDEX "known_client_addresses_last_success_at_idx" ON "known_client_addresses"("last_success_at");
ALTER TABLE "known_client_addresses" ADD CONSTRAINT "known_client_addresses_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "credentials"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Wrong passwords for a user-chosen credential in the current hour: reported to the owners (at
-- most one mail an hour) and shown on the key page; never a lock.
CREATE TABLE "guessing_reports" (
    "credential_id" UUID NOT NULL,
    "api_key_id" UUID NOT NULL,
    "window_started_at" TIMESTAMPTZ(3) NOT NULL,
    "failures" INTEGER NOT NULL DEFAULT 0,
    "addresses" INTEGER NOT NULL DEFAULT 0,
    "last_failure_at" TIMESTAMPTZ(3) NOT NULL,
    "reported_at" TIMESTAMPTZ(3),

    CONSTRAINT "guessing_reports_pkey" PRIMARY KEY ("credential_id")
);
CREATE INDEX "guessing_reports_api_key_id_idx" ON "guessing_reports"("api_key_id");
ALTER TABLE "guessing_reports" ADD CONSTRAINT "guessing_reports_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "credentials"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "guessing_reports" ADD CONSTRAINT "guessing_reports_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE;
