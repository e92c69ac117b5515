-- Leaked keys (lib/leaks): what a merchant does when a secret is reported exposed, the reports
-- themselves (one per token hash and report: a replay adds nothing), and the "Exposed" badge.
CREATE TYPE "ExposureAction" AS ENUM ('ALERT', 'ROTATE', 'REVOKE');

CREATE TABLE "exposure_policies" (
    "merchant_id" UUID NOT NULL,
    "environment" "Environment" NOT NULL,
    "action" "ExposureAction" NOT NULL DEFAULT 'ROTATE',
    "grace_hours" INTEGER NOT NULL DEFAULT 24,

    CONSTRAINT "exposure_policies_pkey" PRIMARY KEY ("merchant_id","environment")
);
ALTER TABLE "exposure_policies" ADD CONSTRAINT "exposure_policies_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "exposure_reports" (
    "id" UUID NOT NULL,
    "token_hash" VARCHAR(64) NOT NULL,
    "report_key" VARCHAR(64) NOT NULL,
    "api_key_id" UUID,
    "merchant_id" UUID NOT NULL,
    "source" VARCHAR(64) NOT NULL,
    "url" VARCHAR(2048) NOT NULL,
    "action" "ExposureAction" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exposure_reports_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "exposure_reports_token_hash_report_key_key" ON "exposure_reports"("token_hash", "report_key");
CREATE INDEX "exposure_reports_merchant_id_created_at_idx" ON "exposure_reports"("merchant_id", "created_at" DESC);
ALTER TABLE "exposure_reports" ADD CONSTRAINT "exposure_reports_merchant_id_fkey" FOREIGN KEY ("merchant_id") REFERENCES "merchants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "exposure_reports" ADD CONSTRAINT "exposure_reports_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE SET NULL ON UPDATE CASCADE;

ALTER TABLE "api_keys" ADD COLUMN "exposed_at" TIMESTAMPTZ(3), ADD COLUMN "exposed_url" VARCHAR(2048);
