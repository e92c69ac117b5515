-- Tamper-evident audit log: each row stores its place in its merchant's chain (seq) and
-- hash = SHA-256(previous row's hash ‖ canonical row), hex; a merchant's first row follows 64 zeros.
-- The canonical row is the text of a jsonb array of the row's fields; lib/audit/chain.ts builds the
-- very same text, and its tests check that it accepts a chain backfilled here.
ALTER TABLE "audit_events" ADD COLUMN "seq" INTEGER, ADD COLUMN "hash" CHAR(64);

-- Existing rows, per merchant in (created_at, id) order.
DO $$
DECLARE
  r RECORD;
  merchant UUID := NULL;
  previous TEXT;
  n INTEGER;
BEGIN
  FOR r IN SELECT * FROM "audit_events" ORDER BY "merchant_id", "created_at", "id" LOOP
    IF merchant IS DISTINCT FROM r."merchant_id" THEN
      merchant := r."merchant_id";
      previous := repeat('0', 64);
      n := 0;
    END IF;
    n := n + 1;
    previous := encode(sha256(convert_to(previous || jsonb_build_array(
      'keyport.audit.v1', n, r."id", r."merchant_id", r."api_key_id", r."actor_id", r."actor_email", r."action",
      r."client_ip", r."before", r."after",
      to_char(r."created_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    )::text, 'UTF8')), 'hex');
    UPDATE "audit_events" SET "seq" = n, "hash" = previous WHERE "id" = r."id";
  END LOOP;
END $$;

ALTER TABLE "audit_events" ALTER COLUMN "seq" SET NOT NULL, ALTER COLUMN "hash" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_merchant_id_seq_key" ON "audit_events"("merchant_id", "seq");
